import { CardFactory, MessageFactory, TeamsInfo, type Activity, type CloudAdapter } from 'botbuilder';
import type { Logger } from 'pino';
import type { ElevationRecord } from '../domain/elevation.js';
import type { ElevationStore } from '../ports/elevation-store.js';
import type { Notifier } from '../ports/notifier.js';
import { channelCard } from './elevation-cards.js';
import { loadSecurityChannel } from './security-channel.js';

/**
 * Posts elevation outcomes to the security notification channel, each as a new thread. A post is
 * claimed in the store first (per elevation and state), so duplicate workers or redeliveries never
 * post twice.
 */
export class TeamsNotifier implements Notifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botId: string,
    private readonly store: ElevationStore,
    private readonly logger: Logger,
  ) {}

  async elevationChanged(record: ElevationRecord): Promise<boolean> {
    const log = this.logger.child({ elevationId: record.id, state: record.state });
    try {
      const channel = await loadSecurityChannel(this.store);
      if (!channel) {
        log.warn('no security notification channel is set: say "@Elevate notify here" in a team channel');
        return false;
      }
      if (!(await this.store.claimOnce(`post:${record.id}:${record.state}`, new Date()))) return true;
      const activity = MessageFactory.attachment(CardFactory.adaptiveCard(channelCard(record)));
      activity.summary = `Elevate: ${record.requester.name} ${record.state} in ${record.environment.displayName}`;
      await this.adapter.continueConversationAsync(this.botId, channel.reference, async (context) => {
        if (this.botId) await TeamsInfo.sendMessageToTeamsChannel(context, activity as Activity, channel.channelId, this.botId);
        else await context.sendActivity(activity);
      });
      return true;
    } catch (error) {
      log.error({ err: error }, 'could not post to the security channel');
      return false;
    }
  }
}
