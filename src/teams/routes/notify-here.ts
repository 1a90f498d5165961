import type { Command } from '../../domain/command.js';
import { audit } from '../../use-cases/audit-trail.js';
import { isSecurityTeamMember } from '../../use-cases/security-group.js';
import { saveApprovalsChannel } from '../channels/approvals-channel.js';
import { saveSecurityChannel, securityChannelFrom, type SecurityChannel } from '../channels/security-channel.js';
import type { TeamsServices } from '../services.js';
import type { Catalogue } from '../locale/catalogue-en.js';
import { textsFor } from '../locale/texts.js';
import type { Turn } from '../turn.js';

/**
 * `@Elevate notify here` in a team channel: only members of SECURITY_GROUP_ID (checked by object id
 * through Graph, transitive membership, with the bot's own identity) may point notifications here.
 */
export async function handleNotifyHere(services: TeamsServices, turn: Turn, _command: Extract<Command, { kind: 'notifyHere' }>): Promise<void> {
  await configureChannel(services, turn, NOTIFICATIONS);
}

/**
 * `@Elevate approvals here`: approval cards of requests whose policy names no channel (and the
 * reference a policy's `approvalsChannel` needs) go to this channel. Security group only, like
 * `notify here`.
 */
export async function handleApprovalsHere(services: TeamsServices, turn: Turn, _command: Extract<Command, { kind: 'approvalsHere' }>): Promise<void> {
  await configureChannel(services, turn, APPROVALS);
}

interface ChannelPurpose {
  command: string;
  save: (services: TeamsServices, channel: SecurityChannel) => Promise<void>;
  refusal: keyof Catalogue['chat'];
  done: keyof Catalogue['chat'];
}

const NOTIFICATIONS: ChannelPurpose = {
  command: 'notify here',
  save: (services, channel) => saveSecurityChannel(services.elevation.store, channel),
  refusal: 'notifyRefusal',
  done: 'notifyDone',
};

const APPROVALS: ChannelPurpose = {
  command: 'approvals here',
  save: (services, channel) => saveApprovalsChannel(services.elevation.store, channel),
  refusal: 'approvalsRefusal',
  done: 'approvalsDone',
};

async function configureChannel(services: TeamsServices, turn: Turn, purpose: ChannelPurpose): Promise<void> {
  const oid = turn.from.aadObjectId;
  const texts = textsFor(turn.chat);
  const channel = securityChannelFrom(turn, services.elevation.clock.now());
  if (!channel) {
    await turn.send({ text: texts.fill(texts.c.chat.sayInChannel, { command: purpose.command }) });
    return;
  }
  const actor = { aadObjectId: oid ?? turn.from.id, ...(turn.from.name ? { name: turn.from.name } : {}) };
  if (!(await isSecurityTeamMember(services.elevation, services.securityGroupId, oid))) {
    services.logger.warn({ aadObjectId: oid, channelId: channel.channelId }, 'notify here refused: not in the security group');
    await audit(services.elevation, 'refusedTap', {
      actor,
      details: { action: purpose.command, channelId: channel.channelId, reason: 'not in the security group' },
    });
    await turn.send({ text: texts.c.chat[purpose.refusal] });
    return;
  }
  await purpose.save(services, channel);
  await audit(services.elevation, 'channelConfigured', {
    actor,
    details: { purpose: purpose.command, channelId: channel.channelId, channelName: channel.channelName ?? null, teamId: channel.teamId ?? null },
  });
  services.logger.info({ aadObjectId: oid, channelId: channel.channelId, purpose: purpose.command }, 'channel set');
  await turn.send({ text: texts.fill(texts.c.chat[purpose.done], { name: channel.channelName ? ` (${channel.channelName})` : '' }) });
}
