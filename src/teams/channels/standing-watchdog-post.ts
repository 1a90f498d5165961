import type { WatchdogChanges } from '../../domain/watchdog-changes.js';
import type { WatchdogReporter } from '../../use-cases/standing-watchdog.js';
import { unreadReason } from '../cards/inventory-card.js';
import { principalName, scopeName } from '../cards/inventory-rbac-lines.js';
import { renderMessageCard } from '../cards/message-card.js';
import { textsFor, type Texts } from '../locale/texts.js';
import type { TeamsServices } from '../services.js';
import { loadSecurityChannel } from './security-channel.js';
import type { EnvironmentInventory } from '../../use-cases/standing-inventory.js';

/** The post's lines: environments not read first, then outlived elevations, new holders, new RBAC role holders. */
export function watchdogLines(changes: WatchdogChanges, texts: Texts): string[] {
  const s = texts.c.standing;
  const unexplained = changes.newUnexplained.map(({ environment, holder, modifiedByName }) => {
    const since = holder.modifiedOn ? texts.fill(s.watchdogSince, { at: texts.time(holder.modifiedOn), by: modifiedByName ?? holder.modifiedBy ?? '?' }) : '';
    const name = holder.team ? `${holder.fullName} (${texts.fill(s.keepTeam, { team: holder.team.name })})` : holder.fullName;
    return texts.fill(s.watchdogNew, { name, environment, since });
  });
  const outlived = changes.outlived.map((o) => texts.fill(s.watchdogOutlived, { name: o.name, environment: o.environment }));
  const unreadable = changes.unreadable.map((u) =>
    texts.fill(s.watchdogUnreadable, { environment: u.environment, reason: unreadReason(u.status as Exclude<EnvironmentInventory['status'], 'read'>, texts) }),
  );
  const rbac = changes.newUnexplainedRbac.map((h) =>
    texts.fill(s.watchdogNewRbac, { name: principalName(h), role: h.roleName, scope: scopeName(h.scope, texts) }),
  );
  return [...unreadable, ...outlived, ...unexplained, ...rbac];
}

/** Posts the watchdog's changes to the security channel in the channel's language; false when no channel is set. */
export function watchdogReporter(services: Pick<TeamsServices, 'courier' | 'elevation' | 'logger'>): WatchdogReporter {
  return async (changes) => {
    const channel = await loadSecurityChannel(services.elevation.store);
    if (!channel) {
      services.logger.warn({ event: 'standingWatchdog' }, 'standing access changed but no security channel is set (say notify here in one)');
      return false;
    }
    const texts = textsFor(channel.chat);
    const card = renderMessageCard({ title: texts.c.standing.watchdogTitle, items: watchdogLines(changes, texts), tone: 'warning' });
    await services.courier.send(channel.chat, { card });
    return true;
  };
}
