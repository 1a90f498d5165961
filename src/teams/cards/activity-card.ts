import { summarizeActivity } from '../../domain/what-changed.js';
import type { ActivityOutcome } from '../../use-cases/elevation-activity.js';
import type { Texts } from '../locale/texts.js';
import { changesItems, changesText } from './changes-view.js';
import { renderMessageCard, type MessageCardData } from './message-card.js';
import type { AdaptiveCard } from './render.js';

/** Records named on the card (a message card holds 25 bullets); the export has every row. */
export const ACTIVITY_SHOWN = 25;

export interface ActivityLinks {
  csv: string;
  json: string;
  until: string;
}

/** `audit <elevation id>` when the id names no elevation: malformed, or unknown. */
export function activityProblemCard(kind: 'malformed' | 'unknown', id: string, texts: Texts): AdaptiveCard {
  const a = texts.c.activity;
  return renderMessageCard(
    kind === 'malformed'
      ? { title: texts.fill(a.malformed, { id: id.slice(0, 100) }), text: a.malformedText, tone: 'warning' }
      : { title: texts.fill(a.unknown, { id }), text: a.unknownText, tone: 'warning' },
  );
}

/**
 * The answer to `audit <elevation id>` for a known elevation: the window, the counts by operation and table, the
 * first records with their times (the reader's zone), and the export links when there are more than the card holds.
 */
export function activityCard(
  outcome: Exclude<ActivityOutcome, { kind: 'malformed' | 'unknown' }>,
  links: ActivityLinks | undefined,
  texts: Texts,
): AdaptiveCard {
  const a = texts.c.activity;
  const { record } = outcome;
  const environment = record.environment.displayName;
  const title = texts.fill(a.title, { who: record.requester.name, environment, id: record.id });
  if (outcome.kind === 'notElevated') {
    return renderMessageCard({ title, text: texts.fill(a.notElevated, { environment, state: record.state }) });
  }
  const { window } = outcome;
  const when = texts.fill(window.ongoing ? a.windowOngoing : a.window, { from: texts.time(window.from), to: texts.time(window.to) });
  if (outcome.kind !== 'read') {
    const summary = changesText({ state: outcome.kind }, environment, record.requester.name, texts) ?? '';
    return renderMessageCard({ title, text: `${when} ${summary}`, tone: 'warning' });
  }
  const summary = summarizeActivity({ auditing: 'on', entries: outcome.entries, truncated: outcome.truncated }, ACTIVITY_SHOWN);
  const counts = changesText(summary, environment, record.requester.name, texts) ?? '';
  const card: MessageCardData = { title, text: `${when} ${counts}`, items: changesItems(summary, texts) };
  if (!links) return renderMessageCard(card);
  const more = texts.fill(a.shownFirst, { shown: ACTIVITY_SHOWN, count: outcome.entries.length, until: texts.time(links.until) });
  return renderMessageCard({
    ...card,
    text: `${card.text} ${more}`,
    links: [
      { title: texts.c.standing.exportCsv, url: links.csv },
      { title: texts.c.standing.exportJson, url: links.json },
    ],
  });
}
