import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { formatAnchor, type AuditEntry, type AuditParty } from '../../domain/audit.js';
import type { Command } from '../../domain/command.js';
import { publishAuditAnchor, type AnchorOutcome } from '../../use-cases/audit-anchor.js';
import { audit } from '../../use-cases/audit-trail.js';
import { messageCard } from '../cards/elevation-cards.js';
import { isSecurityTeamMember } from '../../use-cases/security-group.js';
import type { TeamsServices } from '../services.js';

const SHOWN = 25;

function line(entry: AuditEntry): string {
  const who = entry.subject?.name ?? entry.actor?.name ?? entry.actor?.aadObjectId ?? 'Elevate';
  const what = [entry.roleName, entry.environment ? `in ${entry.environment.displayName}` : undefined].filter(Boolean).join(' ');
  const note = typeof entry.details['failure'] === 'string' ? ` (${entry.details['failure']})` : '';
  return `#${entry.seq} ${entry.at.slice(0, 16).replace('T', ' ')} UTC · ${entry.type} · ${who}${what ? ` · ${what}` : ''}${note}`;
}

function actorOf(context: TurnContext): AuditParty {
  const { from } = context.activity;
  return { aadObjectId: from.aadObjectId ?? from.id, ...(from.name ? { name: from.name } : {}) };
}

/** Security group members only; anyone else is told so, and the refusal is audited. */
async function allowed(services: TeamsServices, context: TurnContext, action: string): Promise<boolean> {
  if (await isSecurityTeamMember(services.elevation, services.securityGroupId, context.activity.from.aadObjectId)) return true;
  await audit(services.elevation, 'refusedTap', { actor: actorOf(context), details: { action, reason: 'not in the security group' } });
  await context.sendActivity('Only members of the security team group can read the audit trail.');
  return false;
}

/** `audit [24h|7d|<user object id>]`: recent audit events, for members of the security group only. */
export async function handleAudit(services: TeamsServices, context: TurnContext, command: Extract<Command, { kind: 'audit' }>): Promise<void> {
  if (!(await allowed(services, context, 'audit'))) return;
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

/** `audit anchor`: verifies the log now and posts its anchor to the security channel (security group only). */
export async function handleAuditAnchor(services: TeamsServices, context: TurnContext): Promise<void> {
  if (!(await allowed(services, context, 'audit anchor'))) return;
  const outcome = await publishAuditAnchor(services.auditIntegrity, { force: true, requestedBy: actorOf(context) });
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(messageCard(anchorReply(outcome)))));
}

function anchorReply(outcome: AnchorOutcome): Parameters<typeof messageCard>[0] {
  switch (outcome.kind) {
    case 'anchored':
    case 'unchanged': {
      const command = `npm run audit -- --verify --anchor ${formatAnchor(outcome.anchor)}`;
      const posted = outcome.kind === 'unchanged' || outcome.posted;
      return posted
        ? {
            title: `Audit anchor published: entry #${outcome.anchor.seq}`,
            text: 'Posted to the security channel. Verify the log against it with:',
            items: [command],
            tone: 'good',
          }
        : {
            title: `Audit anchor: entry #${outcome.anchor.seq} (not posted)`,
            text: 'No security channel is set (say "@Elevate notify here" in one), so keep this value somewhere the bot cannot change:',
            items: [command],
            tone: 'warning',
          };
    }
    case 'empty':
      return { title: 'Nothing to anchor', text: 'The audit log has no entries yet.' };
    case 'broken':
      return {
        title: 'Audit log verification failed',
        text: `Entry #${outcome.seq}: ${outcome.reason}. No anchor was published; the security channel was alerted.`,
        tone: 'attention',
      };
  }
}
