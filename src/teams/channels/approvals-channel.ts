import type { ElevationStore } from '../../ports/elevation-store.js';
import { loadChannelSetting, saveChannelSetting, type SecurityChannel } from './security-channel.js';

/** Where approval cards go by default (set by `@Elevate approvals here`); same shape as the security channel. */
export const APPROVALS_CHANNEL_KEY = 'channel:approvals';
/** Every channel ever set with `approvals here`, by channel id: a policy's `approvalsChannel` finds its reference here. */
export const approvalsChannelKey = (channelId: string): string => `channel:approvals:${channelId}`;

export async function saveApprovalsChannel(store: ElevationStore, channel: SecurityChannel): Promise<void> {
  for (const key of [APPROVALS_CHANNEL_KEY, approvalsChannelKey(channel.channelId)]) await saveChannelSetting(store, key, channel);
}

/** The approvals channel to use: the policy's channel id when given (and known), else the default. */
export async function loadApprovalsChannel(store: ElevationStore, channelId?: string): Promise<SecurityChannel | undefined> {
  if (channelId) {
    const named = await loadChannelSetting(store, approvalsChannelKey(channelId));
    if (named) return named;
  }
  const fallback = await loadChannelSetting(store, APPROVALS_CHANNEL_KEY);
  if (!fallback) return undefined;
  // A policy channel nobody set with `approvals here`: same team service, the policy's channel id.
  return channelId ? { ...fallback, channelId, chat: { ...fallback.chat, conversationId: channelId } } : fallback;
}
