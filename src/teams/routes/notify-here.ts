import type { TurnContext } from 'botbuilder';
import type { Command } from '../../domain/command.js';
import { audit } from '../../use-cases/audit-trail.js';
import { isSecurityTeamMember } from '../security-group.js';
import { saveSecurityChannel, securityChannelFrom } from '../security-channel.js';
import type { TeamsServices } from '../services.js';

/**
 * `@Elevate notify here` in a team channel: only members of SECURITY_GROUP_ID (checked by object id
 * through Graph, transitive membership, with the bot's own identity) may point notifications here.
 */
export async function handleNotifyHere(services: TeamsServices, context: TurnContext, _command: Extract<Command, { kind: 'notifyHere' }>): Promise<void> {
  const oid = context.activity.from.aadObjectId;
  const channel = securityChannelFrom(context.activity, services.elevation.clock.now());
  if (!channel) {
    await context.sendActivity('Say `@Elevate notify here` in the team channel where the security team wants Elevate notifications.');
    return;
  }
  const actor = { aadObjectId: oid ?? context.activity.from.id, ...(context.activity.from.name ? { name: context.activity.from.name } : {}) };
  if (!(await isSecurityTeamMember(services, oid))) {
    services.logger.warn({ aadObjectId: oid, channelId: channel.channelId }, 'notify here refused: not in the security group');
    await audit(services.elevation, 'refusedTap', {
      actor,
      details: { action: 'notify here', channelId: channel.channelId, reason: 'not in the security group' },
    });
    await context.sendActivity('Only members of the security team group can choose where Elevate posts security notifications.');
    return;
  }
  await saveSecurityChannel(services.elevation.store, channel);
  await audit(services.elevation, 'channelConfigured', {
    actor,
    details: { channelId: channel.channelId, channelName: channel.channelName ?? null, teamId: channel.teamId ?? null },
  });
  services.logger.info({ aadObjectId: oid, channelId: channel.channelId }, 'security notification channel set');
  await context.sendActivity(
    `Elevate will post every elevation request, activation and failure in this channel${channel.channelName ? ` (${channel.channelName})` : ''}.`,
  );
}
