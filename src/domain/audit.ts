/**
 * The audit log: events and their canonical form (audit-event.ts), chaining and sealing with a
 * key that is not in the store (audit-seal.ts), verification (audit-verifier.ts). Pure, so that
 * every store and the export tool agree on it; import from here.
 */
export * from './audit-event.js';
export * from './audit-seal.js';
export * from './audit-verifier.js';
