import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A child process the harness owns: stdin is a pipe (the simulator exits when it closes), output
 * is collected line by line for waiting and for secret checks, and every live child is killed
 * when the test process exits or is interrupted, so none outlives a test run.
 */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ChildExitedError extends Error {
  constructor(
    readonly what: string,
    readonly exit: ExitInfo,
    readonly output: string,
  ) {
    super(`${what} exited (code ${exit.code}, signal ${exit.signal}) before it was ready. Output:\n${output.slice(-4000)}`);
    this.name = 'ChildExitedError';
  }
}

const live = new Set<ChildProcess>();
let hooksInstalled = false;

function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  process.kill(process.pid, signal);
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAll);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

type LineListener = (line: string) => void;

export class ManagedChild {
  readonly process: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  private readonly lines: string[] = [];
  private readonly listeners = new Set<LineListener>();
  private readonly permanent: LineListener[] = [];
  private exitInfo: ExitInfo | undefined;

  constructor(
    readonly what: string,
    command: string,
    args: string[],
    options: { cwd: string; env: Record<string, string> },
  ) {
    installHooks();
    this.process = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(this.process);
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': it comes after stdout and stderr ended, so no last line is lost.
      this.process.on('close', (code, signal) => {
        live.delete(this.process);
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
      this.process.on('error', (error) => {
        this.push(`[harness] ${what} could not start: ${error.message}`);
        live.delete(this.process);
        this.exitInfo ??= { code: null, signal: null };
        resolve(this.exitInfo);
      });
    });
    this.collect(this.process.stdout);
    this.collect(this.process.stderr);
  }

  /** The operating system's process id (benchmarks read its memory from /proc). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /** Everything the child wrote, stdout and stderr interleaved as they arrived. */
  output(): string {
    return this.lines.join('\n');
  }

  allLines(): readonly string[] {
    return this.lines;
  }

  /** Calls `listener` with every line from now on (and each line written so far). */
  onLine(listener: (line: string) => void): void {
    for (const line of this.lines) listener(line);
    this.permanent.push(listener);
  }

  /**
   * Resolves with the first line (already written or still to come) that `match` maps to a
   * value; rejects on timeout or when the child exits first.
   */
  waitForLine<T>(match: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
    for (const line of this.lines) {
      const found = match(line);
      if (found !== undefined) return Promise.resolve(found);
    }
    return new Promise<T>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener: LineListener = (line) => {
        const found = match(line);
        if (found !== undefined) {
          done();
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.what}: no matching output line within ${timeoutMs} ms. Output:\n${this.output().slice(-4000)}`));
      }, timeoutMs);
      this.listeners.add(listener);
      void this.exited.then((exit) => {
        if (!this.listeners.has(listener)) return;
        done();
        reject(new ChildExitedError(this.what, exit, this.output()));
      });
    });
  }

  /** Sends a signal and waits for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ExitInfo> {
    if (this.exitInfo) return this.exitInfo;
    this.process.kill(signal);
    return this.exited;
  }

  /** Closes stdin, sends SIGTERM, and SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<ExitInfo> {
    if (this.exitInfo) return this.exitInfo;
    this.process.stdin?.end();
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  private collect(stream: NodeJS.ReadableStream | null): void {
    if (!stream) return;
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) this.push(part);
    });
    stream.on('end', () => {
      if (pending) this.push(pending);
      pending = '';
    });
  }

  private push(line: string): void {
    this.lines.push(line);
    for (const listener of this.permanent) listener(line);
    for (const listener of [...this.listeners]) listener(line);
  }
}

/** Parses a JSON object line, `undefined` for anything else. */
export function jsonLine(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(trimmed) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
