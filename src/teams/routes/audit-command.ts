import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { AuditEntry } from '../../domain/audit.js';
import type { Command } from '../../domain/command.js';
import { audit } from '../../use-cases/audit-trail.js';
import { messageCard } from '../elevation-cards.js';
import { isSecurityTeamMember } from '../security-group.js';
import type { TeamsServices } from '../services.js';

const SHOWN = 25;

function line(entry: AuditEntry): string {
  const who = entry.subject?.name ?? entry.actor?.name ?? entry.actor?.aadObjectId ?? 'Elevate';
  const what = [entry.roleName, entry.environment ? `in ${entry.environment.displayName}` : undefined].filter(Boolean).join(' ');
  const note = typeof entry.details['failure'] === 'string' ? ` (${entry.details['failure']})` : '';
  return `#${entry.seq} ${entry.at.slice(0, 16).replace('T', ' ')} UTC · ${entry.type} · ${who}${what ? ` · ${what}` : ''}${note}`;
}

/** `audit [24h|7d|<user object id>]`: recent audit events, for members of the security group only. */
export async function handleAudit(services: TeamsServices, context: TurnContext, command: Extract<Command, { kind: 'audit' }>): Promise<void> {
  const oid = context.activity.from.aadObjectId;
  const actor = { aadObjectId: oid ?? context.activity.from.id, ...(context.activity.from.name ? { name: context.activity.from.name } : {}) };
  if (!(await isSecurityTeamMember(services, oid))) {
    await audit(services.elevation, 'refusedTap', { actor, details: { action: 'audit', reason: 'not in the security group' } });
    await context.sendActivity('Only members of the security team group can read the audit trail.');
    return;
  }
  const since = new Date(services.elevation.clock.now().getTime() - command.sinceMinutes * 60_000);
  const entries = await services.elevation.audit.list({ since, ...(command.userId ? { aadObjectId: command.userId } : {}), limit: SHOWN });
  const card = messageCard({
    title: `Audit trail: last ${command.sinceMinutes >= 1440 ? `${Math.round(command.sinceMinutes / 1440)} d` : `${Math.round(command.sinceMinutes / 60)} h`}${command.userId ? ` for ${command.userId}` : ''}`,
    ...(entries.length > 0
      ? { items: entries.reverse().map(line), text: `Newest first, at most ${SHOWN}. Export and verify the whole log with \`npm run audit\`.` }
      : { text: 'No events in that period.' }),
  });
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}
