import { formatAnchor, type AuditEntry, type AuditParty } from '../../domain/audit.js';
import type { Command } from '../../domain/command.js';
import { publishAuditAnchor, type AnchorOutcome } from '../../use-cases/audit-anchor.js';
import { audit, recentAuditEntries } from '../../use-cases/audit-trail.js';
import { messageCard } from '../cards/elevation-cards.js';
import { isSecurityTeamMember } from '../../use-cases/security-group.js';
import type { TeamsServices } from '../services.js';
import type { Turn } from '../turn.js';

const SHOWN = 25;

function line(entry: AuditEntry): string {
  const who = entry.subject?.name ?? entry.actor?.name ?? entry.actor?.aadObjectId ?? 'Elevate';
  const what = [entry.roleName, entry.environment ? `in ${entry.environment.displayName}` : undefined].filter(Boolean).join(' ');
  const note = typeof entry.details['failure'] === 'string' ? ` (${entry.details['failure']})` : '';
  // How an approver proved (or failed to prove) an Approve with a fresh strong sign-in (issue #18).
  const signIn = typeof entry.details['signIn'] === 'string' ? ` · ${entry.actor?.name ?? entry.actor?.aadObjectId ?? ''}: ${entry.details['signIn']}` : '';
  return `#${entry.seq} ${entry.at.slice(0, 16).replace('T', ' ')} UTC · ${entry.type} · ${who}${what ? ` · ${what}` : ''}${note}${signIn}`;
}

function actorOf(turn: Turn): AuditParty {
  const { from } = turn;
  return { aadObjectId: from.aadObjectId ?? from.id, ...(from.name ? { name: from.name } : {}) };
}

/** Security group members only; anyone else is told so, and the refusal is audited. */
async function allowed(services: TeamsServices, turn: Turn, action: string): Promise<boolean> {
  if (await isSecurityTeamMember(services.elevation, services.securityGroupId, turn.from.aadObjectId)) return true;
  await audit(services.elevation, 'refusedTap', { actor: actorOf(turn), details: { action, reason: 'not in the security group' } });
  await turn.send({ text: 'Only members of the security team group can read the audit trail.' });
  return false;
}

/** `audit [24h|7d|<user object id>]`: recent audit events, for members of the security group only. */
export async function handleAudit(services: TeamsServices, turn: Turn, command: Extract<Command, { kind: 'audit' }>): Promise<void> {
  if (!(await allowed(services, turn, 'audit'))) return;
  const entries = await recentAuditEntries(services.elevation, {
    sinceMinutes: command.sinceMinutes,
    ...(command.userId ? { userId: command.userId } : {}),
    limit: SHOWN,
  });
  const card = messageCard({
    title: `Audit trail: last ${command.sinceMinutes >= 1440 ? `${Math.round(command.sinceMinutes / 1440)} d` : `${Math.round(command.sinceMinutes / 60)} h`}${command.userId ? ` for ${command.userId}` : ''}`,
    ...(entries.length > 0
      ? { items: entries.map(line), text: `Newest first, at most ${SHOWN}. Export and verify the whole log with \`npm run audit\`.` }
      : { text: 'No events in that period.' }),
  });
  await turn.send({ card });
}

/** `audit anchor`: verifies the log now and posts its anchor to the security channel (security group only). */
export async function handleAuditAnchor(services: TeamsServices, turn: Turn): Promise<void> {
  if (!(await allowed(services, turn, 'audit anchor'))) return;
  const outcome = await publishAuditAnchor(services.auditIntegrity, { force: true, requestedBy: actorOf(turn) });
  await turn.send({ card: messageCard(anchorReply(outcome)) });
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
