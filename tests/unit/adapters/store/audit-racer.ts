/**
 * A separate process for the audit-log tests: opens the SQLite file argv[2] and appends argv[3]
 * events tagged argv[5], starting at the epoch milliseconds argv[4] so that racers overlap.
 */
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import { testAuditKeys } from '../../../support/audit-keys.js';

async function main(): Promise<void> {
  const [path, times, startAt, tag] = process.argv.slice(2);
  const store = SqliteElevationStore.open(path ?? '');
  const log = store.auditLog(testAuditKeys().sealer);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  for (let n = 0; n < Number(times); n++) {
    await log.append({ type: 'reminded', at: new Date().toISOString(), details: { racer: tag ?? '', n } });
  }
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(String(error));
  process.exit(1);
});
