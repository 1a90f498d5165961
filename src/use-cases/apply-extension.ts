import type { ElevationRecord } from '../domain/elevation.js';
import { effectivePolicy } from '../domain/elevate-policy.js';
import { extensionLeft, type ExtensionAllowance, type ExtensionRefusal } from '../domain/extension.js';
import type { Versioned } from '../ports/elevation-store.js';
import { audit } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';
import { pimRoleLost } from './extension-anomaly.js';
import { lengthenPim, type PimLengthening } from './lengthen-pim.js';
import { saveExtension } from './save-extension.js';

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

export type ExtendRefusal = ExtensionRefusal | 'notEligible' | 'pimMaximum' | 'pimRefused' | 'pimApprovalRequired' | 'pimRoleLost';

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
  /** Only a scheduled elevation that has not started (issue #16): there is no running activation to extend yet. */
  | { kind: 'notStarted'; record: ElevationRecord }
  | { kind: 'notYours' }
  | { kind: 'notFound' };

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
    if (lengthened.kind === 'roleLost') {
      const marked = (await pimRoleLost(deps, leased.value.id, from, lengthened.detail)) ?? leased.value;
      return { kind: 'refused', reason: 'pimRoleLost', record: marked, left: { count: 0, minutes: 0 }, detail: lengthened.detail };
    }
    const record = (await deps.store.getElevation(leased.value.id))?.value ?? leased.value;
    if (lengthened.kind === 'tooSoon') return { kind: 'tooSoon', record, possibleAt: lengthened.possibleAt };
    const limits = effectivePolicy(deps.settings.policy, record.environment, record.roleId ?? '').extensions;
    return refuseExtension(deps, record, lengthened.reason, extensionLeft(record, limits), lengthened.detail);
  }
  const saved = await saveExtension(deps, leased.value.id, { minutes, from, lease, lengthened, ...(approvedRequestId ? { approvedRequestId } : {}) });
  if (saved.kind === 'saved') return { kind: 'extended', record: saved.record, minutes };
  return saved.record.activeUntil !== from ? { kind: 'alreadyExtended', record: saved.record } : { kind: 'busy', record: saved.record };
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

/** A refused extension: audited (`refusedTap`, `extension:<reason>`), with what is still allowed. */
export async function refuseExtension(
  deps: Pick<ElevationDeps, 'audit' | 'clock' | 'logger'>,
  record: ElevationRecord,
  reason: ExtendRefusal,
  left: ExtensionAllowance,
  detail?: string,
): Promise<ExtendOutcome> {
  await audit(deps, 'refusedTap', { record, details: { refusal: `extension:${reason}`, extensionsLeft: left.count, extensionMinutesLeft: left.minutes } });
  return { kind: 'refused', reason, record, left, ...(detail ? { detail } : {}) };
}
