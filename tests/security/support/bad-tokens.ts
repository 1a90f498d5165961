import { createHmac, createPublicKey, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { decodeJwt, forgeToken, tamperToken, unsignedToken, type ControlClient, type TeamsActivity } from '../../harness/index.js';
import { recordSecret } from '../../harness/suite-record.js';
import { AAD_APP_CLIENT_ID, USERS } from '../../harness/tenant.js';

/**
 * Bad Bot Framework tokens (api-contracts §5, §7: botbuilder checks issuer, audience = BOT_ID, RS256
 * signature by a published key endorsed for the activity's channel, lifetime with 5 minutes of skew,
 * and `serviceurl` = `activity.serviceUrl`). Each case gives the Authorization header (undefined:
 * none), optional changes to the activity, and what the bot must answer and log.
 */
export interface TokenContext {
  control: ControlClient;
  /** The simulator connector's service URL, which the genuine activity carries. */
  serviceUrl: string;
  /** The simulator's Bot Framework JWKS (as the bot fetches it). */
  jwks: { keys: Record<string, unknown>[] };
}

export interface BadTokenCase {
  name: string;
  header: (ctx: TokenContext) => Promise<string | undefined>;
  activity?: (activity: TeamsActivity) => TeamsActivity;
  status: number;
  /** The one log line: its `event` and `reason`. */
  log: { event: 'tokenRefused' | 'turnRefused' | 'requestRefused'; reason: string };
}

export const ATTACKER_SERVICE_URL = 'https://smba.attacker.example/amer/';

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const bearer = (token: string): string => `Bearer ${token}`;
const genuine = (ctx: TokenContext, changes: Parameters<ControlClient['channelToken']>[0] | object = {}) =>
  ctx.control.channelToken({ serviceUrl: ctx.serviceUrl, ...changes });

/** Records hand-made tokens for the suite's log scan, like the harness's own (suite-record.ts). */
function made(token: string): string {
  recordSecret(token);
  return token;
}

function rsaSigned(header: Record<string, unknown>, payload: Record<string, unknown>, algorithm = 'RSA-SHA256'): string {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const input = `${b64(header)}.${b64(payload)}`;
  return made(`${input}.${createSign(algorithm).update(input).sign(key).toString('base64url')}`);
}

/** The classic key-confusion token: HS256 with the published RSA key (as botbuilder turns it into PEM) as the HMAC secret. */
async function hs256WithPublicKey(ctx: TokenContext, format: 'pkcs1' | 'spki'): Promise<string> {
  const { header, payload } = decodeJwt(await genuine(ctx));
  const jwk = ctx.jwks.keys.find((k) => k['kid'] === header['kid']) as import('node:crypto').JsonWebKey;
  const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: format, format: 'pem' }).toString();
  const input = `${b64({ ...header, alg: 'HS256' })}.${b64(payload)}`;
  return made(`${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`);
}

async function forgedWith(ctx: TokenContext, header: Record<string, unknown>, changes: Record<string, unknown> = {}, algorithm?: string): Promise<string> {
  const decoded = decodeJwt(await genuine(ctx));
  return rsaSigned({ ...decoded.header, ...header }, { ...decoded.payload, ...changes }, algorithm);
}

const refused = (reason: string, status = 401): Pick<BadTokenCase, 'status' | 'log'> => ({ status, log: { event: 'tokenRefused', reason } });

export const BAD_TOKENS: BadTokenCase[] = [
  // The header itself
  { name: 'no Authorization header', header: async () => undefined, ...refused('missing') },
  { name: 'the Bearer scheme without a token', header: async () => 'Bearer ', ...refused('scheme') },
  { name: 'Basic credentials', header: async () => `Basic ${Buffer.from(`${AAD_APP_CLIENT_ID}:secret`).toString('base64')}`, ...refused('scheme') },
  { name: 'a genuine token under a lowercase scheme', header: async (ctx) => `bearer ${await genuine(ctx)}`, ...refused('scheme') },
  { name: 'two tokens in one header', header: async (ctx) => `Bearer ${await genuine(ctx)} ${await genuine(ctx)}`, ...refused('scheme') },
  // Malformed and huge
  { name: 'a token that is not a JWT', header: async () => bearer(made(randomBytes(48).toString('hex'))), ...refused('malformed') },
  { name: 'a JWT with two parts', header: async (ctx) => bearer(made((await genuine(ctx)).split('.').slice(0, 2).join('.'))), ...refused('malformed') },
  { name: 'a JWT with four parts', header: async (ctx) => bearer(made(`${await genuine(ctx)}.AAAA`)), ...refused('malformed') },
  { name: 'a payload that is not JSON', header: async () => bearer(made(`${b64({ alg: 'RS256' })}.${b64('not json')}.c2ln`)), ...refused('malformed') },
  { name: 'a payload that is a JSON array', header: async () => bearer(made(`${b64({ alg: 'RS256' })}.${b64([1, 2])}.c2ln`)), ...refused('malformed') },
  {
    name: 'a 12 KB token of random text',
    header: async () => bearer(made(`${b64({ alg: 'RS256' })}.${randomBytes(9000).toString('base64url')}.x`)),
    ...refused('malformed'),
  },
  {
    name: 'a 12 KB genuine-looking token (huge claim, original signature)',
    header: async (ctx) => bearer(tamperToken(await genuine(ctx), { pad: randomBytes(6500).toString('base64url') })),
    ...refused('signature'),
  },
  {
    name: 'a 40 KB token (over the header limit)',
    header: async () => bearer(made(randomBytes(30_000).toString('base64url'))),
    status: 431,
    log: { event: 'requestRefused', reason: 'headersTooLarge' },
  },
  // Signature and algorithm
  { name: 'alg none, no signature', header: async (ctx) => bearer(unsignedToken(await genuine(ctx))), ...refused('unsigned') },
  {
    name: 'alg none with the genuine signature kept',
    header: async (ctx) => bearer(made(`${unsignedToken(await genuine(ctx))}${(await genuine(ctx)).split('.')[2]}`)),
    ...refused('algorithm'),
  },
  { name: 'HS256 signed with the published key (PKCS#1 PEM)', header: async (ctx) => bearer(await hs256WithPublicKey(ctx, 'pkcs1')), ...refused('algorithm') },
  { name: 'HS256 signed with the published key (SPKI PEM)', header: async (ctx) => bearer(await hs256WithPublicKey(ctx, 'spki')), ...refused('algorithm') },
  { name: 'signed by another key under the published kid', header: async (ctx) => bearer(forgeToken(await genuine(ctx))), ...refused('signature') },
  {
    name: 'RS512 by another key under the published kid',
    header: async (ctx) => bearer(await forgedWith(ctx, { alg: 'RS512' }, {}, 'RSA-SHA512')),
    ...refused('signature'),
  },
  {
    name: 'a jku header pointing at the attacker',
    header: async (ctx) => bearer(await forgedWith(ctx, { jku: 'https://attacker.example/keys' })),
    ...refused('signature'),
  },
  {
    name: 'an unknown kid',
    header: async (ctx) => bearer(await forgedWith(ctx, { kid: 'not-a-published-key', x5t: 'not-a-published-key' })),
    ...refused('unknownKey'),
  },
  { name: 'no kid at all', header: async (ctx) => bearer(await forgedWith(ctx, { kid: undefined, x5t: undefined })), ...refused('unknownKey') },
  {
    name: 'a tampered payload (another audience, original signature)',
    header: async (ctx) => bearer(tamperToken(await genuine(ctx), { aud: 'x' })),
    ...refused('signature'),
  },
  {
    name: 'a tampered header (kid of the other channels’ key, original signature)',
    header: async (ctx) => {
      const token = await genuine(ctx);
      const other = ctx.jwks.keys.find((k) => k['kid'] !== decodeJwt(token).header['kid'])?.['kid'];
      const [, payload, signature] = token.split('.');
      return bearer(made(`${b64({ ...decodeJwt(token).header, kid: other, x5t: other })}.${payload}.${signature}`));
    },
    ...refused('signature'),
  },
  { name: 'a Teams SSO token of Entra (not Bot Framework)', header: async (ctx) => bearer(await ctx.control.ssoToken(USERS.adele.id)), ...refused('issuer') },
  // Claims
  { name: 'another issuer', header: async (ctx) => bearer(await forgedWith(ctx, {}, { iss: 'https://sts.windows.net/attacker/' })), ...refused('issuer') },
  {
    name: 'the issuer in other letter case',
    header: async (ctx) => bearer(await forgedWith(ctx, {}, { iss: 'https://API.botframework.com' })),
    ...refused('issuer'),
  },
  { name: 'no issuer', header: async (ctx) => bearer(await genuine(ctx, { claims: { iss: null } })), ...refused('issuer') },
  {
    name: 'another audience (genuinely signed)',
    header: async (ctx) => bearer(await genuine(ctx, { audience: '00000000-0000-4000-8000-0000000bad00' })),
    ...refused('audience'),
  },
  { name: "Elevate's Entra app as audience", header: async (ctx) => bearer(await genuine(ctx, { audience: AAD_APP_CLIENT_ID })), ...refused('audience') },
  { name: 'no audience (genuinely signed)', header: async (ctx) => bearer(await genuine(ctx, { claims: { aud: null } })), ...refused('audience') },
  { name: 'expired an hour ago', header: async (ctx) => bearer(await genuine(ctx, { expiresInSeconds: -3600 })), ...refused('expired') },
  {
    name: 'expired ten minutes ago (beyond the 5 minutes of skew)',
    header: async (ctx) => bearer(await genuine(ctx, { expiresInSeconds: -600 })),
    ...refused('expired'),
  },
  { name: 'valid only from an hour from now', header: async (ctx) => bearer(await genuine(ctx, { notBeforeSeconds: 3600 })), ...refused('notYetValid') },
  {
    name: 'no serviceurl claim (genuinely signed)',
    header: async (ctx) => bearer(await genuine(ctx, { claims: { serviceurl: null } })),
    ...refused('serviceUrl'),
  },
  // Replays and other channels
  {
    name: "a token for the attacker's serviceUrl",
    header: async (ctx) => bearer(await genuine(ctx, { serviceUrl: ATTACKER_SERVICE_URL })),
    ...refused('serviceUrl'),
  },
  {
    name: "a genuine token replayed on an activity with the attacker's serviceUrl",
    header: async (ctx) => bearer(await genuine(ctx)),
    activity: (a) => ({ ...a, serviceUrl: ATTACKER_SERVICE_URL }),
    ...refused('serviceUrl'),
  },
  {
    name: 'a genuine token replayed with the serviceUrl without its trailing slash',
    header: async (ctx) => bearer(await genuine(ctx)),
    activity: (a) => ({ ...a, serviceUrl: String(a['serviceUrl']).replace(/\/$/, '') }),
    ...refused('serviceUrl'),
  },
  { name: 'a Web Chat token on a Teams activity', header: async (ctx) => bearer(await genuine(ctx, { channelId: 'webchat' })), ...refused('endorsement') },
  {
    name: 'a Direct Line token on a Teams activity',
    header: async (ctx) => bearer(await genuine(ctx, { channelId: 'directline' })),
    ...refused('endorsement'),
  },
  {
    name: 'a Web Chat token on a Web Chat activity (Web Chat is on for every Azure Bot)',
    header: async (ctx) => bearer(await genuine(ctx, { channelId: 'webchat' })),
    activity: (a) => ({ ...a, channelId: 'webchat' }),
    status: 403,
    log: { event: 'turnRefused', reason: 'channel' },
  },
  {
    name: 'a Direct Line token on a Direct Line activity',
    header: async (ctx) => bearer(await genuine(ctx, { channelId: 'directline' })),
    activity: (a) => ({ ...a, channelId: 'directline' }),
    status: 403,
    log: { event: 'turnRefused', reason: 'channel' },
  },
];
