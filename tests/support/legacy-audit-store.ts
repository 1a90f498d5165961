import { readFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { migrate } from '../../src/adapters/store/sqlite-schema.js';

interface LegacyFixture {
  writtenBy: string;
  schemaVersion: number;
  rows: { seq: number; event: string; prevHash: string; hash: string }[];
}

/**
 * tests/fixtures/audit/legacy-sha256-chain.json: the audit table of a store written by Elevate
 * before audit keys (commit 98bad67, schema version 3, unkeyed SHA-256 chain), exported row by row
 * from a file that release wrote through SqliteAuditLog#append.
 */
export function legacyAuditFixture(): LegacyFixture {
  return JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'audit', 'legacy-sha256-chain.json'), 'utf8')) as LegacyFixture;
}

/** Writes that store again at `file`: the schema as that release created it, and its audit rows. */
export function writeLegacyAuditStore(file: string): LegacyFixture {
  const fixture = legacyAuditFixture();
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    migrate(db, fixture.schemaVersion);
    const insert = db.prepare('INSERT INTO audit (seq, event, prev_hash, hash) VALUES (?, ?, ?, ?)');
    for (const row of fixture.rows) insert.run(row.seq, row.event, row.prevHash, row.hash);
  } finally {
    db.close();
  }
  return fixture;
}
