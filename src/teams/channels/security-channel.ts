import type { ElevationStore } from '../../ports/elevation-store.js';
import { compareAndSwap, documentAccess } from '../../use-cases/compare-and-swap.js';
import { chatAddressOf, type ChatAddress } from '../chat.js';
import type { Turn } from '../turn.js';

/** Where the security team wants notifications (set by `@Elevate notify here`). No secrets. */
export interface SecurityChannel {
  teamId?: string;
  channelId: string;
  channelName?: string;
  /**
   * The channel's chat (its conversation id is the channel id). A channel has no single reader: its
   * `locale` and `timezone` are those of the member who said `notify here` there (the activity's), and
   * pick the language of every post in it; without them, English and UTC. Saying it again re-picks.
   */
  chat: ChatAddress;
  configuredBy: { aadObjectId: string; name?: string };
  configuredAt: string;
}

export const SECURITY_CHANNEL_KEY = 'channel:security';

/** Builds the channel setting from a message sent in that channel. */
export function securityChannelFrom(turn: Turn, at: Date): SecurityChannel | undefined {
  const channelId = turn.team?.channelId;
  if (!channelId) return undefined;
  return {
    ...(turn.team?.teamId ? { teamId: turn.team.teamId } : {}),
    channelId,
    ...(turn.team?.channelName ? { channelName: turn.team.channelName } : {}),
    chat: { ...turn.chat, conversationId: channelId },
    configuredBy: { aadObjectId: turn.from.aadObjectId ?? turn.from.id, ...(turn.from.name ? { name: turn.from.name } : {}) },
    configuredAt: at.toISOString(),
  };
}

export async function saveSecurityChannel(store: ElevationStore, channel: SecurityChannel): Promise<void> {
  await saveChannelSetting(store, SECURITY_CHANNEL_KEY, channel);
}

/** Replaces a channel setting (compare-and-swap on the document, retried while others change it). */
export async function saveChannelSetting(store: ElevationStore, key: string, channel: SecurityChannel): Promise<void> {
  const result = await compareAndSwap(documentAccess<SecurityChannel>(store, key), () => channel);
  if (result.kind === 'conflict') throw new Error(`could not save the channel setting ${key}: it kept changing`);
}

export async function loadSecurityChannel(store: ElevationStore): Promise<SecurityChannel | undefined> {
  return loadChannelSetting(store, SECURITY_CHANNEL_KEY);
}

/**
 * A stored channel setting; one an earlier version wrote (a Bot Framework `reference` instead of
 * `chat`) is read as this version's and rewritten once.
 */
export async function loadChannelSetting(store: ElevationStore, key: string): Promise<SecurityChannel | undefined> {
  const stored = await store.getDocument<SecurityChannel & { reference?: unknown }>(key);
  if (!stored) return undefined;
  if (stored.value.chat) return stored.value;
  const chat = chatAddressOf(stored.value.reference);
  if (!chat) return undefined;
  const { reference: _old, ...rest } = stored.value;
  const migrated: SecurityChannel = { ...rest, chat };
  await store.putDocument(key, migrated, stored.version);
  return migrated;
}
