import type { Activity, ConversationReference } from 'botbuilder';
import { referenceOf } from '../host/proactive.js';
import type { ElevationStore } from '../../ports/elevation-store.js';

/**
 * Conversation references (no secrets: ids and the service URL) kept in the store so the bot can
 * update cards and post proactively after a restart or from another instance.
 */
export class ConversationDirectory {
  constructor(private readonly store: ElevationStore) {}

  async remember(activity: Activity): Promise<void> {
    const reference = referenceOf(activity);
    const key = `conversation:${activity.conversation.id}`;
    const existing = await this.store.getDocument<Partial<ConversationReference>>(key);
    if (existing && existing.value.serviceUrl === reference.serviceUrl) return;
    await this.store.putDocument(key, reference, existing?.version);
  }

  async find(conversationId: string): Promise<Partial<ConversationReference> | undefined> {
    return (await this.store.getDocument<Partial<ConversationReference>>(`conversation:${conversationId}`))?.value;
  }
}
