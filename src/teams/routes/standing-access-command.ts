import type { AuditParty } from '../../domain/audit.js';
import type { Command } from '../../domain/command.js';
import { audit } from '../../use-cases/audit-trail.js';
import { saveInventoryExport } from '../../use-cases/inventory-export.js';
import { isSecurityTeamMember } from '../../use-cases/security-group.js';
import { takeInventory } from '../../use-cases/standing-inventory.js';
import { previewSweep } from '../../use-cases/standing-sweep.js';
import type { SweepRecord } from '../../use-cases/sweep-record.js';
import { renderMessageCard } from '../cards/message-card.js';
import { sweepPreviewCard } from '../cards/sweep-card.js';
import { inventoryCard, scopeProblemCard } from '../cards/inventory-card.js';
import { loadSecurityChannel } from '../channels/security-channel.js';
import { textsFor } from '../locale/texts.js';
import type { TeamsServices } from '../services.js';
import { isPersonal, type Turn } from '../turn.js';

export function actorOf(turn: Turn): AuditParty {
  const { from } = turn;
  return { aadObjectId: from.aadObjectId ?? from.id, ...(from.name ? { name: from.name } : {}) };
}

/**
 * Security group members only, in a 1:1 chat or the security notifications channel (issue #15): holders of
 * System Administrator are not shown in front of any other channel. A refusal is audited.
 */
export async function standingAccessAllowed(services: TeamsServices, turn: Turn, action: string): Promise<boolean> {
  const texts = textsFor(turn.chat);
  if (!(await isSecurityTeamMember(services.elevation, services.securityGroupId, turn.from.aadObjectId))) {
    await audit(services.elevation, 'refusedTap', { actor: actorOf(turn), details: { action, reason: 'not in the security group' } });
    await turn.send({ text: texts.c.standing.onlySecurity });
    return false;
  }
  if (isPersonal(turn)) return true;
  const channel = await loadSecurityChannel(services.elevation.store);
  const here = turn.team?.channelId ?? turn.chat.conversationId.split(';')[0];
  if (channel && channel.channelId === here) return true;
  await turn.send({ text: texts.c.standing.whereAllowed });
  return false;
}

/** `inventory [<environment>|all]`: totals per environment and an export link, for the security team. */
export async function handleInventory(services: TeamsServices, turn: Turn, command: Extract<Command, { kind: 'inventory' }>): Promise<void> {
  if (!(await standingAccessAllowed(services, turn, 'inventory'))) return;
  const texts = textsFor(turn.chat);
  const outcome = await takeInventory(services.standing.deps, command.scope, { rbac: true });
  if (outcome.kind !== 'done') return void (await turn.send({ card: scopeProblemCard(outcome, texts) }));
  const saved =
    outcome.environments.length > 0
      ? await saveInventoryExport({ ...services.standing.deps, newExportId: services.standing.newExportId }, outcome, actorOf(turn).aadObjectId)
      : undefined;
  const links = saved
    ? { csv: services.standing.exportUrl(saved.id, 'csv'), json: services.standing.exportUrl(saved.id, 'json'), until: saved.expiresAt }
    : undefined;
  await turn.send({ card: inventoryCard(outcome, links, texts) });
}

/** `sweep [<environment>|all]`: the preview card only; a second member's Confirm starts it (sweep-actions.ts). */
export async function handleSweep(services: TeamsServices, turn: Turn, command: Extract<Command, { kind: 'sweep' }>): Promise<void> {
  if (!(await standingAccessAllowed(services, turn, 'sweep'))) return;
  const texts = textsFor(turn.chat);
  const outcome = await previewSweep({ ...services.standing.deps, newId: services.elevation.newId }, command.scope, actorOf(turn), turn.chat.conversationId);
  switch (outcome.kind) {
    case 'notFound':
    case 'ambiguous':
      return void (await turn.send({ card: scopeProblemCard(outcome, texts) }));
    case 'empty':
      return void (await turn.send({
        card: renderMessageCard({ title: texts.c.standing.nothingToSweep, text: texts.fill(texts.c.standing.nothingToSweepText, { scope: outcome.scope }) }),
      }));
    case 'preview':
      await turn.send({ card: sweepPreviewCard(outcome.sweep, texts) });
      if (isPersonal(turn)) await postForConfirmation(services, turn, outcome.sweep);
  }
}

/**
 * A preview asked in a 1:1 chat is also posted in the security channel: nobody else can tap a card in the
 * requester's own chat, and the second member confirms there (the progress is shown on that card).
 */
async function postForConfirmation(services: TeamsServices, turn: Turn, sweep: SweepRecord): Promise<void> {
  const texts = textsFor(turn.chat);
  const channel = await loadSecurityChannel(services.elevation.store);
  if (!channel) return void (await turn.send({ text: texts.c.standing.noSecurityChannel }));
  await services.courier.send(channel.chat, { card: sweepPreviewCard(sweep, textsFor(channel.chat)) });
  await turn.send({ text: texts.c.standing.previewPosted });
}
