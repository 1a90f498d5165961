import { ActivityEventNames, ActivityTypes, type Activity } from 'botbuilder';

/**
 * Which inbound activities Elevate acts on. Any channel an Azure Bot has on (Web Chat always is) can
 * send a validly signed activity that claims any `from.aadObjectId`; Teams is the only channel that
 * sets it truthfully. So: only `msteams` (botbuilder has already checked that the token's key is
 * endorsed for the activity's `channelId`), only Elevate's tenant as Teams states it in
 * `channelData.tenant.id`, and a Teams user id that matches the one the user signed in with.
 * Proactive turns (Elevate's own continueConversation) are not inbound and pass.
 */
export type TurnVerdict = { ok: true } | { ok: false; reason: 'channel' | 'tenant' | 'identity' };

export interface TurnGateInput {
  activity: Partial<Activity>;
  tenantId: string;
  /** The Teams user id (`from.id`) this object id signed in with, if it has signed in. */
  boundTeamsUserId: (aadObjectId: string) => string | undefined;
}

export function judgeTurn({ activity, tenantId, boundTeamsUserId }: TurnGateInput): TurnVerdict {
  if (isProactive(activity)) return { ok: true };
  if (activity.channelId !== 'msteams') return { ok: false, reason: 'channel' };
  const tenant = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  if (typeof tenant !== 'string' || tenant.toLowerCase() !== tenantId.toLowerCase()) return { ok: false, reason: 'tenant' };
  const oid = activity.from?.aadObjectId;
  const bound = oid ? boundTeamsUserId(oid) : undefined;
  if (bound !== undefined && bound !== activity.from?.id) return { ok: false, reason: 'identity' };
  return { ok: true };
}

function isProactive(activity: Partial<Activity>): boolean {
  return (
    activity.type === ActivityTypes.Event &&
    (activity.name === ActivityEventNames.ContinueConversation || activity.name === ActivityEventNames.CreateConversation)
  );
}
