/**
 * `npm run soak -- --races N [--seed S] [--concurrency C]`: starts the tenant simulator and the
 * compiled bot (`npm run build` first) with an approval policy, and runs N randomized races, each
 * by a fresh requester: duplicate deliveries of the same message and sign-in exchange, double and
 * redelivered taps, approvers tapping at once (approve against approve, approve against deny, 2 of
 * 10). Prints crashes, 5xx, hangs, double actions (a second PIM activation or applyAdminRole for one
 * elevation, a second request card, a decision beyond what the approval needed, a repeated audit
 * event) and the bot's memory before and after. Exit code 1 on any of them. The CI runs 50 races
 * in tests/security/soak.test.ts.
 */
import { parseArgs } from 'node:util';
import { doubleActions, formatSoakReport, soak } from '../tests/security/support/soak.js';
import { startSoakStage } from '../tests/security/support/soak-stage.js';
import { megabytes, residentBytes } from '../tests/security/support/process-stats.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { races: { type: 'string', default: '100' }, seed: { type: 'string' }, concurrency: { type: 'string', default: '4' } },
  });
  const races = Number(values.races);
  const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(races) || races <= 0 || !Number.isInteger(seed)) throw new Error('--races and --seed are whole numbers');
  const stage = await startSoakStage(races);
  try {
    console.log(`soaking ${races} races against ${stage.bot.url} (seed ${seed}; rerun with --seed ${seed})`);
    const report = await soak({
      stage,
      races,
      seed,
      concurrency: Number(values.concurrency),
      onProgress: (done, r) =>
        console.log(
          `  ${done} races, 5xx ${r.serverErrors}, hangs ${r.hangs}, crashed ${r.crashed}, bot RSS ${megabytes(residentBytes(stage.bot.child.process.pid))}`,
        ),
    });
    console.log(formatSoakReport(report));
    const stuck = report.outcomes['stuck'] ?? 0;
    process.exitCode =
      report.crashed || report.serverErrors > 0 || report.hangs > 0 || doubleActions(report) > 0 || stuck > 0 || !report.auditChainIntact ? 1 : 0;
  } finally {
    await stage.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
