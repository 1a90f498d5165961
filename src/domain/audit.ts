/**
 * The audit log's entries and its hash chain. Pure: the SHA-256 primitive is passed in (`Sha256`)
 * because `src/domain` may not import `node:*`; what is hashed, in which canonical form and how
 * entries link is decided here, so that every store and the export tool agree on it.
 *
 * Entry n carries `prevHash` = hash of entry n-1 (64 zeros for entry 1) and
 * `hash` = SHA-256 hex of the canonical JSON of the entry without its `hash` field.
 */
export const AUDIT_EVENT_TYPES = [
  'requested',
  'decided',
  'cancelled',
  'activated',
  'elevated',
  'failed',
  'reminded',
  'deactivated',
  'expired',
  'cleanedUp',
  'refusedTap',
  'channelConfigured',
  'signInRefused',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export type AuditDetailValue = string | number | boolean | null;

export interface AuditParty {
  aadObjectId: string;
  name?: string;
}

export interface AuditEvent {
  type: AuditEventType;
  /** ISO 8601 instant; stored as `Date#toISOString()` so that it sorts as text. */
  at: string;
  /** Who did it (requester, approver, admin); absent for the bot's own timers. */
  actor?: AuditParty;
  /** Whose elevation it concerns, when not the actor (an approver's decision, a reminder, an expiry). */
  subject?: AuditParty;
  elevationId?: string;
  environment?: { id: string; displayName: string };
  roleName?: string;
  /** Flat facts: justification, ticket, duration, failure code, correlation id. Never a token. */
  details: Record<string, AuditDetailValue>;
}

export type AuditEntry = AuditEvent & { seq: number; prevHash: string; hash: string };

/** SHA-256 of the UTF-8 text, as 64 lowercase hex digits. */
export type Sha256 = (text: string) => string;

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth and undefined members left out; the hash input. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`Not representable in JSON: ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const members = Object.keys(value)
    .sort()
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

/**
 * The event as it will be stored: known fields only, `at` as `toISOString()`, empty optional
 * texts dropped, non-finite numbers as null and lone surrogates replaced, so that what is read
 * back from any store hashes exactly as what was written. Throws RangeError for a bad `at`.
 */
export function normalizeAuditEvent(event: AuditEvent): AuditEvent {
  const at = new Date(event.at);
  if (Number.isNaN(at.getTime())) throw new RangeError(`Audit event "${event.type}" has no valid time: ${event.at}`);
  const details: Record<string, AuditDetailValue> = {};
  for (const [key, value] of Object.entries(event.details)) {
    if (value === undefined) continue;
    details[wellFormed(key)] = typeof value === 'string' ? wellFormed(value) : typeof value === 'number' && !Number.isFinite(value) ? null : value;
  }
  const normalized: AuditEvent = { type: event.type, at: at.toISOString(), details };
  const actor = party(event.actor);
  const subject = party(event.subject);
  if (actor) normalized.actor = actor;
  if (subject) normalized.subject = subject;
  if (event.elevationId) normalized.elevationId = wellFormed(event.elevationId);
  if (event.environment) normalized.environment = { id: wellFormed(event.environment.id), displayName: wellFormed(event.environment.displayName) };
  if (event.roleName) normalized.roleName = wellFormed(event.roleName);
  return normalized;
}

function party(value: AuditParty | undefined): AuditParty | undefined {
  if (!value) return undefined;
  return value.name ? { aadObjectId: wellFormed(value.aadObjectId), name: wellFormed(value.name) } : { aadObjectId: wellFormed(value.aadObjectId) };
}

/** Lone UTF-16 surrogates cannot be stored as UTF-8; they would read back as U+FFFD and break the hash. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** The hash of an entry: SHA-256 of the canonical JSON of everything but `hash` itself. */
export function hashEntry(sha256: Sha256, prevHash: string, body: AuditEvent & { seq: number }): string {
  const { hash: _ignored, ...rest } = body as AuditEvent & { seq: number; hash?: unknown };
  return sha256(canonicalJson({ ...rest, prevHash }));
}

/** The entry that follows `previous` (the chain's last entry, or undefined for an empty log). */
export function chainEntry(sha256: Sha256, previous: { seq: number; hash: string } | undefined, event: AuditEvent): AuditEntry {
  const body = { ...normalizeAuditEvent(event), seq: (previous?.seq ?? 0) + 1 };
  const prevHash = previous?.hash ?? GENESIS_HASH;
  return { ...body, prevHash, hash: hashEntry(sha256, prevHash, body) };
}

export type ChainVerdict = { ok: true; count: number; last?: { seq: number; hash: string } } | { ok: false; seq: number; reason: string };

/**
 * Checks a chain fed in `seq` order, one entry at a time (a log can be larger than memory).
 * Finds an edited entry (its hash), a deleted or reordered one (a gap in `seq` or a `prevHash`
 * that does not link). Deleting the newest entries leaves a shorter, valid chain: only an
 * `anchor` recorded elsewhere (an entry's seq and hash, e.g. from an earlier `--verify`) finds that.
 */
export class ChainVerifier {
  private previous: { seq: number; hash: string } | undefined;
  private count = 0;
  private failure: { seq: number; reason: string } | undefined;
  private anchorSeen = false;

  constructor(
    private readonly sha256: Sha256,
    private readonly anchor?: { seq: number; hash: string },
  ) {}

  /** Returns false once the chain is broken; later entries are ignored. */
  add(entry: AuditEntry): boolean {
    if (this.failure) return false;
    const reason = this.check(entry);
    if (reason !== undefined) {
      this.failure = { seq: entry.seq, reason };
      return false;
    }
    if (this.anchor?.seq === entry.seq) this.anchorSeen = true;
    this.previous = { seq: entry.seq, hash: entry.hash };
    this.count++;
    return true;
  }

  result(): ChainVerdict {
    if (this.failure) return { ok: false, ...this.failure };
    if (this.anchor && !this.anchorSeen) {
      const end = this.previous ? `the log ends at #${this.previous.seq}` : 'the log is empty';
      return { ok: false, seq: this.anchor.seq, reason: `anchored entry is missing: ${end} (newer entries were deleted)` };
    }
    return this.previous ? { ok: true, count: this.count, last: this.previous } : { ok: true, count: 0 };
  }

  private check(entry: AuditEntry): string | undefined {
    const expected = (this.previous?.seq ?? 0) + 1;
    if (entry.seq !== expected) {
      const what = entry.seq > expected ? `entr${entry.seq - expected > 1 ? 'ies' : 'y'} before it missing or out of order` : 'out of order or duplicated';
      return `expected #${expected} next, found #${entry.seq} (${what})`;
    }
    if (entry.prevHash !== (this.previous?.hash ?? GENESIS_HASH)) {
      return this.previous
        ? `prevHash does not match the hash of #${this.previous.seq} (an entry was removed, replaced or rewritten)`
        : 'prevHash is not the genesis hash';
    }
    if (hashEntry(this.sha256, entry.prevHash, entry) !== entry.hash) return 'hash mismatch: the entry was changed after it was written';
    if (this.anchor?.seq === entry.seq && this.anchor.hash !== entry.hash) return 'hash differs from the anchor';
    return undefined;
  }
}

/** Verifies a whole chain held in memory; see ChainVerifier. */
export function verifyChain(sha256: Sha256, entries: Iterable<AuditEntry>, anchor?: { seq: number; hash: string }): ChainVerdict {
  const verifier = new ChainVerifier(sha256, anchor);
  for (const entry of entries) if (!verifier.add(entry)) break;
  return verifier.result();
}
