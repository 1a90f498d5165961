import type { ElevationStore } from '../../ports/elevation-store.js';
import { compareAndSwap, documentAccess } from '../../use-cases/compare-and-swap.js';
import { chatAddressOf, isChatAddress, type ChatAddress } from '../chat.js';

const key = (conversationId: string): string => `conversation:${conversationId}`;
const readerKey = (aadObjectId: string): string => `reader:${aadObjectId.toLowerCase()}`;

/** A user's Teams locale and IANA time zone (no secrets). */
export interface Reader {
  locale?: string;
  timezone?: string;
}

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
    // In a 1:1 chat the activity's locale and zone are the user's own: kept per user as well, for
    // the 1:1 cards Elevate opens itself (approval cards to approvers), which have no chat to read them from.
    const oid = chat.user?.aadObjectId;
    if (oid && (chat.locale || chat.timezone)) {
      const reader: Reader = { ...(chat.locale ? { locale: chat.locale } : {}), ...(chat.timezone ? { timezone: chat.timezone } : {}) };
      await compareAndSwap(documentAccess<Reader>(this.store, readerKey(oid)), (existing) =>
        existing?.value.locale === reader.locale && existing?.value.timezone === reader.timezone ? undefined : reader,
      );
    }
  }

  /** The Teams locale and time zone a user last wrote to Elevate with, 1:1; undefined when they never did. */
  async readerOf(aadObjectId: string): Promise<Reader | undefined> {
    return (await this.store.getDocument<Reader>(readerKey(aadObjectId)))?.value;
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
