import { sameId } from '../domain/approval.js';
import { effectivePolicy } from '../domain/elevate-policy.js';
import type { ElevationRecord } from '../domain/elevation.js';
import { HttpError } from '../domain/errors.js';
import { checkExtension, extensionLeft, type ExtensionAllowance, type ExtensionRefusal } from '../domain/extension.js';
import { parseIsoDuration } from '../domain/duration.js';
import type { Versioned } from '../ports/elevation-store.js';
import { audit } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';
import { lengthenPim, type PimLengthening } from './lengthen-pim.js';
import { requestExtensionApproval } from './extension-approval.js';
import { saveExtension } from './save-extension.js';
import { eligibleOptions } from './start-request.js';

/** What extend elevation uses of the use cases' dependencies. */
export type ExtendElevationDeps = Pick<
  ElevationDeps,
  | 'pim'
  | 'powerPlatform'
  | 'environments'
  | 'dataverse'
  | 'tokens'
  | 'store'
  | 'audit'
  | 'timers'
  | 'clock'
  | 'notifier'
  | 'presenter'
  | 'approvals'
  | 'settings'
  | 'newId'
  | 'logger'
>;

/** How long an extension in progress holds the record (PIM answers in seconds; a crashed holder's lease runs out). */
const EXTENDING_LEASE_MS = 2 * 60_000;

export type ExtendRefusal = ExtensionRefusal | 'notEligible' | 'pimMaximum' | 'pimRefused' | 'pimApprovalPending';

export type ExtendOutcome =
  | { kind: 'extended'; record: ElevationRecord; minutes: number }
  /** The policy asks for approval: `request` is the extension request waiting for the approvers. */
  | { kind: 'approvalRequested'; record: ElevationRecord; request: ElevationRecord }
  | { kind: 'refused'; reason: ExtendRefusal; record: ElevationRecord; left: ExtensionAllowance; detail?: string }
  /** PIM refuses to deactivate within five minutes of activation (the fallback path): possible from `possibleAt`. */
  | { kind: 'tooSoon'; record: ElevationRecord; possibleAt: Date }
  /** Another tap (or instance) is extending it right now. */
  | { kind: 'busy'; record: ElevationRecord }
  /** A double tap: the end this tap asked to extend has already moved. */
  | { kind: 'alreadyExtended'; record: ElevationRecord }
  | { kind: 'notYours' }
  | { kind: 'notFound' };

/** A request for more time: typed (`extend [by 1h]`) or tapped (**Extend** on the reminder). Card data is never trusted. */
export interface ExtendInput {
  /** The Entra object id from the Teams activity. */
  tapperId: string;
  /** The elevation (from the card); absent for the typed command: the requester's active one that ends last. */
  elevationId?: string;
  minutes?: number;
  /** The end the card showed: a tap made for an end that has moved since is a double tap. */
  from?: string;
  justification?: string;
}

/**
 * `extend` / **Extend**: re-validates everything server-side (who taps, the record's state, break
 * glass, the Elevate policy's caps, PIM eligibility and maximum), then either puts the extension up
 * for approval (the existing approval flow, extension-approval.ts) or lengthens PIM on the
 * requester's own token and moves the end (compare-and-swap, so double taps and two instances extend once).
 */
export async function extendElevation(deps: ExtendElevationDeps, input: ExtendInput): Promise<ExtendOutcome> {
  const current = await findRecord(deps, input);
  if (!current) return { kind: 'notFound' };
  const record = current.value;
  if (!sameId(record.requester.aadObjectId, input.tapperId)) return refusedTap(deps, input, record);
  if (input.from !== undefined && record.activeUntil !== undefined && input.from !== record.activeUntil && record.state === 'active')
    return { kind: 'alreadyExtended', record };
  const limits = effectivePolicy(deps.settings.policy, record.environment, record.roleId ?? '').extensions;
  const check = checkExtension(record, input.minutes, limits, deps.clock.now());
  if (!check.ok) return refuse(deps, record, check.reason, check.left);
  const option = (await eligibleOptions(deps, input.tapperId, record.environment)).find((o) => o.roleId === record.roleId);
  if (!option) return refuse(deps, record, 'notEligible', extensionLeft(record, limits));
  if (limits.approvalRequired) {
    const request = await requestExtensionApproval(deps, current, check.minutes, input.justification);
    return request.kind === 'requested'
      ? { kind: 'approvalRequested', record, request: request.request }
      : refuse(deps, record, 'notAllowed', extensionLeft(record, limits), request.message);
  }
  return applyExtension(deps, current, check.minutes, parseIsoDuration(option.maximumDuration));
}

/**
 * Lengthens PIM and moves the end, holding the record's `extending` lease meanwhile. Also the last
 * step of an approved extension request. `pimMaximumMinutes`: the role's PIM maximum per activation.
 */
export async function applyExtension(
  deps: ExtendElevationDeps,
  current: Versioned<ElevationRecord>,
  minutes: number,
  pimMaximumMinutes: number | undefined,
  approvedRequestId?: string,
): Promise<ExtendOutcome> {
  const now = deps.clock.now();
  const held = current.value.extending;
  if (held && Date.parse(held.until) > now.getTime()) return { kind: 'busy', record: current.value };
  const from = current.value.activeUntil!;
  const lease = {
    owner: `${deps.settings.instanceId}#${deps.settings.bootId}`,
    until: new Date(now.getTime() + EXTENDING_LEASE_MS).toISOString(),
    from,
    minutes,
  };
  const leased = await deps.store.updateElevation({ ...current.value, extending: lease, updatedAt: now.toISOString() }, current.version);
  if (!leased) {
    const latest = (await deps.store.getElevation(current.value.id))?.value ?? current.value;
    return latest.activeUntil !== from ? { kind: 'alreadyExtended', record: latest } : { kind: 'busy', record: latest };
  }
  let lengthened: PimLengthening;
  try {
    lengthened = await lengthenPim(deps, leased.value, minutes, pimMaximumMinutes);
  } catch (error) {
    await release(deps, leased.value.id);
    throw error;
  }
  if (lengthened.kind !== 'lengthened') {
    await release(deps, leased.value.id);
    const record = (await deps.store.getElevation(leased.value.id))?.value ?? leased.value;
    if (lengthened.kind === 'tooSoon') return { kind: 'tooSoon', record, possibleAt: lengthened.possibleAt };
    const limits = effectivePolicy(deps.settings.policy, record.environment, record.roleId ?? '').extensions;
    return refuse(deps, record, lengthened.reason, extensionLeft(record, limits), lengthened.detail);
  }
  const saved = await saveExtension(deps, leased.value.id, { minutes, from, lengthened, ...(approvedRequestId ? { approvedRequestId } : {}) });
  return { kind: 'extended', record: saved, minutes };
}

/** Gives the `extending` lease back (compare-and-swap, a few tries): nothing was changed. */
async function release(deps: ExtendElevationDeps, id: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const latest = await deps.store.getElevation(id);
    if (!latest?.value.extending) return;
    const { extending: _gone, ...rest } = latest.value;
    if (await deps.store.updateElevation(rest as ElevationRecord, latest.version)) return;
  }
}

async function findRecord(deps: ExtendElevationDeps, input: ExtendInput): Promise<Versioned<ElevationRecord> | undefined> {
  if (input.elevationId) return deps.store.getElevation(input.elevationId);
  const mine = (await deps.store.listElevationsByRequester(input.tapperId)).filter((r) => r.value.state === 'active' && !r.value.extends);
  return mine.sort((a, b) => Date.parse(b.value.activeUntil ?? '') - Date.parse(a.value.activeUntil ?? ''))[0];
}

async function refuse(
  deps: ExtendElevationDeps,
  record: ElevationRecord,
  reason: ExtendRefusal,
  left: ExtensionAllowance,
  detail?: string,
): Promise<ExtendOutcome> {
  await audit(deps, 'refusedTap', { record, details: { refusal: `extension:${reason}`, extensionsLeft: left.count, extensionMinutesLeft: left.minutes } });
  return { kind: 'refused', reason, record, left, ...(detail ? { detail } : {}) };
}

async function refusedTap(deps: ExtendElevationDeps, input: ExtendInput, record: ElevationRecord): Promise<ExtendOutcome> {
  await audit(deps, 'refusedTap', { record, actor: { aadObjectId: input.tapperId }, details: { refusal: 'extension:notYours' } });
  return { kind: 'notYours' };
}

/** PIM's own refusal of the new activation, as the requester should read it. */
export function pimRefusalDetail(error: unknown): string {
  return error instanceof HttpError ? `${error.serviceCode ?? `HTTP ${error.status}`}: ${error.message}` : 'PIM did not accept the new activation.';
}
