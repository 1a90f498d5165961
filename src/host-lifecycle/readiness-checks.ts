import type { TokenSource } from '../ports/token-broker.js';
import type { ElevationStore } from '../ports/elevation-store.js';
import type { ReadinessCheck } from './readiness.js';

/**
 * What `/readyz` asks: the store answers a read (SQLite file or Azure Tables through its identity),
 * Elevate's app gets a Graph token (secret, certificate or federated credential), and the bot gets a
 * connector token (secret or managed identity). Tokens come from the clients' caches when they can.
 */
export function readinessChecks(parts: {
  store: Pick<ElevationStore, 'getElevation'>;
  appToken: TokenSource;
  botToken?: () => Promise<string>;
}): ReadinessCheck[] {
  const checks: ReadinessCheck[] = [
    { name: 'store', run: () => parts.store.getElevation('readiness-probe') },
    { name: 'appCredential', run: () => parts.appToken() },
  ];
  if (parts.botToken) checks.push({ name: 'botCredential', run: parts.botToken });
  return checks;
}
