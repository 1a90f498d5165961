import type { ElevationRecord } from '../../domain/elevation.js';
import { formatDuration, parseIsoDuration } from '../../domain/duration.js';
import { RETENTION } from '../../domain/retention.js';
import { renderMessageCard, type MessageItem } from './message-card.js';
import type { AdaptiveCard } from './render.js';

const STATE_WORDS: Record<ElevationRecord['state'], string> = {
  draft: 'request card not submitted yet; it expires',
  awaitingApproval: 'waiting for approval',
  activating: 'activating in PIM',
  elevating: 'granting System Administrator',
  active: 'active',
  failed: 'failed',
  cancelled: 'cancelled',
  ended: 'ended',
};

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
function statusItem(r: ElevationRecord, now: Date, deactivateAt: string | undefined): MessageItem {
  const asked = r.duration ? ` for ${formatDuration(parseIsoDuration(r.duration) ?? 0)}` : '';
  const head = `${r.environment.displayName}: ${r.roleName ?? 'role not chosen yet'}${asked}`;
  if (r.state === 'active' && deactivateAt) return { text: `${head} (active; Deactivate when possible is scheduled)`, at: deactivateAt };
  if (r.state === 'active' && r.activeUntil) {
    const left = formatDuration(Math.max(0, Math.round((Date.parse(r.activeUntil) - now.getTime()) / 60000)));
    return { text: `${head} (active, ${left} left, until)`, at: r.activeUntil };
  }
  if (r.state === 'draft') return { text: `${head} (${STATE_WORDS.draft})`, at: draftExpiresAt(r).toISOString() };
  return { text: `${head} (${STATE_WORDS[r.state]})` };
}

/** `status`: the requester's recent elevations, active ones first, with any deactivation they scheduled. */
export function statusCard(
  records: readonly ElevationRecord[],
  now: Date,
  eligibleRoles: readonly string[] = [],
  deactivations: Readonly<Record<string, string>> = {},
): AdaptiveCard {
  const current = records.filter((r) => isCurrent(r, now));
  const items = current.slice(0, 10).map((r) => statusItem(r, now, deactivations[r.id]));
  const roles = `Eligible in PIM for: ${eligibleRoles.length > 0 ? eligibleRoles.join(', ') : 'no role that grants System Administrator'}.`;
  return renderMessageCard({
    title: 'Your elevations',
    ...(items.length > 0
      ? { items, text: roles }
      : { text: `You have no active or pending elevations. ${roles} Type "elevate me in <environment>" to start one.` }),
  });
}
