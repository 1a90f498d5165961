import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { decodeJwt, forgeToken, tamperToken, unsignedToken } from '../../harness/tokens.js';

const simulatorKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const claims = { iss: 'https://api.botframework.com', aud: '0b07e1e7-a7e0-4b07-8e1e-7a7e0b07e1e7', serviceurl: 'https://127.0.0.1:1/connector/' };
const genuine = jwt.sign(claims, simulatorKey.privateKey, { algorithm: 'RS256', keyid: 'bf-key-1', expiresIn: 600 });
const verify = (token: string): unknown => jwt.verify(token, simulatorKey.publicKey, { algorithms: ['RS256'] });

describe('harness: bad Bot Framework tokens', () => {
  it('decodes header and claims without verifying', () => {
    const { header, payload } = decodeJwt(genuine);
    assert.equal(header['kid'], 'bf-key-1');
    assert.equal(payload['serviceurl'], claims.serviceurl);
    assert.doesNotThrow(() => verify(genuine));
  });

  it("forges a token with the genuine kid and claims that the simulator's key does not verify", () => {
    const forged = forgeToken(genuine);
    assert.deepEqual(decodeJwt(forged).header, decodeJwt(genuine).header);
    assert.deepEqual(decodeJwt(forged).payload, decodeJwt(genuine).payload);
    assert.notEqual(forged, genuine);
    assert.throws(() => verify(forged), /invalid signature/);
  });

  it('tampers with a claim and keeps the original signature, which no longer verifies', () => {
    const tampered = tamperToken(genuine, { aud: 'someone-else' });
    assert.equal(decodeJwt(tampered).payload['aud'], 'someone-else');
    assert.equal(tampered.split('.')[2], genuine.split('.')[2]);
    assert.throws(() => verify(tampered), /invalid signature/);
  });

  it('makes an alg "none" token without a signature', () => {
    const unsigned = unsignedToken(genuine);
    assert.equal(decodeJwt(unsigned).header['alg'], 'none');
    assert.ok(unsigned.endsWith('.'));
    assert.throws(() => verify(unsigned), /jwt signature is required|invalid algorithm/);
  });
});
