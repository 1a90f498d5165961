import { randomUUID } from 'node:crypto';
import type { ControlClient } from './control.js';
import { forgeToken, tamperToken, unsignedToken } from './tokens.js';

/**
 * The `Authorization` header of an activity posted to the bot: a genuine Bot Framework channel
 * token from the simulator, or one of the ways it can be wrong (docs/api-contracts.md §5: the bot checks
 * issuer, audience = BOT_ID, expiry with 5 minutes of skew, RS256 signature by a published key
 * endorsed for the channel, and `serviceurl` = `activity.serviceUrl`).
 */
export type AuthMode =
  /** A genuine token for this serviceUrl. */
  | 'valid'
  /** No Authorization header. */
  | 'none'
  /** Genuine claims and `kid`, signed by the harness's own key. */
  | 'forged'
  /** Genuine claims with one changed, original signature. */
  | 'tampered'
  /** `alg: none`, no signature. */
  | 'unsigned'
  /** Genuinely signed, expired an hour ago (beyond the 5 minutes of skew). */
  | 'expired'
  /** Genuinely signed for another app id. */
  | 'wrong-audience'
  /** Genuinely signed for another serviceUrl. */
  | 'wrong-service-url';

export const OTHER_AUDIENCE = '00000000-0000-4000-8000-0000000bad00';
export const OTHER_SERVICE_URL = 'https://smba.attacker.example/connector/';

/** Mints the token for `mode` (`undefined` for 'none'). */
export async function channelTokenFor(control: ControlClient, serviceUrl: string, mode: AuthMode): Promise<string | undefined> {
  switch (mode) {
    case 'none':
      return undefined;
    case 'expired':
      return control.channelToken({ serviceUrl, expiresInSeconds: -3600 });
    case 'wrong-audience':
      return control.channelToken({ serviceUrl, audience: OTHER_AUDIENCE });
    case 'wrong-service-url':
      return control.channelToken({ serviceUrl: OTHER_SERVICE_URL });
    case 'forged':
      return forgeToken(await control.channelToken({ serviceUrl }));
    case 'tampered':
      return tamperToken(await control.channelToken({ serviceUrl }), { jti: randomUUID() });
    case 'unsigned':
      return unsignedToken(await control.channelToken({ serviceUrl }));
    case 'valid':
      return control.channelToken({ serviceUrl });
  }
}
