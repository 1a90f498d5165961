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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the schema up to date. Runs under BEGIN IMMEDIATE so that two processes opening the
 * same new file do not both migrate; refuses a database written by a newer Elevate.
 */
export function migrate(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const run = db.transaction(() => {
    const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new Error(`The Elevate database has schema version ${current}, newer than this release understands (${SCHEMA_VERSION}).`);
    }
    for (const step of MIGRATIONS.slice(current)) db.exec(step);
    if (row) db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION);
    else db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION);
  });
  run.immediate();
}
