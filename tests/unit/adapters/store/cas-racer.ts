/**
 * A separate process for the store tests: opens the SQLite file given as argv[2] and adds 1 to
 * the document `counter` argv[3] times with compare-and-swap, retrying on conflict. All racers
 * start at the epoch milliseconds argv[4], so that they overlap. Prints `{"wins":n,"conflicts":m}`.
 */
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';

async function main(): Promise<void> {
  const [path, times, startAt] = process.argv.slice(2);
  const store = SqliteElevationStore.open(path ?? '');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  let wins = 0;
  let conflicts = 0;
  while (wins < Number(times)) {
    const current = await store.getDocument<{ n: number }>('counter');
    if (!current) throw new Error('counter missing');
    if (await store.putDocument('counter', { n: current.value.n + 1 }, current.version)) wins++;
    else conflicts++;
  }
  await store.close();
  process.stdout.write(JSON.stringify({ wins, conflicts }));
}

main().catch((error: unknown) => {
  process.stderr.write(String(error));
  process.exit(1);
});
