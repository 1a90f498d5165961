import type { Database, Statement } from 'better-sqlite3';

/**
 * Prepared statements by SQL text, prepared once per connection: better-sqlite3's `prepare` costs
 * more than running a small statement (6% of the CPU of the timer storm, scripts/bench-timers.ts).
 * Not for statements iterated while another iteration of the same text may be open.
 */
export function statementCache(db: Database): (sql: string) => Statement {
  const statements = new Map<string, Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}
