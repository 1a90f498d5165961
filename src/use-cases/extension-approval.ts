import { activationDeadline, sameId } from '../domain/approval.js';
import { effectivePolicy } from '../domain/elevate-policy.js';
import { transition, type ElevationRecord } from '../domain/elevation.js';
import { toIsoDuration, parseIsoDuration } from '../domain/duration.js';
import { checkExtension } from '../domain/extension.js';
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
 * audit). One open request per elevation: asking again answers the open one.
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
  const open = (await deps.store.listElevationsByRequester(record.requester.aadObjectId)).find(
    (r) => r.value.extends?.elevationId === record.id && r.value.state === 'awaitingApproval',
  );
  if (open) return { kind: 'requested', request: open.value };
  const now = deps.clock.now().toISOString();
  const { approval: _parentsApproval, ...base } = record;
  const draft: ElevationRecord = {
    ...base,
    id: deps.newId(),
    state: 'draft',
    duration: toIsoDuration(minutes),
    justification: `Extension of elevation ${record.id} by ${minutes} min: ${justification ?? record.justification ?? ''}`.slice(0, 1000),
    extends: { elevationId: record.id, minutes, from: record.activeUntil ?? now },
    history: [{ at: now, state: 'draft', note: `extension of ${record.id}` }],
    createdAt: now,
    updatedAt: now,
  };
  for (const key of [
    'activeUntil',
    'ending',
    'extensions',
    'extending',
    'pimRequestId',
    'pimStatus',
    'propagation',
    'cleanupLease',
    'failure',
    'worker',
  ] as const)
    delete draft[key];
  const created = await deps.store.createElevation(draft);
  const policy = effectivePolicy(deps.settings.policy, record.environment, record.roleId ?? '');
  // `extensionApproval: true` on a rule whose elevations need no approval: the approvers its `approval` block names.
  const approvalPolicy = policy.approval.required
    ? policy
    : {
        ...policy,
        approval: { ...policy.approval, required: true, approverUserIds: policy.namedApproverUserIds, approvalsRequired: 1, pendingTimeoutMinutes: 60 },
      };
  const outcome = await requestApproval(deps, created, approvalPolicy);
  if (outcome.kind === 'cannotBeApproved') return { kind: 'notRequested', message: outcome.message };
  await publishApproval(deps, outcome.record);
  return { kind: 'requested', request: outcome.record };
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
