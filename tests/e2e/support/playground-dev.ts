import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';

/**
 * `node scripts/dev.mjs` (what `npm run dev` runs) as the test's child, in its own process group so
 * that `killGroup` takes the simulator, the bot and the Playground with it whatever happens.
 */
export interface DevUrls {
  playground: string;
  bot: string;
  simulator: string;
}

const ROOT = path.resolve(__dirname, '..', '..', '..');
const READY_LINE = 'Elevate is running against the simulated tenant.';

const live = new Set<DevProcess>();
process.on('exit', () => live.forEach((dev) => dev.killGroup()));

export class DevProcess {
  private readonly lines: string[] = [];
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    live.add(this);
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const parts = (pending + chunk).split('\n');
        pending = parts.pop() ?? '';
        this.lines.push(...parts);
      });
    }
  }

  /** Starts dev.mjs with any free ports and `env` on top, and waits until it prints that everything runs. */
  static async start(env: Record<string, string>, timeoutMs: number): Promise<{ dev: DevProcess; urls: DevUrls }> {
    const child = spawn(process.execPath, ['scripts/dev.mjs'], {
      cwd: ROOT,
      env: { ...process.env, ELEVATE_DEV_SIMULATOR_PORT: '0', PORT: '0', ELEVATE_DEV_PLAYGROUND_PORT: '0', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const dev = new DevProcess(child);
    await dev.waitUntil(() => dev.lines.includes(READY_LINE), timeoutMs, 'dev.mjs to print that everything runs');
    const url = (label: string) => {
      const found = dev.lines.map((line) => line.match(new RegExp(`^\\s+${label}:\\s+(https?://\\S+)`))?.[1]).find(Boolean);
      if (!found) throw new Error(`dev.mjs printed no ${label} URL. Output:\n${dev.output()}`);
      return found;
    };
    return { dev, urls: { playground: url('Agents Playground'), bot: url('Bot'), simulator: url('Tenant simulator') } };
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  output(): string {
    return this.lines.join('\n');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends `signal` to dev.mjs alone (not its group) and waits for it to exit. */
  async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    if (this.running) this.child.kill(signal);
    await this.waitUntil(() => !this.running, timeoutMs, `dev.mjs to exit after ${signal}`, false);
    await this.exited;
  }

  /** Process ids still in dev.mjs's process group (Linux /proc; empty elsewhere). */
  groupMembers(): number[] {
    if (!existsSync('/proc/self/stat')) return [];
    const members: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[2]) === this.pid && fields[0] !== 'Z') members.push(Number(entry));
      } catch {
        /* gone meanwhile */
      }
    }
    return members;
  }

  /** SIGKILL to the whole process group: the safety net of `after`. */
  killGroup(): void {
    live.delete(this);
    try {
      if (this.pid) process.kill(-this.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }

  private async waitUntil(done: () => boolean, timeoutMs: number, what: string, failOnExit = true): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (failOnExit && !this.running)
        throw new Error(`dev.mjs exited (${this.child.exitCode ?? this.child.signalCode}) while waiting for ${what}. Output:\n${this.output()}`);
      if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Output:\n${this.output().slice(-6000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Whether something accepts TCP connections at the URL's host and port. */
export function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
