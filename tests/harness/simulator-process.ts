import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManagedChild, jsonLine, type ExitInfo } from './child.js';
import { ControlClient } from './control.js';
import { baseEnv, repoRoot } from './env.js';
import { SECRETS_FILE_VARIABLE } from './suite-record.js';

/**
 * Starts the tenant simulator as its own process, the way `npm run simulator` runs it
 * (`node --import tsx tests/simulator/main.ts`), and connects a control client to it.
 */

/** What a client needs of a running simulator. */
export interface SimulatorHandle {
  baseUrl: string;
  caPath: string;
  /** PEM of the simulator's test CA. */
  ca: string;
  /** The `serviceUrl` of activities: `${baseUrl}/connector/`. */
  serviceUrl: string;
  control: ControlClient;
}

export interface Simulator extends SimulatorHandle {
  port: number;
  dataDir: string;
  child: ManagedChild;
  output(): string;
  stop(): Promise<ExitInfo>;
}

/** Connects to a simulator that is already running (e.g. `npm run simulator`). */
export function connectSimulator(options: { baseUrl: string; caPath: string }): SimulatorHandle {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const ca = readFileSync(options.caPath, 'utf8');
  return { baseUrl, caPath: options.caPath, ca, serviceUrl: `${baseUrl}/connector/`, control: new ControlClient(baseUrl, ca) };
}

interface ListeningLine {
  baseUrl: string;
  port: number;
  caPath: string;
}

function simulatorListening(line: string): ListeningLine | undefined {
  const entry = jsonLine(line);
  if (entry?.['event'] !== 'listening' || typeof entry['baseUrl'] !== 'string' || typeof entry['caPath'] !== 'string') return undefined;
  return { baseUrl: entry['baseUrl'], port: Number(entry['port'] ?? new URL(entry['baseUrl']).port), caPath: entry['caPath'] };
}

export interface StartSimulatorOptions {
  port?: number;
  /** Default: a new temporary folder, removed again by `stop()`. */
  dataDir?: string;
  /** Default: tests/simulator/main.ts under the repository root. */
  entry?: string;
  timeoutMs?: number;
}

export async function startSimulator(options: StartSimulatorOptions = {}): Promise<Simulator> {
  const root = repoRoot();
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'elevate-sim-'));
  const entry = options.entry ?? path.join(root, 'tests/simulator/main.ts');
  const args = ['--import', 'tsx', entry, '--port', String(options.port ?? 0), '--data-dir', dataDir];
  // The suite's record of requested scopes (tests/support/permission-audit.ts) covers this process too.
  const scopeLog = process.env['ELEVATE_SIM_SCOPE_LOG'];
  // And the suite's record of the tokens it issues (tests/support/log-scan.ts).
  const secretsFile = process.env[SECRETS_FILE_VARIABLE];
  const env = { ...baseEnv(), ...(scopeLog ? { ELEVATE_SIM_SCOPE_LOG: scopeLog } : {}), ...(secretsFile ? { [SECRETS_FILE_VARIABLE]: secretsFile } : {}) };
  const child = new ManagedChild('simulator', process.execPath, args, { cwd: root, env });
  const cleanup = (): void => {
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  let listening: ListeningLine;
  try {
    listening = await child.waitForLine(simulatorListening, options.timeoutMs ?? 60_000);
  } catch (error) {
    await child.stop();
    cleanup();
    throw error;
  }
  const handle = connectSimulator(listening);
  return {
    ...handle,
    port: listening.port,
    dataDir,
    child,
    output: () => child.output(),
    stop: async () => {
      const exit = await child.stop();
      cleanup();
      return exit;
    },
  };
}
