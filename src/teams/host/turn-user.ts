import type { TurnContext } from 'botbuilder';
import type { SignedInUser } from '../../ports/token-broker.js';

/** The sender of the activity as Elevate identifies users: by Entra object id, never by name or email. */
export function turnUser(context: TurnContext): (SignedInUser & { name: string }) | undefined {
  const { from } = context.activity;
  if (!from.aadObjectId) return undefined;
  return { aadObjectId: from.aadObjectId, tenantId: turnTenant(context) ?? '', name: from.name ?? from.aadObjectId };
}

/** The Entra tenant the activity comes from (Teams puts it in the conversation and in channelData). */
export function turnTenant(context: TurnContext): string | undefined {
  const { conversation, channelData } = context.activity;
  return conversation?.tenantId ?? (channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
}
