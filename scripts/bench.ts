/**
 * `npm run bench [-- --quick] [-- --profile realistic|zero]`: every benchmark of issue #13 in turn,
 * each printing its figures next to their targets. Benchmarks are not tests: their numbers depend on
 * the machine (and on whatever else runs on it), so run them on a quiet one.
 */
import { spawnSync } from 'node:child_process';

const BENCHES = ['bench-turns', 'bench-critical-path', 'bench-storm', 'bench-elevation', 'bench-approvals', 'bench-timers', 'bench-burst'];
const args = process.argv.slice(2);
let failed = 0;
for (const bench of BENCHES) {
  process.stdout.write(`\n== ${bench}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${bench}.ts`, ...args], { stdio: 'inherit', env: process.env });
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
