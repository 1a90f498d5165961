/**
 * A separate process for the timer store tests: opens the SQLite file argv[2] as owner argv[3],
 * waits until the epoch milliseconds argv[4] so that all racers overlap, then claims due timers
 * in batches of argv[5] until none is left, as a scheduler would: every other claim completed,
 * the rest retried a day later. Prints the ids it claimed as a JSON array.
 */
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';

async function main(): Promise<void> {
  const [path, owner, startAt, batch] = process.argv.slice(2);
  const store = SqliteElevationStore.open(path ?? '');
  const timers = store.timers();
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  const claimed: string[] = [];
  for (;;) {
    const due = await timers.claimDue(new Date(), owner ?? '', 10 * 60_000, Number(batch));
    if (due.length === 0) break;
    for (const timer of due) {
      claimed.push(timer.id);
      const settled =
        claimed.length % 2 === 0
          ? await timers.complete(timer.id, owner ?? '')
          : await timers.retryLater(timer.id, owner ?? '', new Date(Date.now() + 86_400_000));
      if (!settled) throw new Error(`lost ${timer.id}`);
    }
  }
  await store.close();
  process.stdout.write(JSON.stringify(claimed));
}

main().catch((error: unknown) => {
  process.stderr.write(String(error));
  process.exit(1);
});
