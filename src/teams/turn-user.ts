import type { TurnContext } from 'botbuilder';
import type { SignedInUser } from '../ports/token-broker.js';

/** The sender of the activity as Elevate identifies users: by Entra object id, never by name or email. */
export function turnUser(context: TurnContext): (SignedInUser & { name: string }) | undefined {
  const { from, conversation, channelData } = context.activity;
  if (!from.aadObjectId) return undefined;
  const tenantId = conversation.tenantId ?? (channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? '';
  return { aadObjectId: from.aadObjectId, tenantId, name: from.name ?? from.aadObjectId };
}
