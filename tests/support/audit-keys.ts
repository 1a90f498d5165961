import { HmacAuditKeys, type AuditKeyMaterial } from '../../src/adapters/crypto/hmac-audit-keys.js';

/** Audit keys for tests: fixed, so that a child process (the CLI, a racer) verifies what the test sealed. */
export const TEST_AUDIT_KEY: AuditKeyMaterial = { id: 'test-1', secret: Buffer.alloc(32, 0x5a) };
export const ROTATED_AUDIT_KEY: AuditKeyMaterial = { id: 'test-2', secret: Buffer.alloc(32, 0xa5) };

/** ELEVATE_AUDIT_KEYS for these keys, newest first. */
export function auditKeysEnv(...keys: AuditKeyMaterial[]): string {
  return (keys.length > 0 ? keys : [TEST_AUDIT_KEY]).map((key) => `${key.id}:${key.secret.toString('base64')}`).join(',');
}

export function testAuditKeys(...keys: AuditKeyMaterial[]): HmacAuditKeys {
  return new HmacAuditKeys(keys.length > 0 ? keys : [TEST_AUDIT_KEY]);
}
