import assert from 'node:assert/strict';
import { AuthenticationError } from 'botframework-connector';
import jwt from 'jsonwebtoken';
import { headerProblem, refusalReason, type TokenRefusalReason } from '../../../../src/teams/host/token-refusal.js';

const ISSUER = 'https://api.botframework.com';
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (payload: unknown) => `${part({ alg: 'RS256', kid: 'k' })}.${part(payload)}.c2ln`;

describe('token refusals: one short reason, never the token', () => {
  const headers: [string, string, TokenRefusalReason | undefined][] = [
    ['no header', '', 'missing'],
    ['Basic credentials', 'Basic dXNlcjpwYXNz', 'scheme'],
    ['a bearer with two tokens', `Bearer ${token({ iss: ISSUER })} more`, 'scheme'],
    ['not a JWT', 'Bearer not-a-jwt', 'malformed'],
    ['a JWT whose payload is not JSON', `Bearer ${part({ alg: 'RS256' })}.bm90IGpzb24.c2ln`, 'malformed'],
    ['another issuer', `Bearer ${token({ iss: 'https://sts.windows.net/x/' })}`, 'issuer'],
    ['a Bot Framework token, left to botbuilder', `Bearer ${token({ iss: ISSUER })}`, undefined],
  ];
  for (const [name, header, reason] of headers) {
    it(`reads ${name} from the header alone: ${reason ?? 'nothing'}`, () => assert.equal(headerProblem(header, ISSUER), reason));
  }

  const errors: [string, unknown, TokenRefusalReason | undefined][] = [
    ['an expired token', new jwt.TokenExpiredError('jwt expired', new Date()), 'expired'],
    ["botbuilder's expiry", new AuthenticationError('The token has expired', 401), 'expired'],
    ['a token not yet valid', new jwt.NotBeforeError('jwt not active', new Date()), 'notYetValid'],
    ['a bad signature', new jwt.JsonWebTokenError('invalid signature'), 'signature'],
    ['no signature', new jwt.JsonWebTokenError('jwt signature is required'), 'unsigned'],
    ['HS256', new jwt.JsonWebTokenError('invalid algorithm'), 'algorithm'],
    ['an unknown key', new AuthenticationError('Signing Key could not be retrieved.', 401), 'unknownKey'],
    ['an endorsement for another channel', new AuthenticationError('Could not validate endorsement for key: k with endorsements: webchat', 401), 'endorsement'],
    ['another audience', new AuthenticationError('Unauthorized. Invalid AppId passed on token: x', 401), 'audience'],
    ['another serviceUrl', new AuthenticationError('Unauthorized. ServiceUrl claim do not match.', 401), 'serviceUrl'],
    ['keys that could not be loaded (not a refusal)', new AuthenticationError('Failed to load Keys: 503', 500), undefined],
    ['any other error (not a refusal)', new TypeError('boom'), undefined],
  ];
  for (const [name, error, reason] of errors) {
    it(`names ${name}: ${reason ?? 'not a refusal'}`, () => assert.equal(refusalReason(error), reason));
  }
});
