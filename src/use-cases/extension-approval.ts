import { createHash } from 'node:crypto';
import { activationDeadline, sameId } from '../domain/approval.js';
import { effectivePolicy } from '../domain/elevate-policy.js';
import { transition, type ElevationRecord } from '../domain/elevation.js';
import { parseIsoDuration } from '../domain/duration.js';
import { ElevateError } from '../domain/errors.js';
import { checkExtension, extensionRequestDraft } from '../domain/extension.js';
import type { Versioned } from '../ports/elevation-store.js';
import type { ElevationDeps } from './deps.js';
import { applyExtension, type ExtendElevationDeps, type ExtendOutcome } from './apply-extension.js';
import { APPROVAL_TIMEOUT_KIND, publishApproval, requestApproval } from './request-approval.js';
import { eligibleOptions } from './start-request.js';

export type ExtensionApprovalRequest = { kind: 'requested'; request: ElevationRecord } | { kind: 'notRequested'; message: string };

/**
 * The Elevate policy wants approval for an extension: an extension request (a record with `extends`,
 * the elevation's environment, role, ticket and justification, the extra minutes as its duration)
 * goes through the same approval flow as any request (request-approval.ts: cards, N of M, timeout,
 * audit). One open request per elevation: asking again answers the open one, and the request's id
 * comes from the elevation and its end (extensionRequestId), so a double tap or a second instance
 * racing the first creates it once.
 */
export async function requestExtensionApproval(
  deps: Pick<
    ElevationDeps,
    'pim' | 'tokens' | 'store' | 'audit' | 'timers' | 'clock' | 'notifier' | 'presenter' | 'approvals' | 'settings' | 'newId' | 'logger'
  >,
  parent: Versioned<ElevationRecord>,
  minutes: number,
  justification: string | undefined,
): Promise<ExtensionApprovalRequest> {
  const record = parent.value;
  const now = deps.clock.now().toISOString();
  const from = record.activeUntil ?? now;
  const requests = (await deps.store.listElevationsByRequester(record.requester.aadObjectId)).filter((r) => r.value.extends?.elevationId === record.id);
  const open = requests.find((r) => r.value.state === 'awaitingApproval');
  if (open) return { kind: 'requested', request: open.value };
  // Closed requests for this end (denied, lapsed, cancelled) give the next one another id.
  const closed = requests.filter((r) => r.value.extends?.from === from && r.value.state !== 'draft').length;
  const draft = await createOnce(
    deps,
    extensionRequestDraft(record, { id: extensionRequestId(record.id, from, closed), minutes, from, justification, at: now }),
  );
  if (draft.value.state !== 'draft') return { kind: 'requested', request: draft.value };
  const policy = effectivePolicy(deps.settings.policy, record.environment, record.roleId ?? '');
  // `extensionApproval: true` on a rule whose elevations need no approval: the approvers its `approval` block names.
  const approvalPolicy = policy.approval.required
    ? policy
    : {
        ...policy,
        approval: { ...policy.approval, required: true, approverUserIds: policy.namedApproverUserIds, approvalsRequired: 1, pendingTimeoutMinutes: 60 },
      };
  const outcome = await requestApproval(deps, draft, approvalPolicy);
  if (outcome.kind === 'cannotBeApproved') return { kind: 'notRequested', message: outcome.message };
  // Another tap or instance moved the same draft on (compare-and-swap): it publishes the cards.
  if (outcome.kind === 'alreadyHandled') return { kind: 'requested', request: outcome.record };
  await publishApproval(deps, outcome.record);
  return { kind: 'requested', request: outcome.record };
}

/**
 * The id of the `attempt`-th request to extend `elevationId` from its end `from`: the same for a
 * double tap and for two instances, so the store's create lets one of them through. A name-based
 * UUID (RFC 9562 §5.5, version 5: SHA-1 of a namespace and the name), so it reads as every other
 * elevation id (`audit <elevation id>`).
 */
export function extensionRequestId(elevationId: string, from: string, attempt: number): string {
  const hash = createHash('sha1')
    .update(Buffer.from(EXTENSION_REQUEST_NAMESPACE.replaceAll('-', ''), 'hex'))
    .update(`${elevationId}\n${from}\n${attempt}`)
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Elevate's namespace for extension request ids (a fixed random UUID). */
const EXTENSION_REQUEST_NAMESPACE = '5f0c8a4e-2d3b-4e61-9a7c-0b8e1d6f4a29';

/** Creates the request, or reads the one a double tap or another instance created first (`ElevationExists`). */
async function createOnce(deps: Pick<ElevationDeps, 'store'>, draft: ElevationRecord): Promise<Versioned<ElevationRecord>> {
  try {
    return await deps.store.createElevation(draft);
  } catch (error) {
    if (!(error instanceof ElevateError && error.code === 'ElevationExists')) throw error;
    const existing = await deps.store.getElevation(draft.id);
    if (!existing) throw error;
    return existing;
  }
}

export type ApprovedExtensionOutcome = ExtendOutcome | { kind: 'notActivatable'; record: ElevationRecord };

/**
 * **Activate** on an approved extension request: applies it to its elevation on the requester's own
 * token, re-validating everything (the elevation still active and extendable, eligibility, PIM's maximum,
 * the caps) and closes the request (`cancelled` with `extends.appliedAt`, compare-and-swap, so a double
 * tap applies it once: it never runs on its own).
 */
export async function applyApprovedExtension(deps: ExtendElevationDeps, tapperId: string, requestId: string): Promise<ApprovedExtensionOutcome> {
  const request = await deps.store.getElevation(requestId);
  const ext = request?.value.extends;
  if (!request || !ext) return { kind: 'notFound' };
  const approval = request.value.approval;
  if (!sameId(request.value.requester.aadObjectId, tapperId)) return { kind: 'notYours' };
  const deadline = approval ? activationDeadline(approval, deps.settings.approvalActivationWindowMinutes) : undefined;
  if (request.value.state !== 'awaitingApproval' || approval?.status !== 'approved' || !deadline || deps.clock.now() >= deadline)
    return { kind: 'notActivatable', record: request.value };
  const parent = await deps.store.getElevation(ext.elevationId);
  if (!parent) return { kind: 'notFound' };
  if (parent.value.activeUntil !== ext.from) return { kind: 'alreadyExtended', record: parent.value };
  const limits = effectivePolicy(deps.settings.policy, parent.value.environment, parent.value.roleId ?? '').extensions;
  const check = checkExtension(parent.value, ext.minutes, limits, deps.clock.now());
  if (!check.ok) return { kind: 'refused', reason: check.reason, record: parent.value, left: check.left };
  const option = (await eligibleOptions(deps, tapperId, parent.value.environment)).find((o) => o.roleId === parent.value.roleId);
  // Closed first: the request is used once, whatever PIM answers next.
  const closed = await deps.store.updateElevation(
    transition(
      request.value,
      'cancelled',
      deps.clock.now(),
      { extends: { ...ext, appliedAt: deps.clock.now().toISOString() } },
      'extension applied to its elevation',
    ),
    request.version,
  );
  if (!closed) return { kind: 'notActivatable', record: (await deps.store.getElevation(request.value.id))?.value ?? request.value };
  await deps.timers.cancel(request.value.id, [APPROVAL_TIMEOUT_KIND]);
  if (!option) return { kind: 'refused', reason: 'notEligible', record: parent.value, left: { count: 0, minutes: 0 } };
  return applyExtension(deps, parent, ext.minutes, parseIsoDuration(option.maximumDuration), request.value.id);
}
