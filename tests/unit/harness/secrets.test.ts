import assert from 'node:assert/strict';
import { assertNoSecretsIn, findSecrets } from '../../harness/secrets.js';

const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGVsZSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';

describe('harness: no secrets in logs', () => {
  it('passes clean output', () => {
    assert.doesNotThrow(() => assertNoSecretsIn('{"msg":"listening","token":"[redacted]"}', ['simulated-bot-secret', token]));
  });

  it('finds a known secret and names its line without repeating it', () => {
    const output = 'line one\n{"password":"simulated-bot-secret"}';
    assert.throws(
      () => assertNoSecretsIn(output, ['simulated-bot-secret']),
      (error: Error) => /line 2: secret of 20 characters/.test(error.message) && !error.message.includes('simulated-bot-secret'),
    );
  });

  it("finds a token's signature even when the rest was cut", () => {
    const findings = findSecrets(`signature: ${token.split('.')[2]}`, [token]);
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.what ?? '', /signature of a known token/);
  });

  it('finds unknown JWT-shaped text unless told not to', () => {
    const other = 'Bearer eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4eXoifQ.abc';
    assert.equal(findSecrets(other, []).length, 1);
    assert.equal(findSecrets(other, [], { jwts: false }).length, 0);
  });

  it('ignores secrets too short to be meaningful', () => {
    assert.equal(findSecrets('a b c', ['a', '']).length, 0);
  });
});
