import type { Activity, ConversationReference } from 'botbuilder';
import { referenceOf } from '../host/proactive.js';
import { compareAndSwap, documentAccess } from '../../use-cases/compare-and-swap.js';
import type { ElevationStore } from '../../ports/elevation-store.js';

/** Where the security team wants notifications (set by `@Elevate notify here`). No secrets. */
export interface SecurityChannel {
  teamId?: string;
  channelId: string;
  channelName?: string;
  reference: Partial<ConversationReference>;
  configuredBy: { aadObjectId: string; name?: string };
  configuredAt: string;
}

export const SECURITY_CHANNEL_KEY = 'channel:security';

/** Builds the channel setting from a message sent in that channel. */
export function securityChannelFrom(activity: Activity, at: Date): SecurityChannel | undefined {
  const data = (activity.channelData ?? {}) as { channel?: { id?: string; name?: string }; team?: { id?: string } };
  const channelId = data.channel?.id;
  if (!channelId) return undefined;
  const rest = referenceOf(activity);
  return {
    ...(data.team?.id ? { teamId: data.team.id } : {}),
    channelId,
    ...(data.channel?.name ? { channelName: data.channel.name } : {}),
    reference: { ...rest, conversation: { ...rest.conversation!, id: channelId } },
    configuredBy: { aadObjectId: activity.from.aadObjectId ?? activity.from.id, name: activity.from.name },
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
  return (await store.getDocument<SecurityChannel>(SECURITY_CHANNEL_KEY))?.value;
}
