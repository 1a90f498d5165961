import type { WeeklyDigest } from '../../domain/weekly-digest.js';
import type { DigestReporter } from '../../use-cases/weekly-digest.js';
import { renderMessageCard, type MessageItem } from '../cards/message-card.js';
import type { AdaptiveCard } from '../cards/render.js';
import { textsFor, type Texts } from '../locale/texts.js';
import type { TeamsServices } from '../services.js';
import { loadSecurityChannel } from './security-channel.js';

/** Groups and failed clean-ups named on the card; a message card holds 25 bullets. */
const SHOWN_GROUPS = 12;
const SHOWN_FAILURES = 8;

function lines(digest: WeeklyDigest, texts: Texts): MessageItem[] {
  const d = texts.c.digest;
  const groups = digest.byEnvironmentAndRole
    .slice(0, SHOWN_GROUPS)
    .map((g) => texts.fill(d.group, { environment: g.environment, role: g.role, count: g.count }));
  const moreGroups = digest.byEnvironmentAndRole.length - SHOWN_GROUPS;
  const median =
    digest.medianMinutes === undefined
      ? d.medianNone
      : texts.fill(d.median, { duration: texts.duration(Math.max(1, Math.round(digest.medianMinutes))), ended: digest.ended });
  const failures = digest.failedCleanups
    .slice(0, SHOWN_FAILURES)
    .map((f) => texts.fill(d.cleanupFailedLine, { who: f.who, environment: f.environment, id: f.elevationId }));
  return [
    ...groups,
    ...(moreGroups > 0 ? [texts.fill(d.moreGroups, { count: moreGroups })] : []),
    median,
    texts.fill(d.decisions, { approved: digest.approved, denied: digest.denied }),
    texts.fill(d.breakGlass, { count: digest.breakGlass }),
    texts.fill(d.cleanupFailed, { count: digest.failedCleanups.length }),
    ...failures,
  ].map((text) => ({ text }));
}

/** The digest card in the reader's language: the week, elevations per environment and role, then the figures. */
export function digestCard(digest: WeeklyDigest, texts: Texts): AdaptiveCard {
  const d = texts.c.digest;
  const attention = digest.failedCleanups.length > 0 || digest.breakGlass > 0;
  return renderMessageCard({
    title: d.title,
    text: `${texts.fill(d.week, { from: texts.time(digest.from), to: texts.time(digest.to) })} ${texts.fill(
      digest.elevations === 0 ? d.noElevations : d.elevations,
      { count: digest.elevations },
    )}`,
    items: lines(digest, texts),
    tone: attention ? 'warning' : 'default',
  });
}

/** Posts the weekly digest to the security channel through the outbox, once per `key`; false when no channel is set. */
export function digestReporter(services: Pick<TeamsServices, 'courier' | 'elevation' | 'logger'>): DigestReporter {
  return async (digest, key) => {
    const channel = await loadSecurityChannel(services.elevation.store);
    if (!channel) {
      services.logger.warn({ event: 'weeklyDigest' }, 'the weekly digest is due but no security channel is set (say notify here in one)');
      return false;
    }
    const texts = textsFor(channel.chat);
    await services.courier.startThread(channel, { card: digestCard(digest, texts), summary: texts.c.digest.title }, { key });
    return true;
  };
}
