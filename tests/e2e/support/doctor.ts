import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ManagedChild } from '../../harness/child.js';
import { botEnv, repoRoot, type Simulator } from '../../harness/index.js';

/**
 * Runs the compiled doctor (`node dist/src/doctor-cli.js`, what `npm run doctor` runs) against a
 * simulator process with the bot's environment (botEnv), and plays the operator: reads the device
 * code prompt from the doctor's stderr and signs Patti Fernandez in (or declines) through the
 * simulator's control API, as a person at the device login page would.
 */
export interface DoctorRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Check id → its status, read from the printed lines. */
  statuses: Map<string, 'pass' | 'fail' | 'warn/skip'>;
  line(id: string): string;
}

export interface DoctorRunOptions {
  env?: Record<string, string | undefined>;
  args?: string[];
  /** Who answers the device code prompt: sign in as the operator (default), decline, or nobody (`--no-operator`). */
  operator?: 'sign-in' | 'decline' | 'none';
}

const LINE = /^(✅|❌|⚠) (\S+) — /;
const STATUS = { '✅': 'pass', '❌': 'fail', '⚠': 'warn/skip' } as const;

export function doctorEntry(): string {
  const entry = path.join(repoRoot(), 'dist/src/doctor-cli.js');
  assert.ok(existsSync(entry), 'run `npm run build` first: the doctor runs compiled, as `npm run doctor` does');
  return entry;
}

export async function runDoctor(sim: Simulator, options: DoctorRunOptions = {}): Promise<DoctorRun> {
  const operator = options.operator ?? 'sign-in';
  const args = [...(options.args ?? []), ...(operator === 'none' ? ['--no-operator'] : [])];
  const child = new ManagedChild('doctor', process.execPath, [doctorEntry(), ...args], { cwd: repoRoot(), env: botEnv(sim, options.env ?? {}) });
  let stdout = '';
  let stderr = '';
  child.process.stdout?.on('data', (chunk: string) => (stdout += chunk));
  child.process.stderr?.on('data', (chunk: string) => (stderr += chunk));
  try {
    if (operator !== 'none') {
      const userCode = await child.waitForLine((line) => /enter the code (\S+) to authenticate/.exec(line)?.[1], 30_000);
      await sim.control.decideDeviceCode(userCode, 'patti', { decline: operator === 'decline' });
    }
    const exit = await Promise.race([
      child.exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`doctor did not finish:\n${child.output()}`)), 60_000)),
    ]);
    const statuses = new Map<string, 'pass' | 'fail' | 'warn/skip'>();
    for (const l of stdout.split('\n')) {
      const match = LINE.exec(l);
      if (match) statuses.set(match[2]!, STATUS[match[1] as keyof typeof STATUS]);
    }
    const line = (id: string) => stdout.split('\n').find((l) => LINE.exec(l)?.[2] === id) ?? assert.fail(`no line for ${id} in:\n${stdout}`);
    return { code: exit.code, stdout, stderr, statuses, line };
  } finally {
    await child.stop();
  }
}

/** The ids whose line is not ✅, sorted. */
export function notPassing(run: DoctorRun): string[] {
  return [...run.statuses].filter(([, status]) => status !== 'pass').map(([id]) => id);
}
