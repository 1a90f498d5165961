/**
 * A separate process for the store contract: `racer.ts <mode> <locator JSON> ...` opens the store
 * the locator names (a SQLite file, or tables on Azurite) and races other processes doing the same.
 * Every mode first waits until the epoch milliseconds `startAt`, so that all racers overlap.
 *
 * - `cas <times> <startAt>`: adds 1 to the document `counter` `times` times with compare-and-swap,
 *   retrying on conflict; prints `{"wins":n,"conflicts":m}`.
 * - `audit <times> <startAt> <tag>`: appends `times` events tagged `tag`, sealed with the test audit key.
 * - `timer <owner> <startAt> <batch>`: claims due timers in batches of `batch` until none is left, as a
 *   scheduler would: every other claim completed, the rest retried a day later; prints the ids claimed.
 */
import { testAuditKeys } from '../../../support/audit-keys.js';
import { openLocated, type StoreLocator } from './stores.js';

const waitUntil = (startAt: string | undefined) => new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));

async function main(): Promise<void> {
  const [mode, locator, ...args] = process.argv.slice(2);
  const store = await openLocated(JSON.parse(locator ?? '{}') as StoreLocator);
  if (mode === 'cas') {
    const [times, startAt] = args;
    await waitUntil(startAt);
    let wins = 0;
    let conflicts = 0;
    while (wins < Number(times)) {
      const current = await store.getDocument<{ n: number }>('counter');
      if (!current) throw new Error('counter missing');
      if (await store.putDocument('counter', { n: current.value.n + 1 }, current.version)) wins++;
      else conflicts++;
    }
    process.stdout.write(JSON.stringify({ wins, conflicts }));
  } else if (mode === 'audit') {
    const [times, startAt, tag] = args;
    const log = store.auditLog(testAuditKeys().sealer);
    await waitUntil(startAt);
    for (let n = 0; n < Number(times); n++) await log.append({ type: 'reminded', at: new Date().toISOString(), details: { racer: tag ?? '', n } });
  } else if (mode === 'timer') {
    const [owner = '', startAt, batch] = args;
    const timers = store.timers();
    await waitUntil(startAt);
    const claimed: string[] = [];
    for (;;) {
      const due = await timers.claimDue(new Date(), owner, 10 * 60_000, Number(batch));
      if (due.length === 0) break;
      for (const timer of due) {
        claimed.push(timer.id);
        const settled =
          claimed.length % 2 === 0 ? await timers.complete(timer.id, owner) : await timers.retryLater(timer.id, owner, new Date(Date.now() + 86_400_000));
        if (!settled) throw new Error(`lost ${timer.id}`);
      }
    }
    process.stdout.write(JSON.stringify(claimed));
  } else throw new Error(`unknown mode ${mode ?? ''}`);
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error));
  process.exit(1);
});
