/**
 * The security channel's weekly digest (issue #16): elevations per environment and role, their median duration,
 * approval decisions, break-glass uses and failed clean-ups of one week, computed from the elevation records and
 * the audit trail. Pure: the week and the data are passed in.
 */
import type { ElevationRecord } from './elevation.js';

/** The week a digest covers: `[from, to)`, ISO instants. */
export interface DigestWeek {
  from: string;
  to: string;
}

/** The audit events the digest reads (a subset of an audit entry). */
export interface DigestEvent {
  type: string;
  at: string;
  elevationId?: string;
  subject?: { name?: string; aadObjectId: string };
  environment?: { id: string; displayName: string };
}

export interface DigestGroup {
  environment: string;
  role: string;
  count: number;
}

export interface FailedCleanup {
  elevationId: string;
  who: string;
  environment: string;
}

export interface WeeklyDigest extends DigestWeek {
  /** Elevations that became active in the week. */
  elevations: number;
  /** Per environment and role, most first (ties by environment, then role). */
  byEnvironmentAndRole: DigestGroup[];
  /** Median minutes from elevated to ended, of the week's elevations that have ended; undefined when none has. */
  medianMinutes?: number;
  /** How many ended (the median's sample). */
  ended: number;
  /** Approval decisions made in the week (Elevate policy approvals and PIM approvals made through Elevate). */
  approved: number;
  denied: number;
  /** Break-glass elevations started in the week (`breakGlassUsed` audit events, one per elevation). */
  breakGlass: number;
  /** Elevations whose clean-up failed in the week (an audit `cleanupFailed` event), once each. */
  failedCleanups: FailedCleanup[];
}

export const WEEK_MS = 7 * 24 * 60 * 60_000;

/** The middle value (the mean of the two middle ones for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function within(week: DigestWeek, at: string | undefined): boolean {
  if (!at) return false;
  const t = Date.parse(at);
  return t >= Date.parse(week.from) && t < Date.parse(week.to);
}

/** When the record became active (its first `active` step), if it did. */
export function elevatedAt(record: Pick<ElevationRecord, 'history'>): string | undefined {
  return record.history.find((h) => h.state === 'active')?.at;
}

function groups(records: readonly ElevationRecord[]): DigestGroup[] {
  const counts = new Map<string, DigestGroup>();
  for (const r of records) {
    const role = r.roleName ?? r.roleId ?? '?';
    const key = `${r.environment.id.toLowerCase()}|${role}`;
    const group = counts.get(key) ?? { environment: r.environment.displayName, role, count: 0 };
    group.count += 1;
    counts.set(key, group);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.environment.localeCompare(b.environment) || a.role.localeCompare(b.role));
}

/** Decisions of the week: an Elevate approval that ended approved or denied (at its last vote), and a PIM decision. */
function decisions(week: DigestWeek, records: readonly ElevationRecord[]): { approved: number; denied: number } {
  let approved = 0;
  let denied = 0;
  const count = (decision: 'approve' | 'deny'): void => {
    if (decision === 'approve') approved += 1;
    else denied += 1;
  };
  for (const r of records) {
    const status = r.approval?.status;
    if ((status === 'approved' || status === 'denied') && within(week, r.approval?.votes.at(-1)?.at)) count(status === 'approved' ? 'approve' : 'deny');
    if (r.pimDecision && within(week, r.pimDecision.at)) count(r.pimDecision.decision);
  }
  return { approved, denied };
}

function failedCleanups(week: DigestWeek, records: ReadonlyMap<string, ElevationRecord>, events: readonly DigestEvent[]): FailedCleanup[] {
  const seen = new Map<string, FailedCleanup>();
  for (const e of events) {
    if (e.type !== 'cleanupFailed' || !e.elevationId || seen.has(e.elevationId) || !within(week, e.at)) continue;
    const record = records.get(e.elevationId);
    seen.set(e.elevationId, {
      elevationId: e.elevationId,
      who: record?.requester.name ?? e.subject?.name ?? e.subject?.aadObjectId ?? '?',
      environment: record?.environment.displayName ?? e.environment?.displayName ?? '?',
    });
  }
  return [...seen.values()];
}

/** The digest of `week` from the records concerned and the week's audit events. */
export function weeklyDigest(week: DigestWeek, records: readonly ElevationRecord[], events: readonly DigestEvent[]): WeeklyDigest {
  const elevated = records.filter((r) => within(week, elevatedAt(r)));
  const durations = elevated.flatMap((r) => (r.ending ? [(Date.parse(r.ending.at) - Date.parse(elevatedAt(r)!)) / 60_000] : []));
  const middle = median(durations);
  return {
    ...week,
    elevations: elevated.length,
    byEnvironmentAndRole: groups(elevated),
    ...(middle !== undefined ? { medianMinutes: middle } : {}),
    ended: durations.length,
    ...decisions(week, records),
    // Uses, not drafts: the flag is set when the card opens; `breakGlassUsed` is audited once the submit is saved.
    breakGlass: new Set(events.filter((e) => e.type === 'breakGlassUsed' && e.elevationId && within(week, e.at)).map((e) => e.elevationId)).size,
    failedCleanups: failedCleanups(week, new Map(records.map((r) => [r.id, r])), events),
  };
}
