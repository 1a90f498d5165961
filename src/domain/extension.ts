/**
 * Extending a running elevation (issue #16, "Extend"): how much more time the Elevate policy allows,
 * and whether one request for more fits. Pure: the caller passes the record, the policy and `now`.
 *
 * PIM does not lengthen a running activation (docs/api-contracts.md §2.1): Elevate asks for a new
 * activation that starts as the current one ends, or deactivates and activates again. Either way the
 * elevation keeps its id; each extension is kept on the record (`extensions`), so the count and the
 * total the policy caps are read from the record itself.
 */
import { parseIsoDuration, PIM_MINIMUM_MINUTES, toIsoDuration } from './duration.js';
import { canExtend } from './break-glass.js';
import type { ElevationRecord } from './elevation.js';

export type { ElevationExtension, ExtensionPath } from './elevation.js';

/** The policy's caps on extensions of one elevation. */
export interface ExtensionLimits {
  /** How many extensions at most; 0 turns extending off. */
  readonly maximumCount: number;
  /** The longest all extensions of one elevation may add up to, in minutes. */
  readonly maximumTotalMinutes: number;
  /** Whether each extension needs approval again (defaults to the rule's own approval). */
  readonly approvalRequired: boolean;
}

/** Without policy keys: two extensions adding up to two hours at most. */
export const DEFAULT_MAXIMUM_EXTENSIONS = 2;
export const DEFAULT_MAXIMUM_EXTENSION_TOTAL = 'PT2H';
/** `extend` without `by …`, and the reminder card's **Extend**: one hour, or what is left if less. */
export const DEFAULT_EXTENSION_MINUTES = 60;
/** At most this many extensions can be configured. */
export const EXTENSION_COUNT_LIMIT = 10;

/** The policy's extension settings as stated (elevate-policy.ts reads them per rule). */
export interface ExtensionSettings {
  readonly maximumExtensions?: number;
  /** ISO 8601 duration. */
  readonly maximumExtensionTotal?: string;
  readonly extensionApproval?: boolean;
}

export function extensionLimits(settings: ExtensionSettings, ruleNeedsApproval: boolean): ExtensionLimits {
  return {
    maximumCount: settings.maximumExtensions ?? DEFAULT_MAXIMUM_EXTENSIONS,
    maximumTotalMinutes: parseIsoDuration(settings.maximumExtensionTotal ?? DEFAULT_MAXIMUM_EXTENSION_TOTAL) ?? 0,
    approvalRequired: settings.extensionApproval ?? ruleNeedsApproval,
  };
}

/** What is still allowed: extensions and minutes. */
export interface ExtensionAllowance {
  readonly count: number;
  readonly minutes: number;
}

export function extensionLeft(record: Pick<ElevationRecord, 'extensions'>, limits: ExtensionLimits): ExtensionAllowance {
  const done = record.extensions ?? [];
  const used = done.reduce((sum, e) => sum + e.minutes, 0);
  const count = Math.max(0, limits.maximumCount - done.length);
  const minutes = count === 0 ? 0 : Math.max(0, limits.maximumTotalMinutes - used);
  return { count, minutes };
}

export type ExtensionRefusal = 'breakGlass' | 'notActive' | 'ended' | 'notAllowed' | 'countExhausted' | 'totalExceeded' | 'tooShort';

export type ExtensionCheck = { ok: true; minutes: number } | { ok: false; reason: ExtensionRefusal; left: ExtensionAllowance };

/**
 * Whether `requested` more minutes (the default when absent) fit: never for break glass; only while
 * active and before the end; within the count and the total left. A request beyond the total is
 * refused, not cut, so the requester sees the reason; without a requested length Elevate takes the
 * default or what is left, whichever is less.
 */
export function checkExtension(
  record: Pick<ElevationRecord, 'breakGlass' | 'state' | 'activeUntil' | 'extensions'>,
  requested: number | undefined,
  limits: ExtensionLimits,
  now: Date,
): ExtensionCheck {
  const left = extensionLeft(record, limits);
  if (record.breakGlass === true) return { ok: false, reason: 'breakGlass', left };
  if (!canExtend(record)) return { ok: false, reason: 'notActive', left };
  if (!record.activeUntil || Date.parse(record.activeUntil) <= now.getTime()) return { ok: false, reason: 'ended', left };
  if (limits.maximumCount === 0 || limits.maximumTotalMinutes === 0) return { ok: false, reason: 'notAllowed', left };
  if (left.count === 0) return { ok: false, reason: 'countExhausted', left };
  const minutes = requested ?? Math.min(DEFAULT_EXTENSION_MINUTES, left.minutes);
  if (minutes < PIM_MINIMUM_MINUTES) return { ok: false, reason: left.minutes < PIM_MINIMUM_MINUTES ? 'totalExceeded' : 'tooShort', left };
  if (minutes > left.minutes) return { ok: false, reason: 'totalExceeded', left };
  return { ok: true, minutes };
}

/** What an extension request asks: `minutes` more from the elevation's end `from`, under the request's own id. */
export interface ExtensionRequestAsk {
  readonly id: string;
  readonly minutes: number;
  readonly from: string;
  readonly justification: string | undefined;
  /** ISO instant of the request. */
  readonly at: string;
}

/**
 * The draft that puts an extension of `parent` to the approvers. Built from an allow-list: only who,
 * where, which role and ticket travel from the elevation. A copy of the whole record would carry its
 * `schedule` (and look like a scheduled start waiting to run), its requester `card` (and replace it),
 * its PIM approval, step-up and standing-access facts.
 */
export function extensionRequestDraft(parent: ElevationRecord, ask: ExtensionRequestAsk): ElevationRecord {
  return {
    id: ask.id,
    state: 'draft',
    requester: parent.requester,
    environment: parent.environment,
    options: parent.options,
    ...(parent.card ? { chat: { conversationId: parent.card.conversationId } } : {}),
    ...(parent.roleId !== undefined ? { roleId: parent.roleId } : {}),
    ...(parent.roleName !== undefined ? { roleName: parent.roleName } : {}),
    ...(parent.ticketNumber !== undefined ? { ticketNumber: parent.ticketNumber } : {}),
    ...(parent.ticketSystem !== undefined ? { ticketSystem: parent.ticketSystem } : {}),
    duration: toIsoDuration(ask.minutes),
    justification: `Extension of elevation ${parent.id} by ${ask.minutes} min: ${ask.justification ?? parent.justification ?? ''}`.slice(0, 1000),
    extends: { elevationId: parent.id, minutes: ask.minutes, from: ask.from },
    history: [{ at: ask.at, state: 'draft', note: `extension of ${parent.id}` }],
    createdAt: ask.at,
    updatedAt: ask.at,
  };
}

/** What an extension problem in the policy file is (field, problem); empty when sound. */
export function extensionSettingsProblems(settings: ExtensionSettings): { field: string; problem: string }[] {
  const found: { field: string; problem: string }[] = [];
  const count = settings.maximumExtensions;
  if (count !== undefined && (!Number.isInteger(count) || count < 0 || count > EXTENSION_COUNT_LIMIT))
    found.push({ field: 'maximumExtensions', problem: `must be a whole number from 0 to ${EXTENSION_COUNT_LIMIT}` });
  const total = settings.maximumExtensionTotal;
  if (total !== undefined) {
    const minutes = parseIsoDuration(total);
    if (minutes === undefined) found.push({ field: 'maximumExtensionTotal', problem: 'must be an ISO 8601 duration such as PT2H' });
    else if (minutes < PIM_MINIMUM_MINUTES || minutes > 24 * 60)
      found.push({ field: 'maximumExtensionTotal', problem: `must be between PT${PIM_MINIMUM_MINUTES}M and PT24H` });
  }
  return found;
}
