import { formatAnchor, type AuditEntry, type AuditParty } from '../../domain/audit.js';
import type { Command } from '../../domain/command.js';
import { publishAuditAnchor, type AnchorOutcome } from '../../use-cases/audit-anchor.js';
import { ACTIVITY_SHOWN, activityCard, activityProblemCard } from '../cards/activity-card.js';
import { readElevationActivity, saveActivityExport } from '../../use-cases/elevation-activity.js';
import { audit, recentAuditEntries } from '../../use-cases/audit-trail.js';
import { messageCard } from '../cards/elevation-cards.js';
import type { MessageItem } from '../cards/message-card.js';
import { textsFor, type Texts } from '../locale/texts.js';
import { numberFormat } from '../locale/intl-cache.js';
import { isSecurityTeamMember } from '../../use-cases/security-group.js';
import type { TeamsServices } from '../services.js';
import type { Turn } from '../turn.js';

const SHOWN = 25;

/** "environment group Finance" from a grant entry's scope path and name (details written by use-cases/grants/grant-audit.ts). */
function grantScope(details: AuditEntry['details'], texts: Texts): string {
  const path = String(details['scope'] ?? '');
  const name = String(details['scopeName'] ?? '');
  const c = texts.c.grant;
  if (path.includes('/environmentGroups/')) return texts.fill(c.auditScopeGroup, { name });
  if (path.includes('/environments/')) return texts.fill(c.auditScopeEnvironment, { name });
  return c.auditScopeTenant;
}

/** A Power Platform RBAC grant step: the role, the scope, who gets it (a user or an app) and who asked for it. */
function grantLine(entry: AuditEntry, texts: Texts): MessageItem {
  const { details } = entry;
  const c = texts.c.grant;
  const principalName = String(details['principalName'] ?? details['principalId'] ?? '');
  const requester = entry.subject ?? entry.actor;
  const what = texts.fill(c.auditLine, {
    role: entry.roleName ?? String(details['roleId'] ?? ''),
    scope: grantScope(details, texts),
    principal: texts.fill(details['principalType'] === 'ApplicationUser' ? c.auditApp : c.auditUser, { name: principalName }),
    requester: requester?.name ?? String(details['requesterId'] ?? ''),
  });
  const actor = entry.actor?.name ?? entry.actor?.aadObjectId ?? 'Elevate';
  const refusal = typeof details['refusal'] === 'string' ? ` (${details['refusal']})` : '';
  return { text: `#${entry.seq} · ${entry.type} · ${actor} · ${what}${refusal}`, at: entry.at };
}

/** One event as a bullet; its time is shown under it with Teams' DATE()/TIME() in the reader's zone. */
function line(entry: AuditEntry, texts: Texts): MessageItem {
  if (entry.details['kind'] === 'rbacGrant') return grantLine(entry, texts);
  if (entry.type === 'exportDownloaded') {
    // Whose link, which export, from where (use-cases/audit-trail.ts auditExportDownload).
    const { details } = entry;
    const of = entry.elevationId ? ` of ${entry.elevationId}` : '';
    const text = `#${entry.seq} · ${entry.type} · ${String(details['export'])}${of} · ${String(details['format'])}, ${String(details['rows'])} rows · link of ${entry.subject?.name ?? entry.subject?.aadObjectId ?? '?'} · from ${String(details['remoteAddress'])}`;
    return { text, at: entry.at };
  }
  const who = entry.subject?.name ?? entry.actor?.name ?? entry.actor?.aadObjectId ?? 'Elevate';
  const what = [entry.roleName, entry.environment ? `in ${entry.environment.displayName}` : undefined].filter(Boolean).join(' ');
  const note = typeof entry.details['failure'] === 'string' ? ` (${entry.details['failure']})` : '';
  // How an approver proved (or failed to prove) an Approve with a fresh strong sign-in (issue #18).
  const signIn = typeof entry.details['signIn'] === 'string' ? ` · ${entry.actor?.name ?? entry.actor?.aadObjectId ?? ''}: ${entry.details['signIn']}` : '';
  return { text: `#${entry.seq} · ${entry.type} · ${who}${what ? ` · ${what}` : ''}${note}${signIn}`, at: entry.at };
}

function actorOf(turn: Turn): AuditParty {
  const { from } = turn;
  return { aadObjectId: from.aadObjectId ?? from.id, ...(from.name ? { name: from.name } : {}) };
}

/** Security group members only; anyone else is told so, and the refusal is audited. */
async function allowed(services: TeamsServices, turn: Turn, action: string): Promise<boolean> {
  if (await isSecurityTeamMember(services.elevation, services.securityGroupId, turn.from.aadObjectId)) return true;
  await audit(services.elevation, 'refusedTap', { actor: actorOf(turn), details: { action, reason: 'not in the security group' } });
  await turn.send({ text: textsFor(turn.chat).c.chat.auditOnlySecurity });
  return false;
}

/** `audit [24h|7d|<user object id>]`: recent audit events, for members of the security group only. */
export async function handleAudit(services: TeamsServices, turn: Turn, command: Extract<Command, { kind: 'audit' }>): Promise<void> {
  if (!(await allowed(services, turn, 'audit'))) return;
  await sendTrail(services, turn, command);
}

async function sendTrail(services: TeamsServices, turn: Turn, command: Extract<Command, { kind: 'audit' }>, unknownId?: string): Promise<void> {
  const entries = await recentAuditEntries(services.elevation, {
    sinceMinutes: command.sinceMinutes,
    ...(command.userId ? { userId: command.userId } : {}),
    limit: SHOWN,
  });
  const texts = textsFor(turn.chat);
  const c = texts.c.chat;
  const period = numberFormat(texts.viewer.locale, {
    style: 'unit',
    unit: command.sinceMinutes >= 1440 ? 'day' : 'hour',
    unitDisplay: 'long',
  }).format(Math.round(command.sinceMinutes / (command.sinceMinutes >= 1440 ? 1440 : 60)));
  // `audit <GUID>` that is no elevation's and no user's either: say so rather than show an empty trail.
  if (unknownId && entries.length === 0) return void (await turn.send({ card: activityProblemCard('unknown', unknownId, texts) }));
  const card = messageCard({
    title: command.userId ? texts.fill(c.auditTitleUser, { period, user: command.userId }) : texts.fill(c.auditTitle, { period }),
    ...(entries.length > 0 ? { items: entries.map((entry) => line(entry, texts)), text: texts.fill(c.auditNewest, { n: SHOWN }) } : { text: c.auditNone }),
  });
  await turn.send({ card });
}

/**
 * `audit <elevation id>` (issue #16): what the requester did in the environment during that elevation, every page of
 * the Dataverse audit log; the first records on the card and, past what a card holds, CSV and JSON export links.
 * A GUID that names no elevation is read as a user's object id (`audit <user object id>`, as before).
 */
export async function handleAuditElevation(services: TeamsServices, turn: Turn, command: Extract<Command, { kind: 'auditElevation' }>): Promise<void> {
  if (!(await allowed(services, turn, 'audit elevation'))) return;
  const texts = textsFor(turn.chat);
  const outcome = await readElevationActivity(services.elevation, command.id);
  if (outcome.kind === 'malformed') return void (await turn.send({ card: activityProblemCard('malformed', command.id, texts) }));
  if (outcome.kind === 'unknown') return sendTrail(services, turn, { kind: 'audit', sinceMinutes: 24 * 60, userId: command.id.toLowerCase() }, command.id);
  const more = outcome.kind === 'read' && outcome.entries.length > ACTIVITY_SHOWN;
  const saved = more
    ? await saveActivityExport({ ...services.elevation, newExportId: services.standing.newExportId }, outcome.record.id, actorOf(turn).aadObjectId)
    : undefined;
  const links = saved
    ? { csv: services.activityExportUrl(saved.id, 'csv'), json: services.activityExportUrl(saved.id, 'json'), until: saved.expiresAt }
    : undefined;
  await turn.send({ card: activityCard(outcome, links, texts) });
}

/** `audit anchor`: verifies the log now and posts its anchor to the security channel (security group only). */
export async function handleAuditAnchor(services: TeamsServices, turn: Turn): Promise<void> {
  if (!(await allowed(services, turn, 'audit anchor'))) return;
  const outcome = await publishAuditAnchor(services.auditIntegrity, { force: true, requestedBy: actorOf(turn) });
  await turn.send({ card: messageCard(anchorReply(outcome, textsFor(turn.chat))) });
}

function anchorReply(outcome: AnchorOutcome, texts: Texts): Parameters<typeof messageCard>[0] {
  const c = texts.c.chat;
  switch (outcome.kind) {
    case 'anchored':
    case 'unchanged': {
      const command = `npm run audit -- --verify --anchor ${formatAnchor(outcome.anchor)}`;
      const posted = outcome.kind === 'unchanged' || outcome.posted;
      return posted
        ? {
            title: texts.fill(c.anchorPublished, { seq: outcome.anchor.seq }),
            text: c.anchorPublishedText,
            items: [command],
            tone: 'good',
          }
        : {
            title: texts.fill(c.anchorNotPosted, { seq: outcome.anchor.seq }),
            text: c.anchorNotPostedText,
            items: [command],
            tone: 'warning',
          };
    }
    case 'empty':
      return { title: c.nothingToAnchor, text: c.nothingToAnchorText };
    case 'broken':
      return {
        title: c.verifyFailed,
        text: texts.fill(c.verifyFailedText, { seq: outcome.seq, reason: outcome.reason }),
        tone: 'attention',
      };
  }
}
