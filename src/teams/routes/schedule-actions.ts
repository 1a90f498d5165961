import type { Command } from '../../domain/command.js';
import { runElevation } from '../../use-cases/run-elevation.js';
import { moveScheduled, nextScheduled } from '../../use-cases/move-scheduled.js';
import { startTap } from '../../use-cases/scheduled-start.js';
import { messageCard } from '../cards/elevation-cards.js';
import { VERBS } from '../cards/verbs.js';
import { textsFor, type Texts } from '../locale/texts.js';
import type { TeamsServices } from '../services.js';
import { turnUser, type Turn } from '../turn.js';
import { needsSignIn, recordCard, refuseNotYours, text, type VerbHandler } from './card-action-support.js';
import { MAX_SCHEDULE_AHEAD_DAYS, type StartRefusal } from '../../domain/start-time.js';

/**
 * **Start** on a scheduled elevation whose start came without the requester's token (issue #16):
 * signs the tapper in if needed (the tap is replayed after the sign-in), then the use case checks the
 * tapper, that the start has come, eligibility and both policies, and starts it once (compare-and-swap).
 */
const start: VerbHandler = async (services, turn, data) => {
  const texts = textsFor(turn.chat);
  const user = turnUser(turn);
  const id = text(data.requestId) ?? '';
  if (!user) return messageCard({ title: texts.c.chat.refused, text: texts.c.chat.whoAreYou });
  const signInCard = await needsSignIn(services, turn, '');
  if (signInCard) return signInCard;
  const outcome = await startTap(services.elevation, user.aadObjectId, id);
  switch (outcome.kind) {
    case 'notFound':
      return messageCard({ title: texts.c.chat.requestNotFound, text: texts.c.chat.requestGone });
    case 'notYours':
      return refuseNotYours(services, user.aadObjectId, id, texts);
    case 'signInNeeded':
      return messageCard({ title: texts.c.chat.signInAgain, text: texts.c.chat.signingInText, tone: 'warning' });
    case 'started':
      services.background.run(`elevation ${outcome.record.id}`, () => runElevation(services.elevation, outcome.record.id));
      return recordCard(services, outcome.record, texts);
    case 'notStarted':
      return recordCard(services, outcome.record, texts);
    case 'notStartable':
      return outcome.record.state === 'scheduled' || outcome.record.state === 'awaitingApproval'
        ? messageCard({
            title: texts.c.schedule.notYetTitle,
            text: texts.c.schedule.notYetText,
            when: { label: texts.c.schedule.startsAt, at: outcome.record.schedule?.startAt ?? '' },
          })
        : recordCard(services, outcome.record, texts);
  }
};

export const SCHEDULE_HANDLERS: Readonly<Record<string, VerbHandler>> = { [VERBS.startScheduled]: start };

/** A start refusal in the reader's words. */
export function startRefusalText(reason: StartRefusal | 'startWithNow', typed: string, texts: Texts): string {
  const s = texts.c.schedule;
  return texts.fill(s[reason], { typed, days: MAX_SCHEDULE_AHEAD_DAYS });
}

/** `move to <time>`: a new start for the requester's next scheduled elevation that has not started. */
export async function handleMove(services: TeamsServices, turn: Turn, command: Extract<Command, { kind: 'move' }>): Promise<void> {
  const texts = textsFor(turn.chat);
  const s = texts.c.schedule;
  const user = turnUser(turn);
  if (!user) return;
  if (!command.start) return void (await turn.send({ card: messageCard({ title: texts.c.chat.didNotUnderstand, text: s.moveUsage }) }));
  const next = await nextScheduled(services.elevation, user.aadObjectId);
  if (!next) return void (await turn.send({ card: messageCard({ title: texts.c.chat.didNotUnderstand, text: s.nothingToMove }) }));
  const outcome = await moveScheduled(services.elevation, user.aadObjectId, next.id, command.start.at);
  const environment = next.environment.displayName;
  const card =
    outcome.kind === 'moved' || outcome.kind === 'unchanged'
      ? messageCard({
          title: texts.fill(s.movedTitle, { environment }),
          text: texts.fill(s.movedText, {
            start: texts.time(outcome.record.schedule?.startAt ?? command.start.at),
            previous: texts.time(outcome.kind === 'moved' ? outcome.previous : (outcome.record.schedule?.startAt ?? '')),
          }),
          when: { label: s.startsAt, at: outcome.record.schedule?.startAt ?? command.start.at },
          tone: 'good',
        })
      : outcome.kind === 'refused'
        ? messageCard({ title: texts.c.chat.didNotUnderstand, text: startRefusalText(outcome.reason, command.start.source, texts) })
        : messageCard({ title: texts.fill(s.cannotMove, { reason: outcome.kind === 'approved' ? s.approvedStart : s.alreadyStarted }), tone: 'warning' });
  await turn.send({ card });
}
