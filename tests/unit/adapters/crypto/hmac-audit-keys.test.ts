import assert from 'node:assert/strict';
import { HmacAuditKeys } from '../../../../src/adapters/crypto/hmac-audit-keys.js';
import { ROTATED_AUDIT_KEY, TEST_AUDIT_KEY } from '../../../support/audit-keys.js';

const DIGEST = '0'.repeat(64);
/** HMAC-SHA256(32 × 0x5a, "elevate-audit-seal-v1:" + 64 zeros): pins the seal format that stored logs depend on. */
const KNOWN_SEAL = '038f984da674abf7790e328d65aa883821099743eb0e08efaa5b971546fed01a';

describe('HmacAuditKeys', () => {
  it('seals with the first (newest) key, recording its id', async () => {
    const keys = new HmacAuditKeys([TEST_AUDIT_KEY, ROTATED_AUDIT_KEY]);

    assert.equal(keys.sealer.keyId, 'test-1');
    assert.equal(await keys.sealer.seal(DIGEST), KNOWN_SEAL);
  });

  it('checks seals of every listed key and names unknown keys', async () => {
    const keys = new HmacAuditKeys([ROTATED_AUDIT_KEY, TEST_AUDIT_KEY]);

    assert.equal(await keys.check('test-1', DIGEST, KNOWN_SEAL), 'valid');
    assert.equal(await keys.check('test-2', DIGEST, KNOWN_SEAL), 'invalid');
    assert.equal(await keys.check('test-1', DIGEST, KNOWN_SEAL.toUpperCase()), 'invalid');
    assert.equal(await keys.check('test-1', DIGEST, KNOWN_SEAL.slice(2)), 'invalid');
    assert.equal(await keys.check('test-3', DIGEST, KNOWN_SEAL), 'unknownKey');
  });

  it('refuses an empty key list and a key id listed twice', () => {
    assert.throws(() => new HmacAuditKeys([]), /at least one audit key/);
    assert.throws(() => new HmacAuditKeys([TEST_AUDIT_KEY, { ...ROTATED_AUDIT_KEY, id: 'test-1' }]), /"test-1" is listed twice/);
  });
});
