import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManagedChild, jsonLine, type ExitInfo } from './child.js';
import { botEnv, repoRoot } from './env.js';
import { botLogWriter, callerFile } from './suite-record.js';

/**
 * The one warning silenced in the bot, as in `npm start`: restify (fixed stack) → spdy → http-deceiver
 * reads `process.binding('http_parser')` (DEP0111). Only that code: every other warning still prints.
 */
export const BOT_NODE_FLAG = '--disable-warning=DEP0111';

/** One pino log line of the bot, parsed. */
export type LogEntry = Record<string, unknown>;

export interface StartBotOptions {
  sim: { baseUrl: string; caPath: string };
  /** Overrides of `botEnv(sim)`; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** SQLite file to use (kept after stop, so a second bot can take over). Default: a temporary one, removed by `stop()`. */
  storePath?: string;
  /** Default: dist/src/main.js under the repository root (`npm run build` first). */
  entry?: string;
  /** Extra node flags, e.g. `--enable-source-maps`. */
  nodeArgs?: string[];
  timeoutMs?: number;
}

export interface BotProcess {
  /** `http://127.0.0.1:PORT`, as the bot logged it. */
  url: string;
  port: number;
  storePath: string;
  child: ManagedChild;
  exited: Promise<ExitInfo>;
  /** Everything the bot wrote (stdout and stderr), for assertions such as `assertNoSecretsIn`. */
  output(): string;
  /** The JSON log lines so far. */
  logs(): LogEntry[];
  /** The first log line (past or future) that satisfies `predicate`. */
  waitForLog(predicate: (entry: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
  /** SIGTERM (stdin closed), SIGKILL after a grace period; removes a temporary store. */
  stop(): Promise<ExitInfo>;
  /** A crash or a hard stop: sends `signal` (default SIGKILL) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<ExitInfo>;
}

function listeningUrl(line: string): { url: string; port: number } | undefined {
  const entry = jsonLine(line);
  if (entry?.['event'] !== 'listening') return undefined;
  const url = typeof entry['url'] === 'string' ? entry['url'] : typeof entry['port'] === 'number' ? `http://127.0.0.1:${entry['port']}` : undefined;
  if (!url) return undefined;
  return { url: url.replace(/\/+$/, ''), port: Number(new URL(url).port) };
}

/**
 * Starts `node dist/src/main.js` against the simulator and waits for its `"event":"listening"`
 * log line. Rejects with `ChildExitedError` (carrying the output) when the bot exits first,
 * e.g. on a configuration error.
 */
export async function startBot(options: StartBotOptions): Promise<BotProcess> {
  const root = repoRoot();
  const ownStore = options.storePath === undefined;
  const storeDir = ownStore ? mkdtempSync(path.join(os.tmpdir(), 'elevate-bot-')) : undefined;
  const storePath = options.storePath ?? path.join(storeDir ?? '', 'elevate.db');
  const env = botEnv(options.sim, { ELEVATE_STORE: `sqlite:${storePath}`, ...options.env });
  const entry = options.entry ?? path.join(root, 'dist/src/main.js');
  const child = new ManagedChild('bot', process.execPath, [BOT_NODE_FLAG, ...(options.nodeArgs ?? []), entry], { cwd: root, env });
  // The suite-wide log scan (tests/support/log-scan.ts) reads every line, knowing which test started the bot.
  const record = botLogWriter(callerFile());
  if (record) child.onLine(record);
  const cleanup = (): void => {
    if (storeDir) rmSync(storeDir, { recursive: true, force: true });
  };
  let listening: { url: string; port: number };
  try {
    listening = await child.waitForLine(listeningUrl, options.timeoutMs ?? 30_000);
  } catch (error) {
    await child.stop();
    cleanup();
    throw error;
  }
  return {
    ...listening,
    storePath,
    child,
    exited: child.exited,
    output: () => child.output(),
    logs: () =>
      child
        .allLines()
        .map(jsonLine)
        .filter((e): e is LogEntry => e !== undefined),
    waitForLog: (predicate, timeoutMs = 10_000) =>
      child.waitForLine((line) => {
        const entry = jsonLine(line);
        return entry && predicate(entry) ? entry : undefined;
      }, timeoutMs),
    stop: async () => {
      const exit = await child.stop();
      cleanup();
      return exit;
    },
    kill: (signal = 'SIGKILL') => child.kill(signal),
  };
}
