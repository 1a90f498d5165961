import { azuriteKind, describeStoreContract, sqliteKind } from './support/store-contract/index.js';

describeStoreContract(sqliteKind);
describeStoreContract(azuriteKind());
