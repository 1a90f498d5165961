import assert from 'node:assert/strict';
import { describeFindings, findFragments } from '../../harness/secret-fragments.js';

const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGVsZSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const password = 'simulated-bot-secret-0123456789';
const line = (text: string, origin = 'tests/e2e/a.test.ts') => ({ origin, line: text });

describe('harness: fragments of secrets in bot logs', () => {
  it('finds a fragment of 16 characters anywhere in a secret, at any offset', () => {
    for (let offset = 0; offset + 16 <= token.length; offset++) {
      const found = findFragments([line(`{"msg":"#${token.slice(offset, offset + 16)}#"}`)], [token]);
      assert.equal(found.length, 1, `offset ${offset}`);
      assert.equal(found[0]?.length, 16);
    }
  });

  it('ignores 15 characters', () => {
    for (let offset = 0; offset + 15 <= token.length; offset++) {
      assert.equal(findFragments([line(token.slice(offset, offset + 15))], [token]).length, 0);
    }
  });

  it('reports the longest run and the test file, never the fragment', () => {
    const findings = findFragments([line('clean'), line(`password=${password}`, 'tests/e2e/b.test.ts')], [token, password]);
    assert.deepEqual(findings, [{ origin: 'tests/e2e/b.test.ts', index: 2, length: password.length, secretLength: password.length }]);
    const text = describeFindings(findings);
    assert.match(text, /tests\/e2e\/b\.test\.ts: 1 log line/);
    assert.ok(!text.includes(password.slice(0, 8)));
  });

  it('passes logs that share only short runs with secrets', () => {
    assert.deepEqual(findFragments([line('{"msg":"eyJhbGciOiJSUzI signed in"}')], [token]), []);
  });
});
