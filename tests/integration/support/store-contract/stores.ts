import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AzureTablesStore } from '../../../../src/adapters/store/azure-tables-store.js';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import { freshTablePrefix, useAzurite } from '../../../support/azurite.js';

/** Where one test's store is, in a form a racer process can be given on its command line. */
export type StoreLocator = { kind: 'sqlite'; path: string } | { kind: 'azuretables'; connectionString: string; tablePrefix: string; pageSize: number };

/** Both stores offer the port and their siblings (audit log, timers). */
export type ContractStore = SqliteElevationStore | AzureTablesStore;

/** One more client on the located store: its own connection (SQLite) or its own HTTP clients (Azure Tables). */
export async function openLocated(locator: StoreLocator): Promise<ContractStore> {
  if (locator.kind === 'sqlite') return SqliteElevationStore.open(locator.path);
  return AzureTablesStore.open({ kind: 'connectionString', connectionString: locator.connectionString }, locator);
}

/** A store implementation under the contract: how to make an empty store for each test. */
export interface StoreKind {
  name: string;
  /** Registers the suite's before/after hooks (starting Azurite). */
  install(): void;
  fresh(): StoreLocator;
  discard(locator: StoreLocator): void;
  /** Entities per query page: tests that cross pages store more than this. */
  pageSize: number;
  /** Audit entries per page of `all()`. */
  auditPageSize: number;
}

export const sqliteKind: StoreKind = {
  name: 'SQLite',
  install: () => undefined,
  fresh: () => ({ kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'elevate-contract-')), 'nested', 'elevate.db') }),
  discard: (locator) => {
    if (locator.kind === 'sqlite') rmSync(join(locator.path, '..', '..'), { recursive: true, force: true });
  },
  // SQLite reads whole result sets; its audit log pages by 500 (sqlite-audit-log.ts).
  pageSize: 5,
  auditPageSize: 500,
};

/** Azurite with a page size of 5, so that a handful of rows crosses pages as 1,001 would on Azure. */
export function azuriteKind(): StoreKind {
  let azurite: ReturnType<typeof useAzurite> | undefined;
  return {
    name: 'Azure Tables (Azurite)',
    install: () => {
      azurite = useAzurite();
    },
    fresh: () => ({ kind: 'azuretables', connectionString: azurite!().connectionString, tablePrefix: freshTablePrefix(), pageSize: 5 }),
    discard: () => undefined,
    pageSize: 5,
    auditPageSize: 5,
  };
}

const run = promisify(execFile);
const RACER = join(__dirname, 'racer.ts');

/** Runs racer.ts in its own process against the located store; resolves with what it printed. */
export async function race(mode: 'cas' | 'audit' | 'timer', locator: StoreLocator, ...args: string[]): Promise<string> {
  const result = await run(process.execPath, ['--require', 'tsx/cjs', RACER, mode, JSON.stringify(locator), ...args], { cwd: process.cwd(), timeout: 110_000 });
  return result.stdout;
}
