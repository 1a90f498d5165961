import { dateTimeFormat } from './intl-cache.js';

/**
 * Who reads a card: their Teams locale and IANA time zone, from the activity (`locale`, the
 * `clientInfo` entity's `timezone`) or, for proactive messages that have no activity, from the chat
 * address stored when they last wrote (src/teams/chat.ts). Times inside cards use Teams' own
 * `{{DATE()}}`/`{{TIME()}}` (each viewer's zone, right for shared cards); this is for plain text
 * where those functions do not apply (choice titles, notification summaries, text messages).
 */
export interface Viewer {
  locale: string;
  timeZone: string;
}

export const DEFAULT_VIEWER: Viewer = { locale: 'en-US', timeZone: 'UTC' };

function supported(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

/** The viewer of a chat; anything Intl does not know (an odd locale or zone from the wire) falls back to en-US / UTC. */
export function viewerOf(chat?: { locale?: string | undefined; timezone?: string | undefined }): Viewer {
  const asked = { locale: chat?.locale, timeZone: chat?.timezone };
  const locale = asked.locale && supported(() => dateTimeFormat(asked.locale!)) ? asked.locale : DEFAULT_VIEWER.locale;
  const timeZone = asked.timeZone && supported(() => dateTimeFormat('en', { timeZone: asked.timeZone })) ? asked.timeZone : DEFAULT_VIEWER.timeZone;
  return { locale, timeZone };
}

/** "2 Mar 2026, 14:05 CET" in the viewer's locale and zone (the zone named, so plain text is never ambiguous); `iso` itself when it is not a time. */
export function plainTime(viewer: Viewer, iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return dateTimeFormat(viewer.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: viewer.timeZone })
    .format(at)
    .concat(` ${zoneName(viewer, at)}`);
}

function zoneName(viewer: Viewer, at: Date): string {
  const parts = dateTimeFormat(viewer.locale, { timeZone: viewer.timeZone, timeZoneName: 'short' }).formatToParts(at);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? viewer.timeZone;
}
