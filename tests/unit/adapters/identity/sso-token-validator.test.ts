import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { SsoTokenValidator } from '../../../../src/adapters/identity/sso-token-validator.js';
import { SignInRequiredError } from '../../../../src/domain/errors.js';
import { ADELE, APP_ID_URI, AUTHORITY, CLIENT_ID, FakeEntra, NOW, signingKey, ssoToken, TENANT, validClaims } from './fake-tenant.js';
import { rejection } from '../../../support/rejection.js';

const KEY = signingKey('key-1');
const OTHER_KEY = signingKey('key-1');

function setup(entra = new FakeEntra(KEY), now = NOW) {
  const clock = { time: now };
  const validator = new SsoTokenValidator({
    authorityHost: `${AUTHORITY}/`,
    tenantId: TENANT,
    audiences: [CLIENT_ID, APP_ID_URI],
    http: entra.http(),
    now: () => clock.time,
  });
  return { validator, entra, clock };
}

const seconds = (ms: number) => Math.floor(ms / 1000);

describe('SsoTokenValidator', () => {
  it('accepts a Teams SSO token of the tenant for this app and returns the user and expiry', async () => {
    const { validator } = setup();

    const result = await validator.validate(ssoToken(KEY));

    assert.deepEqual(result, {
      aadObjectId: ADELE,
      tenantId: TENANT,
      name: 'Adele Vance',
      expiresAt: (seconds(NOW) + 3600) * 1000,
      issuedAt: (seconds(NOW) - 60) * 1000,
      acrs: [],
    });
  });

  it('returns the authentication contexts the sign-in satisfied (acrs), as an array or a space-separated string', async () => {
    const { validator } = setup();

    const asArray = await validator.validate(ssoToken(KEY, { ...validClaims(), acrs: ['c1', 'c3'] }));
    const asText = await validator.validate(ssoToken(KEY, { ...validClaims(), acrs: 'c2 c4' }));

    assert.deepEqual(asArray.acrs, ['c1', 'c3']);
    assert.deepEqual(asText.acrs, ['c2', 'c4']);
  });

  it('accepts the application id URI as audience when configured', async () => {
    const { validator } = setup();

    const result = await validator.validate(ssoToken(KEY, { ...validClaims(), aud: APP_ID_URI }));

    assert.equal(result.aadObjectId, ADELE);
  });

  it('accepts a token that expired less than 5 minutes ago (clock skew)', async () => {
    const { validator } = setup();

    const result = await validator.validate(ssoToken(KEY, { ...validClaims(), exp: seconds(NOW) - 240 }));

    assert.equal(result.aadObjectId, ADELE);
  });

  const rejections: { why: string; token: () => string; reason: RegExp }[] = [
    { why: 'another audience', token: () => ssoToken(KEY, { ...validClaims(), aud: 'https://graph.microsoft.com' }), reason: /audience/ },
    { why: 'another issuer', token: () => ssoToken(KEY, { ...validClaims(), iss: 'https://sts.example/other/' }), reason: /issuer/ },
    { why: 'another tenant', token: () => ssoToken(KEY, { ...validClaims(), tid: '00000000-0000-4000-8000-000000000000' }), reason: /another tenant/ },
    { why: 'expiry more than 5 minutes ago', token: () => ssoToken(KEY, { ...validClaims(), exp: seconds(NOW) - 360 }), reason: /expired/ },
    { why: 'no access_as_user scope', token: () => ssoToken(KEY, { ...validClaims(), scp: 'User.Read' }), reason: /access_as_user/ },
    {
      why: 'an app-only token (roles, no scp)',
      token: () => ssoToken(KEY, { ...validClaims(), scp: undefined, roles: ['access_as_user'] }),
      reason: /access_as_user/,
    },
    { why: 'no oid', token: () => ssoToken(KEY, { ...validClaims(), oid: undefined }), reason: /oid/ },
    { why: 'a signature by an unpublished key with a published kid', token: () => ssoToken(OTHER_KEY), reason: /signature/ },
    { why: 'an unpublished kid', token: () => ssoToken(signingKey('key-9')), reason: /not published/ },
    { why: 'HS256', token: () => jwt.sign(validClaims(), 'shared-secret', { algorithm: 'HS256', keyid: 'key-1' }), reason: /not RS256/ },
    { why: 'a tampered payload', token: () => tamper(ssoToken(KEY)), reason: /signature/ },
    { why: 'text that is not a JWT', token: () => 'not-a-token', reason: /not a JWT/ },
  ];
  for (const { why, token, reason } of rejections) {
    it(`rejects a token with ${why}`, async () => {
      const { validator } = setup();
      const raw = token();

      const error = await rejection(validator.validate(raw));

      assert.ok(error instanceof SignInRequiredError, `got ${String(error)}`);
      assert.match(error.message, reason);
      assert.ok(!error.message.includes(raw), 'the token never appears in the message');
    });
  }

  it('fetches metadata and keys once for many tokens', async () => {
    const { validator, entra } = setup();

    await validator.validate(ssoToken(KEY));
    await validator.validate(ssoToken(KEY));

    assert.equal(entra.requests.length, 2);
  });

  it('refetches the keys once when a token names a new key (rollover)', async () => {
    const next = signingKey('key-2');
    const { validator, entra, clock } = setup();
    await validator.validate(ssoToken(KEY));
    entra.published = [KEY, next];
    clock.time += 120_000;

    const result = await validator.validate(ssoToken(next, { ...validClaims(), exp: seconds(clock.time) + 3600 }));

    assert.equal(result.aadObjectId, ADELE);
    assert.equal(entra.requests.filter((u) => u.endsWith('/keys')).length, 2);
  });

  it('does not refetch keys for every unknown kid', async () => {
    const { validator, entra } = setup();
    await validator.validate(ssoToken(KEY));

    await rejection(validator.validate(ssoToken(signingKey('junk-1'))));
    await rejection(validator.validate(ssoToken(signingKey('junk-2'))));

    assert.equal(entra.requests.filter((u) => u.endsWith('/keys')).length, 1);
  });
});

function tamper(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, oid: 'a0000000-0000-4000-8000-0000000001ee' })).toString('base64url');
  return `${header}.${forged}.${signature}`;
}
