/**
 * Verification of a stored audit chain, for every store and the export tool. Pure: SHA-256 and
 * the key check are passed in. Fed in `seq` order one entry at a time (a log can be larger than
 * memory). See audit-seal.ts for what is sealed.
 */
import { auditIndexOf, parseStoredEvent, type AuditEvent, type AuditIndex } from './audit-event.js';
import { GENESIS_HASH, sealInput, unkeyedHash, type AuditKeys, type Sha256, type StoredAuditEntry } from './audit-seal.js';

/** An entry's seq and hash recorded outside the store (posted to the security channel). */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

/** The `--anchor` value: `<seq>:<hash>`. */
export function formatAnchor(anchor: AuditAnchor): string {
  return `${anchor.seq}:${anchor.hash}`;
}

export type ChainVerdict =
  { ok: true; count: number; unkeyed: number; last?: { seq: number; hash: string; keyId?: string } } | { ok: false; seq: number; reason: string };

export interface ChainVerifierOptions {
  sha256: Sha256;
  check: AuditKeys['check'];
  /** Entry `anchor.seq` must still exist with `anchor.hash`: finds deleted newest entries. */
  anchor?: AuditAnchor;
  /** Accepts a log of unkeyed entries only (what sealUnkeyedAuditLog seals); default false. */
  acceptUnsealed?: boolean;
}

const INDEX_NAMES: Readonly<Record<keyof AuditIndex, string>> = { at: 'at', actorId: 'actor id', subjectId: 'subject id' };

/**
 * Finds, with the keys alone: an edited entry (its seal), one edited and re-sealed without the key
 * (its seal), a deleted, duplicated or reordered one (a gap in `seq` or a `prevHash` that does not
 * link), stored text that is not canonical (a duplicated JSON key), filter values that disagree
 * with the sealed JSON, an entry sealed with an unknown key, and unkeyed entries after keyed ones
 * or never sealed by one. Deleting the newest entries (or all) leaves a shorter valid chain: only
 * an `anchor` published earlier finds that.
 */
export class ChainVerifier {
  private previous: { seq: number; hash: string; keyId?: string } | undefined;
  private count = 0;
  private unkeyed = 0;
  private failure: { seq: number; reason: string } | undefined;
  private anchorSeen = false;

  constructor(private readonly options: ChainVerifierOptions) {}

  /** Returns false once the chain is broken; later entries are ignored. */
  async add(stored: StoredAuditEntry): Promise<boolean> {
    if (this.failure) return false;
    const reason = await this.check(stored);
    if (reason !== undefined) {
      this.failure = { seq: stored.seq, reason };
      return false;
    }
    if (this.options.anchor?.seq === stored.seq) this.anchorSeen = true;
    if (stored.keyId === undefined) this.unkeyed++;
    this.previous = { seq: stored.seq, hash: stored.hash, ...(stored.keyId === undefined ? {} : { keyId: stored.keyId }) };
    this.count++;
    return true;
  }

  result(): ChainVerdict {
    if (this.failure) return { ok: false, ...this.failure };
    const { anchor } = this.options;
    if (anchor && !this.anchorSeen) {
      const end = this.previous ? `the log ends at #${this.previous.seq}` : 'the log is empty';
      return { ok: false, seq: anchor.seq, reason: `anchored entry is missing: ${end} (entries were deleted)` };
    }
    if (this.previous && this.previous.keyId === undefined && !this.options.acceptUnsealed) {
      return {
        ok: false,
        seq: this.previous.seq,
        reason: `entries #1-#${this.previous.seq} have no key id and no keyed entry seals them: written before audit keys and not sealed yet (start Elevate with its audit keys), or rewritten without the key`,
      };
    }
    return this.previous ? { ok: true, count: this.count, unkeyed: this.unkeyed, last: this.previous } : { ok: true, count: 0, unkeyed: 0 };
  }

  private async check(stored: StoredAuditEntry): Promise<string | undefined> {
    const expected = (this.previous?.seq ?? 0) + 1;
    if (stored.seq !== expected) {
      const what = stored.seq > expected ? `entr${stored.seq - expected > 1 ? 'ies' : 'y'} before it missing or out of order` : 'out of order or duplicated';
      return `expected #${expected} next, found #${stored.seq} (${what})`;
    }
    const parsed = parseStoredEvent(stored.event);
    if (!parsed.ok) return parsed.problem;
    const disagreement = stored.index && indexDisagreement(stored.index, auditIndexOf(parsed.event));
    if (disagreement) return disagreement;
    if (stored.prevHash !== (this.previous?.hash ?? GENESIS_HASH)) {
      return this.previous
        ? `prevHash does not match the hash of #${this.previous.seq} (an entry was removed, replaced or rewritten)`
        : 'prevHash is not the genesis hash';
    }
    const sealProblem = await this.checkSeal(stored, parsed.event);
    if (sealProblem) return sealProblem;
    const { anchor } = this.options;
    if (anchor?.seq === stored.seq && anchor.hash !== stored.hash) return 'hash differs from the anchor (the log was rewritten after the anchor was published)';
    return undefined;
  }

  private async checkSeal(stored: StoredAuditEntry, event: AuditEvent): Promise<string | undefined> {
    const { sha256, check } = this.options;
    if (stored.keyId === undefined) {
      if (this.previous && this.previous.keyId !== undefined) return 'has no key id after keyed entries: not written by Elevate (a forged or rewritten entry)';
      const hash = unkeyedHash(sha256, event, stored);
      return hash === stored.hash ? undefined : 'hash mismatch: the unkeyed entry was changed after it was written';
    }
    const verdict = await check(stored.keyId, sha256(sealInput(event, { ...stored, keyId: stored.keyId })), stored.hash);
    if (verdict === 'unknownKey') return `sealed with key ${quote(stored.keyId)}, which is not among the configured audit keys`;
    if (verdict === 'invalid') return `seal mismatch under key ${quote(stored.keyId)}: the entry was changed after it was sealed, or forged without the key`;
    return undefined;
  }
}

function indexDisagreement(stored: AuditIndex, sealed: AuditIndex): string | undefined {
  for (const name of Object.keys(INDEX_NAMES) as (keyof AuditIndex)[]) {
    if (stored[name] !== sealed[name]) {
      return `its ${INDEX_NAMES[name]} index says ${quote(stored[name])} but its sealed JSON says ${quote(sealed[name])} (filters would select it wrongly)`;
    }
  }
  return undefined;
}

/** Store text in a message: quoted, control characters escaped (C1 too: a terminal would act on them), bounded. */
function quote(value: string | null): string {
  if (value === null) return 'nothing';
  const quoted = JSON.stringify(value.length > 80 ? `${value.slice(0, 79)}…` : value);
  return quoted.replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Verifies a whole chain held in memory; see ChainVerifier. */
export async function verifyChain(entries: Iterable<StoredAuditEntry> | AsyncIterable<StoredAuditEntry>, options: ChainVerifierOptions): Promise<ChainVerdict> {
  const verifier = new ChainVerifier(options);
  for await (const entry of entries) if (!(await verifier.add(entry))) break;
  return verifier.result();
}
