import { holderTotals } from '../../domain/standing-access.js';
import type { EnvironmentInventory, InventoryOutcome } from '../../use-cases/standing-inventory.js';
import { rbacLines } from './inventory-rbac-lines.js';
import type { Texts } from '../locale/texts.js';
import { renderMessageCard, type MessageCardData } from './message-card.js';
import type { AdaptiveCard } from './render.js';

/** Unexplained holders named on the card, and environments listed (the export has every row; a card holds 25 bullets). */
const NAMED = 8;
const LISTED = 14;

export interface ExportLinks {
  csv: string;
  json: string;
  until: string;
}

/** Why an environment was not read, and what fixes it, in the reader's language. */
export function unreadReason(status: Exclude<EnvironmentInventory['status'], 'read'>, texts: Texts): string {
  const s = texts.c.standing;
  return { noApplicationUser: s.reasonNoApplicationUser, accessDenied: s.reasonAccessDenied, noUrl: s.reasonNoUrl, failed: s.reasonFailed }[status];
}

function environmentLine(entry: EnvironmentInventory, texts: Texts): string {
  const s = texts.c.standing;
  const environment = entry.environment.displayName;
  if (entry.status !== 'read') return texts.fill(s.environmentUnread, { environment, reason: unreadReason(entry.status, texts) });
  const totals = holderTotals(entry.holders);
  return texts.fill(s.environmentLine, { environment, ...totals, teams: totals.throughTeams });
}

/** The totals of all environments, then the environments that need attention first (not read, most unexplained), then how many more. */
function environmentLines(environments: readonly EnvironmentInventory[], texts: Texts): string[] {
  const s = texts.c.standing;
  const unexplainedOf = (e: EnvironmentInventory) => (e.status === 'read' ? holderTotals(e.holders).unexplained : Number.POSITIVE_INFINITY);
  const ordered = [...environments].sort((a, b) => unexplainedOf(b) - unexplainedOf(a));
  const lines = ordered.slice(0, LISTED).map((e) => environmentLine(e, texts));
  if (environments.length > LISTED) lines.push(texts.fill(s.moreEnvironments, { count: environments.length - LISTED }));
  if (environments.length <= 1) return lines;
  const all = holderTotals(environments.flatMap((e) => (e.status === 'read' ? e.holders : [])));
  const unread = environments.filter((e) => e.status !== 'read').length;
  return [texts.fill(s.allEnvironmentsLine, { count: environments.length, ...all, teams: all.throughTeams, unread }), ...lines];
}

function unexplainedLines(environments: readonly EnvironmentInventory[], texts: Texts): string[] {
  const s = texts.c.standing;
  return environments
    .flatMap((e) => (e.status === 'read' ? e.holders.filter((h) => h.kind === 'unexplained').map((h) => ({ e, h })) : []))
    .slice(0, NAMED)
    .map(({ e, h }) =>
      h.team
        ? texts.fill(s.unexplainedTeamLine, { name: h.fullName, environment: e.environment.displayName, team: h.team.name })
        : texts.fill(s.unexplainedLine, { name: h.fullName, environment: e.environment.displayName }),
    );
}

/** Refusals shared by inventory and sweep: an environment name that matched none or several. */
export function scopeProblemCard(outcome: Exclude<InventoryOutcome, { kind: 'done' }>, texts: Texts): AdaptiveCard {
  const s = texts.c.standing;
  if (outcome.kind === 'ambiguous') {
    return renderMessageCard({
      title: texts.fill(s.ambiguous, { query: outcome.query }),
      text: texts.fill(s.ambiguousText, { candidates: texts.list(outcome.candidates.map((c) => c.displayName)) }),
    });
  }
  const suggestions = outcome.suggestions.map((c) => c.displayName);
  return renderMessageCard({
    title: texts.fill(s.notFound, { query: outcome.query }),
    text: texts.fill(s.notFoundText, { suggestions: suggestions.length > 0 ? texts.list(suggestions) : 'all' }),
    tone: 'warning',
  });
}

/** The inventory card: totals per environment, the first unexplained holders by name, and the export links. */
export function inventoryCard(outcome: Extract<InventoryOutcome, { kind: 'done' }>, links: ExportLinks | undefined, texts: Texts): AdaptiveCard {
  const s = texts.c.standing;
  if (outcome.environments.length === 0)
    return renderMessageCard({ title: texts.fill(s.inventoryTitle, { count: 0 }), text: s.noEnvironments, tone: 'warning' });
  const legend = links ? `${s.inventoryLegend} ${texts.fill(s.exportLinks, { until: texts.time(links.until) })}` : s.inventoryLegend;
  const unexplained =
    outcome.environments.some((e) => e.status === 'read' && e.holders.some((h) => h.kind === 'unexplained')) ||
    (outcome.rbac?.status === 'read' && outcome.rbac.holders.some((h) => h.kind === 'unexplained'));
  const named = unexplainedLines(outcome.environments, texts);
  const data: MessageCardData = {
    title: texts.fill(s.inventoryTitle, { count: outcome.environments.length }),
    text: legend,
    items: [...environmentLines(outcome.environments, texts), ...named, ...rbacLines(outcome.rbac, texts, NAMED - named.length)],
    tone: unexplained ? 'warning' : 'default',
    ...(links
      ? {
          links: [
            { title: s.exportCsv, url: links.csv },
            { title: s.exportJson, url: links.json },
          ],
        }
      : {}),
  };
  return renderMessageCard(data);
}
