import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditKeys, AuditSealer, SealCheck } from '../../domain/audit.js';

/** One configured audit key (ELEVATE_AUDIT_KEYS): its id, recorded in each entry, and its secret. */
export interface AuditKeyMaterial {
  id: string;
  secret: Buffer;
}

/** Separates these MACs from any other use of the same secret. */
const CONTEXT = 'elevate-audit-seal-v1:';

function mac(secret: Buffer, digest: string): string {
  return createHmac('sha256', secret)
    .update(CONTEXT + digest, 'utf8')
    .digest('hex');
}

/**
 * AuditKeys with HMAC-SHA256. The first key seals new entries; every key checks the entries it
 * sealed, so a rotated-out key stays in the list for as long as its entries are kept.
 */
export class HmacAuditKeys implements AuditKeys {
  readonly sealer: AuditSealer;
  private readonly secrets: ReadonlyMap<string, Buffer>;

  constructor(keys: readonly AuditKeyMaterial[]) {
    const [current] = keys;
    if (!current) throw new Error('at least one audit key is needed');
    const secrets = new Map<string, Buffer>();
    for (const key of keys) {
      if (secrets.has(key.id)) throw new Error(`audit key id "${key.id}" is listed twice`);
      secrets.set(key.id, Buffer.from(key.secret));
    }
    this.secrets = secrets;
    const secret = secrets.get(current.id)!;
    this.sealer = { keyId: current.id, seal: async (digest) => mac(secret, digest) };
  }

  async check(keyId: string, digest: string, seal: string): Promise<SealCheck> {
    const secret = this.secrets.get(keyId);
    if (!secret) return 'unknownKey';
    const expected = Buffer.from(mac(secret, digest), 'utf8');
    const actual = Buffer.from(seal, 'utf8');
    return actual.length === expected.length && timingSafeEqual(actual, expected) ? 'valid' : 'invalid';
  }
}
