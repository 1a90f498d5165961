/**
 * `npm run fuzz -- --count N [--seed S] [--concurrency C]`: starts the tenant simulator and the
 * compiled bot (`npm run build` first), signs three users in, sends N randomized and mutated
 * activities with genuine Bot Framework tokens (hostile bodies: random types, huge strings, unicode,
 * nested junk, wrong shapes, random verbs and data) and prints crashes, 5xx, hangs, turn failures
 * and the bot's memory before and after. Exit code 1 on a crash, a 5xx or a hang. Not a test: the
 * CI runs a short count in tests/security/fuzz.test.ts.
 */
import { parseArgs } from 'node:util';
import { fuzz, formatFuzzReport } from '../tests/security/support/fuzzer.js';
import { startFuzzStage } from '../tests/security/support/fuzz-stage.js';
import { megabytes, residentBytes } from '../tests/security/support/process-stats.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { count: { type: 'string', default: '1000' }, seed: { type: 'string' }, concurrency: { type: 'string', default: '8' } },
  });
  const count = Number(values.count);
  const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(count) || count <= 0 || !Number.isInteger(seed)) throw new Error('--count and --seed are whole numbers');
  const stage = await startFuzzStage();
  try {
    console.log(`fuzzing ${count} activities against ${stage.bot.url} (seed ${seed}; rerun with --seed ${seed})`);
    const report = await fuzz({
      ...stage,
      count,
      seed,
      concurrency: Number(values.concurrency),
      onProgress: (done, r) => {
        if (done % 10_000 === 0) {
          console.log(
            `  ${done} sent, 5xx ${r.serverErrors}, hangs ${r.hangs}, crashed ${r.crashed}, bot RSS ${megabytes(residentBytes(stage.bot.child.process.pid))}`,
          );
        }
      },
    });
    console.log(formatFuzzReport(report));
    process.exitCode = report.crashed || report.serverErrors > 0 || report.hangs > 0 ? 1 : 0;
  } finally {
    await stage.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
