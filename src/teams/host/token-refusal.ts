import { AuthenticationError } from 'botframework-connector';

/**
 * Why botbuilder refused an inbound token, as one short code for the log (never the token, the key
 * or botbuilder's message, which can quote the app id and the published key's endorsements).
 * The codes follow the checks of botframework-connector 4.23 (api-contracts §5, §7):
 * `JwtTokenExtractor.validateToken` (key, signature, algorithm, endorsements, lifetime) and
 * `ParameterizedBotFrameworkAuthentication` (issuer, audience = app id, `serviceurl` claim).
 */
export type TokenRefusalReason =
  | 'missing'
  | 'scheme'
  | 'malformed'
  | 'issuer'
  | 'unknownKey'
  | 'algorithm'
  | 'unsigned'
  | 'signature'
  | 'expired'
  | 'notYetValid'
  | 'endorsement'
  | 'audience'
  | 'serviceUrl'
  | 'other';

/** A refused inbound token: 401 to the caller, one warning line with `reason` in the log. */
export class TokenRefusedError extends AuthenticationError {
  constructor(readonly reason: TokenRefusalReason) {
    super(`Unauthorized (${reason})`, 401);
    this.name = 'TokenRefusedError';
  }
}

const JWT_PART = /^[A-Za-z0-9_-]+$/;

/** What can be told from the header alone, before botbuilder looks at it. */
export function headerProblem(authHeader: string, issuer: string): TokenRefusalReason | undefined {
  if (authHeader.trim() === '') return 'missing';
  const [scheme, token, ...rest] = authHeader.split(' ');
  if (scheme !== 'Bearer' || !token || rest.length > 0) return 'scheme';
  const parts = token.split('.');
  if (parts.length !== 3 || !JWT_PART.test(parts[0] ?? '') || !JWT_PART.test(parts[1] ?? '')) return 'malformed';
  const payload = decodeJson(parts[1] ?? '');
  if (!payload || !decodeJson(parts[0] ?? '')) return 'malformed';
  if (payload['iss'] !== issuer) return 'issuer';
  return undefined;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const BY_MESSAGE: [RegExp, TokenRefusalReason][] = [
  [/^jwt expired|token has expired/i, 'expired'],
  [/^jwt not active/i, 'notYetValid'],
  [/signature is required/i, 'unsigned'],
  [/invalid signature/i, 'signature'],
  [/invalid algorithm|signing algorithm/i, 'algorithm'],
  [/^jwt malformed|invalid token/i, 'malformed'],
  [/signing key could not be retrieved/i, 'unknownKey'],
  [/endorsement/i, 'endorsement'],
  [/invalid appid|audience/i, 'audience'],
  [/serviceurl claim/i, 'serviceUrl'],
  [/issuer/i, 'issuer'],
  [/request is not authorized/i, 'missing'],
];

const BY_NAME: Record<string, TokenRefusalReason> = { TokenExpiredError: 'expired', NotBeforeError: 'notYetValid' };

/**
 * The reason for an error thrown while botbuilder authenticated a request; undefined when it is
 * not a refusal (the Bot Framework keys could not be loaded: a 5xx `AuthenticationError`).
 */
export function refusalReason(error: unknown): TokenRefusalReason | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error instanceof AuthenticationError && error.statusCode >= 500) return undefined;
  const byName = BY_NAME[error.name];
  if (byName) return byName;
  const isJwtError = error.name === 'JsonWebTokenError';
  if (!(error instanceof AuthenticationError) && !isJwtError) return undefined;
  return BY_MESSAGE.find(([pattern]) => pattern.test(error.message))?.[1] ?? 'other';
}
