import { cancelSweep, confirmSweep } from '../../use-cases/standing-sweep.js';
import { isSecurityTeamMember } from '../../use-cases/security-group.js';
import { runSweep, type SweepRunner } from '../../use-cases/sweep-run.js';
import type { SweepRecord } from '../../use-cases/sweep-record.js';
import { renderMessageCard } from '../cards/message-card.js';
import { sweepCard, sweepPreviewCard } from '../cards/sweep-card.js';
import { VERBS } from '../cards/verbs.js';
import { textsFor } from '../locale/texts.js';
import type { ChatAddress } from '../chat.js';
import { loadSecurityChannel } from '../channels/security-channel.js';
import type { TeamsServices } from '../services.js';
import { text, type VerbHandler } from './card-action-support.js';
import { actorOf } from './standing-access-command.js';

/** The chat a sweep card lives in: a remembered conversation, or the security channel (a preview posted there from a 1:1 chat). */
async function chatOf(services: TeamsServices, conversationId: string): Promise<ChatAddress | undefined> {
  const known = await services.conversations.find(conversationId);
  if (known) return known;
  const channel = await loadSecurityChannel(services.elevation.store);
  return channel && channel.chat.conversationId === conversationId.split(';')[0] ? channel.chat : undefined;
}

/** Runs sweeps for this process and shows their progress on the card they were asked with (its chat's language). */
export function sweepRunner(services: TeamsServices): SweepRunner {
  const { instanceId, bootId } = services.elevation.settings;
  return {
    owner: `${instanceId}#${bootId}`,
    instanceId,
    report: async (sweep: SweepRecord) => {
      const where = sweep.card;
      if (!where?.activityId) return;
      const chat = await chatOf(services, where.conversationId);
      if (!chat) return;
      try {
        await services.courier.replace(chat, where.activityId, sweepCard(sweep, textsFor(chat)));
      } catch (error) {
        services.logger.warn({ err: error, sweepId: sweep.id }, 'could not queue the sweep card update');
      }
    },
  };
}

/** Confirm: re-validated here from the Teams activity (security group, not the requester); the card only names the sweep. */
const confirm: VerbHandler = async (services, turn, data) => {
  const texts = textsFor(turn.chat);
  const s = texts.c.standing;
  if (!(await isSecurityTeamMember(services.elevation, services.securityGroupId, turn.from.aadObjectId))) {
    return renderMessageCard({ title: s.onlySecurity, tone: 'attention' });
  }
  const outcome = await confirmSweep(services.standing.deps, text(data['sweepId']) ?? '', actorOf(turn), {
    conversationId: turn.chat.conversationId,
    ...(turn.replyToId ? { activityId: turn.replyToId } : {}),
  });
  switch (outcome.kind) {
    case 'notFound':
      return renderMessageCard({ title: s.notPending });
    case 'ownConfirmation':
      return sweepPreviewCard(outcome.sweep, texts, s.ownConfirmation);
    case 'expired':
    case 'notPending':
      return sweepCard(outcome.kind === 'expired' ? { ...outcome.sweep, state: 'expired' } : outcome.sweep, texts);
    case 'confirmed':
      services.background.run(`sweep ${outcome.sweep.id}`, () => runSweep(services.standing.deps, outcome.sweep.id, sweepRunner(services)));
      return sweepCard(outcome.sweep, texts);
  }
};

const cancel: VerbHandler = async (services, turn, data) => {
  const texts = textsFor(turn.chat);
  if (!(await isSecurityTeamMember(services.elevation, services.securityGroupId, turn.from.aadObjectId))) {
    return renderMessageCard({ title: texts.c.standing.onlySecurity, tone: 'attention' });
  }
  const outcome = await cancelSweep(services.standing.deps, text(data['sweepId']) ?? '', actorOf(turn));
  return outcome.kind === 'notFound' ? renderMessageCard({ title: texts.c.standing.notPending }) : sweepCard(outcome.sweep, texts);
};

export const SWEEP_HANDLERS: Readonly<Record<string, VerbHandler>> = { [VERBS.sweepConfirm]: confirm, [VERBS.sweepCancel]: cancel };
