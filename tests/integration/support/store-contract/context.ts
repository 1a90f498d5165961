import { openLocated, type ContractStore, type StoreKind, type StoreLocator } from './stores.js';

/** What each contract test gets: an empty store of the kind under test, and clients on it. */
export interface ContractContext {
  kind: StoreKind;
  /** A new client on this test's store; closed after the test. */
  open(): Promise<ContractStore>;
  /** This test's store, for racer processes. */
  locator(): StoreLocator;
}

/** Registers the hooks that give every test of the enclosing suite a fresh, empty store. */
export function contractContext(kind: StoreKind): ContractContext {
  let current: StoreLocator | undefined;
  const opened: ContractStore[] = [];
  beforeEach(() => {
    current = kind.fresh();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    if (current) kind.discard(current);
    current = undefined;
  });
  const locator = () => {
    if (!current) throw new Error('no store outside a test');
    return current;
  };
  return {
    kind,
    locator,
    open: async () => {
      const store = await openLocated(locator());
      opened.push(store);
      return store;
    },
  };
}
