/**
 * How audit entries are chained and sealed. Pure: SHA-256 and the keys are passed in (`Sha256`,
 * `AuditKeys`), because `src/domain` may not import `node:*` and the key must never be in the store.
 *
 * Entry n carries `prevHash` = `hash` of entry n-1 (GENESIS_HASH for #1), its key id, and
 * `hash` = the key's seal of SHA-256(sealInput): the canonical JSON of the event with seq,
 * prevHash and keyId. Without the key nobody can write an entry, or rewrite one and the ones
 * after it, that verifies. Entries written before audit keys existed have no key id and a plain
 * SHA-256 `hash`; the first keyed entry after them covers their head and so seals them.
 */
import { ElevateError } from './errors.js';
import { auditIndexOf, canonicalJson, normalizeAuditEvent, storedEventText, type AuditEntry, type AuditEvent, type AuditIndex } from './audit-event.js';

/** SHA-256 of the UTF-8 text, as 64 lowercase hex digits. */
export type Sha256 = (text: string) => string;

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Seals new entries with the current audit key. `seal` gets the SHA-256 digest (hex) of the
 * entry's seal input and answers the seal as lowercase hex: HMAC-SHA256 in Elevate
 * (src/adapters/crypto/hmac-audit-keys.ts). Azure Key Vault's `sign` operation also signs a
 * digest (learn.microsoft.com/rest/api/keyvault/keys/sign/sign, "Creates a signature from a
 * digest"), so a Key Vault sealer fits here; it is not built.
 */
export interface AuditSealer {
  /** Recorded in every entry it seals; names the key among the configured ones. */
  readonly keyId: string;
  seal(digest: string): Promise<string>;
}

export type SealCheck = 'valid' | 'invalid' | 'unknownKey';

/** The configured audit keys: the newest one seals, every one (current and retired) checks. */
export interface AuditKeys {
  readonly sealer: AuditSealer;
  check(keyId: string, digest: string, seal: string): Promise<SealCheck>;
}

/** An entry exactly as a store holds it: verification reads the stored text, not a parsed copy. */
export interface StoredAuditEntry {
  seq: number;
  /** storedEventText(event): the canonical JSON of the normalized event, without the chain fields. */
  event: string;
  prevHash: string;
  hash: string;
  /** Absent for entries written before audit keys existed. */
  keyId?: string;
  /** The store's own filter values (columns, table properties) as it reads them, when it has any. */
  index?: AuditIndex;
}

/** The text whose SHA-256 digest a keyed entry's seal covers. */
export function sealInput(event: AuditEvent, chain: { seq: number; prevHash: string; keyId: string }): string {
  return canonicalJson({ ...event, seq: chain.seq, prevHash: chain.prevHash, keyId: chain.keyId });
}

/** The `hash` of an entry written before audit keys: SHA-256 of the canonical event with seq and prevHash. */
export function unkeyedHash(sha256: Sha256, event: AuditEvent, chain: { seq: number; prevHash: string }): string {
  return sha256(canonicalJson({ ...event, seq: chain.seq, prevHash: chain.prevHash }));
}

/** A sealed entry: `entry` for callers, `stored` for the store to write (all of it, index included). */
export interface SealedAuditEntry {
  entry: AuditEntry;
  stored: StoredAuditEntry & { keyId: string; index: AuditIndex };
}

/** The newest entry is unkeyed: only an `auditSealed` event (sealUnkeyedAuditLog) may follow it. */
export class UnsealedAuditLogError extends ElevateError {
  constructor(readonly seq: number) {
    super(`audit entry #${seq} has no key id: the log must be sealed (at start) before anything else is appended`, 'UnsealedAuditLog');
  }
}

/**
 * The entry that follows `previous` (the chain's newest entry; undefined for an empty log), sealed
 * with the current key. A store writes `stored` at `stored.seq` only if that seq is still free
 * (its compare-and-swap) and otherwise reads the new newest entry and seals again. After an
 * unkeyed entry only `auditSealed` may follow, so that unkeyed entries written into the store
 * behind Elevate's back are not sealed silently by the next event (throws UnsealedAuditLogError).
 */
export async function sealAuditEntry(
  sha256: Sha256,
  sealer: AuditSealer,
  previous: { seq: number; hash: string; keyId?: string | null } | undefined,
  event: AuditEvent,
): Promise<SealedAuditEntry> {
  if (previous && (previous.keyId ?? undefined) === undefined && event.type !== 'auditSealed') throw new UnsealedAuditLogError(previous.seq);
  const normalized = normalizeAuditEvent(event);
  const chain = { seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH, keyId: sealer.keyId };
  const hash = await sealer.seal(sha256(sealInput(normalized, chain)));
  return {
    entry: { ...normalized, ...chain, hash },
    stored: { ...chain, hash, event: storedEventText(normalized), index: auditIndexOf(normalized) },
  };
}

/** The stored form of an entry read back from elsewhere (an export): its event as canonical text. */
export function storedAuditEntry(entry: AuditEntry): StoredAuditEntry {
  const { seq, prevHash, hash, keyId, ...event } = entry;
  return { seq, event: storedEventText(event), prevHash, hash, ...(keyId === undefined ? {} : { keyId }) };
}
