import type { ElevationStore } from '../../ports/elevation-store.js';
import { compareAndSwap, documentAccess } from '../../use-cases/compare-and-swap.js';
import { chatAddressOf, isChatAddress, type ChatAddress } from '../chat.js';

const key = (conversationId: string): string => `conversation:${conversationId}`;

/**
 * The chats Elevate has seen, by conversation id (ids, the service URL, the user's locale and time
 * zone; no secrets), so the bot can update cards and write proactively after a restart or from
 * another instance. Documents written by earlier versions hold a Bot Framework conversation
 * reference: they are read as chat addresses and rewritten once (compare-and-swap).
 */
export class ConversationDirectory {
  constructor(private readonly store: ElevationStore) {}

  async remember(chat: ChatAddress): Promise<void> {
    await compareAndSwap(documentAccess<unknown>(this.store, key(chat.conversationId)), (existing) => {
      const known = existing && isChatAddress(existing.value) ? existing.value : undefined;
      return known && known.serviceUrl === chat.serviceUrl && known.locale === chat.locale && known.timezone === chat.timezone ? undefined : chat;
    });
  }

  async find(conversationId: string): Promise<ChatAddress | undefined> {
    const stored = await this.store.getDocument<unknown>(key(conversationId));
    if (!stored) return undefined;
    const chat = chatAddressOf(stored.value);
    // One-time migration of a reference an earlier version stored (a lost race leaves it to the next read).
    if (chat && !isChatAddress(stored.value)) await this.store.putDocument(key(conversationId), chat, stored.version);
    return chat;
  }
}
