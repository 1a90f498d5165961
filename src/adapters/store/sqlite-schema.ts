import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, in order; the database records how many have run in `schema_version`.
 * Append new steps, never edit a released one.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE elevations (
     id TEXT PRIMARY KEY,
     requester TEXT NOT NULL,
     state TEXT NOT NULL,
     created_at TEXT NOT NULL,
     record TEXT NOT NULL CHECK (json_valid(record)),
     version INTEGER NOT NULL
   );
   CREATE INDEX elevations_by_requester ON elevations (requester, created_at);
   CREATE TABLE documents (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL CHECK (json_valid(value)),
     version INTEGER NOT NULL
   );
   CREATE TABLE claims (
     key TEXT PRIMARY KEY,
     claimed_at TEXT NOT NULL
   );`,
  // 2: the hash-chained audit log. `event` (canonical JSON) is the only copy of the facts; the
  // columns after it are generated from it for filtering, so they cannot disagree with the hash.
  // The triggers stop accidental edits; tampering past them is what the hash chain finds.
  `CREATE TABLE audit (
     seq INTEGER PRIMARY KEY CHECK (seq >= 1),
     event TEXT NOT NULL CHECK (json_valid(event)),
     prev_hash TEXT NOT NULL,
     hash TEXT NOT NULL,
     at TEXT GENERATED ALWAYS AS (json_extract(event, '$.at')) VIRTUAL,
     type TEXT GENERATED ALWAYS AS (json_extract(event, '$.type')) VIRTUAL,
     actor_id TEXT GENERATED ALWAYS AS (json_extract(event, '$.actor.aadObjectId')) VIRTUAL,
     subject_id TEXT GENERATED ALWAYS AS (json_extract(event, '$.subject.aadObjectId')) VIRTUAL
   );
   CREATE INDEX audit_by_at ON audit (at);
   CREATE INDEX audit_by_actor ON audit (actor_id, at);
   CREATE INDEX audit_by_subject ON audit (subject_id, at);
   CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
   CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;`,
  // 3: durable timers (reminders, expiry, clean-up retries). Times are epoch milliseconds so that
  // "due" and "lease expired" compare as numbers whatever ISO spelling a caller used. `owner` and
  // `lease_until` are the claim: both NULL while nobody holds the timer.
  // IF NOT EXISTS: a database whose schema_version was wound back must still migrate.
  `CREATE TABLE IF NOT EXISTS timers (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     subject TEXT NOT NULL,
     due_ms INTEGER NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     payload TEXT NOT NULL CHECK (json_valid(payload)),
     owner TEXT,
     lease_until_ms INTEGER
   );
   CREATE INDEX IF NOT EXISTS timers_by_due ON timers (due_ms);
   CREATE INDEX IF NOT EXISTS timers_by_subject ON timers (subject, kind);`,
  // 4: keyed audit entries. `key_id` names the audit key whose HMAC `hash` is; NULL for entries
  // written before audit keys (their `hash` is SHA-256), which the first keyed entry seals.
  `ALTER TABLE audit ADD COLUMN key_id TEXT;`,
  // 5: housekeeping (README "What Elevate keeps and for how long"): claims by age and drafts by
  // state and age, so that pruning reads an index range instead of the whole table.
  `CREATE INDEX IF NOT EXISTS claims_by_claimed_at ON claims (claimed_at);
   CREATE INDEX IF NOT EXISTS elevations_by_state ON elevations (state, created_at);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the schema up to date (or to `target`, for tests that build a database as an older
 * release wrote it). Runs under BEGIN IMMEDIATE so that two processes opening the same new file
 * do not both migrate; refuses a database written by a newer Elevate.
 */
export function migrate(db: Database, target = SCHEMA_VERSION): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const run = db.transaction(() => {
    const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new Error(`The Elevate database has schema version ${current}, newer than this release understands (${SCHEMA_VERSION}).`);
    }
    const version = Math.max(current, Math.min(target, SCHEMA_VERSION));
    for (const step of MIGRATIONS.slice(current, version)) db.exec(step);
    if (row) db.prepare('UPDATE schema_version SET version = ?').run(version);
    else db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(version);
  });
  run.immediate();
}
