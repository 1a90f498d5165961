import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

/** One benchmark line: count, p50, p95 and max of the samples in milliseconds. */
export function summary(name: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(0);
  return `${name.padEnd(18)} n=${sorted.length}  p50=${at(0.5)} ms  p95=${at(0.95)} ms  max=${sorted[sorted.length - 1]!.toFixed(0)} ms`;
}

/** The `q` quantile (0..1) of the samples, rounded to `decimals` places of the millisecond; 0 without samples. */
export function percentile(samples: readonly number[], q: number, decimals = 0): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const scale = 10 ** decimals;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * scale) / scale;
}

/** CPU seconds (user + system) a process used so far, from /proc (clock ticks of 10 ms); 0 when it is gone. */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * How the CPU was shared during a measurement (issue #13): the bot, the simulator and this driver
 * process run on the same cores, so a figure bound by the machine shows here rather than in Elevate's code.
 */
export class CpuSplit {
  private readonly start: { bot: number; simulator: number; driver: number; wall: number };

  constructor(private readonly pids: { bot: number | undefined; simulator: number | undefined }) {
    this.start = this.now();
  }

  private now() {
    const own = process.cpuUsage();
    return {
      bot: processCpuSeconds(this.pids.bot),
      simulator: processCpuSeconds(this.pids.simulator),
      driver: (own.user + own.system) / 1e6,
      wall: performance.now() / 1000,
    };
  }

  /** CPU seconds per process since construction, and the wall time; `line()` prints them. */
  stop(): { bot: number; simulator: number; driver: number; wall: number; line: string } {
    const end = this.now();
    const d = {
      bot: end.bot - this.start.bot,
      simulator: end.simulator - this.start.simulator,
      driver: end.driver - this.start.driver,
      wall: end.wall - this.start.wall,
    };
    const cores = cpus().length;
    const line = `CPU in ${d.wall.toFixed(1)} s on ${cores} cores: bot ${d.bot.toFixed(1)} s, simulator ${d.simulator.toFixed(1)} s, load driver ${d.driver.toFixed(1)} s (${((100 * (d.bot + d.simulator + d.driver)) / (d.wall * cores)).toFixed(0)}% of the machine)`;
    return { ...d, line };
  }
}
