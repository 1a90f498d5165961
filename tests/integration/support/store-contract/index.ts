import { describeAuditLogContract } from './audit-log-contract.js';
import { describeAuditSealContract } from './audit-seal-contract.js';
import { contractContext } from './context.js';
import { describeElevationStoreContract } from './elevation-store-contract.js';
import type { StoreKind } from './stores.js';
import { describeTimerStoreContract } from './timer-store-contract.js';

export { azuriteKind, sqliteKind, type StoreKind } from './stores.js';

/**
 * The behaviour every store implementation owes the ports (ElevationStore, TimerStore, AuditLog):
 * the same tests, run against each kind, so that SQLite and Azure Tables behave the same,
 * conflicts, concurrent clients and processes, paging and leases included.
 */
export function describeStoreContract(kind: StoreKind): void {
  describe(`store contract: ${kind.name}`, function () {
    this.timeout(30_000);
    kind.install();
    const ctx = contractContext(kind);
    describeElevationStoreContract(ctx);
    describeTimerStoreContract(ctx);
    describeAuditLogContract(ctx);
    describeAuditSealContract(ctx);
  });
}
