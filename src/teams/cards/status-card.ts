import type { ElevationRecord } from '../../domain/elevation.js';
import { parseIsoDuration } from '../../domain/duration.js';
import { RETENTION } from '../../domain/retention.js';
import { waitsForStart } from '../../domain/scheduled-start.js';
import { ENGLISH, type Texts } from '../locale/texts.js';
import { renderMessageCard, type MessageItem } from './message-card.js';
import type { AdaptiveCard } from './render.js';

/** The state words of the states `status` lists without a time of their own. */
const STATE_KEYS = { awaitingApproval: 'awaitingApproval', activating: 'activating', elevating: 'elevating', failed: 'failed' } as const;

/** When an unsubmitted request card expires: housekeeping deletes drafts after RETENTION.draftHours, and a tap then says "This request expired". */
export function draftExpiresAt(record: ElevationRecord): Date {
  return new Date(Date.parse(record.createdAt) + RETENTION.draftHours * 3_600_000);
}

/** Whether `status` still lists the record: not over, and not an expired request card. */
function isCurrent(r: ElevationRecord, now: Date): boolean {
  if (r.state === 'cancelled' || r.state === 'ended') return false;
  if (r.state === 'active' && r.activeUntil && Date.parse(r.activeUntil) <= now.getTime()) return false;
  return !(r.state === 'draft' && draftExpiresAt(r).getTime() <= now.getTime());
}

/** One status bullet; its time (the end, the scheduled deactivation, the card's expiry) under it with DATE()/TIME(). */
function statusItem(r: ElevationRecord, now: Date, deactivateAt: string | undefined, texts: Texts): MessageItem {
  const c = texts.c.status;
  const asked = r.duration ? texts.fill(c.forDuration, { duration: texts.duration(parseIsoDuration(r.duration) ?? 0) }) : '';
  const head = `${r.environment.displayName}: ${r.roleName ?? c.roleNotChosen}${asked}`;
  if (r.state === 'active' && deactivateAt) return { text: texts.fill(c.scheduled, { head }), at: deactivateAt };
  if (r.state === 'active' && r.activeUntil) {
    const left = texts.duration(Math.max(0, Math.round((Date.parse(r.activeUntil) - now.getTime()) / 60000)));
    return { text: texts.fill(c.activeUntil, { head, left }), at: r.activeUntil };
  }
  if (r.schedule && waitsForStart(r)) return { text: texts.fill(scheduledStatus(r, texts), { head }), at: r.schedule.startAt };
  if (r.state === 'draft') return { text: texts.fill(c.draft, { head }), at: draftExpiresAt(r).toISOString() };
  const key = r.state in STATE_KEYS ? STATE_KEYS[r.state as keyof typeof STATE_KEYS] : 'failed';
  return { text: texts.fill(c.state, { head, state: c[key] }) };
}

/** A scheduled elevation before its start (issue #16): scheduled, approved and scheduled, or waiting for approval. */
function scheduledStatus(r: ElevationRecord, texts: Texts): string {
  const s = texts.c.schedule;
  if (r.state === 'scheduled') return s.statusScheduled;
  return r.approval?.status === 'approved' ? s.statusApprovedScheduled : s.statusAwaitingScheduled;
}

/** `status`: the requester's recent elevations, active ones first, with any deactivation they scheduled. */
export function statusCard(
  records: readonly ElevationRecord[],
  now: Date,
  eligibleRoles: readonly string[] = [],
  deactivations: Readonly<Record<string, string>> = {},
  texts: Texts = ENGLISH,
): AdaptiveCard {
  const c = texts.c.status;
  const current = records.filter((r) => isCurrent(r, now));
  const items = current.slice(0, 10).map((r) => statusItem(r, now, deactivations[r.id], texts));
  const roles = texts.fill(c.eligible, { roles: eligibleRoles.length > 0 ? texts.list(eligibleRoles) : c.noEligible });
  return renderMessageCard({ title: c.title, ...(items.length > 0 ? { items, text: roles } : { text: texts.fill(c.none, { roles }) }) });
}
