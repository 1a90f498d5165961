/**
 * A separate process for azure-tables-endpoint.test.ts, started with NODE_EXTRA_CA_CERTS so that it
 * trusts the test CA of the https Azurite: opens `azuretables:<argv[2]>` (the endpoint form, which
 * signs requests with an Entra token) through openStore, uses every table, and prints the token
 * scopes the client asked for (argv[3] = `wrong-audience`: prints why the store refused to open). The credential stands in for a managed identity: Azurite's `--oauth
 * basic` checks a token's audience, issuer and lifetime, not its signature.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { auditLogOf, openStore, timerStoreOf } from '../../../src/adapters/store/open-store.js';
import { testAuditKeys } from '../../support/audit-keys.js';
import { record } from './store-contract/elevation-store-contract.js';

const scopes: string[] = [];
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const credential: TokenCredential = {
  async getToken(scope: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    scopes.push(...(Array.isArray(scope) ? scope : [scope]));
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      // argv[3] = 'wrong-audience': a token for another resource, which the service refuses (403).
      aud: process.argv[3] === 'wrong-audience' ? 'https://management.azure.com' : 'https://storage.azure.com',
      iss: 'https://sts.windows.net/4d3c2b1a-0f9e-4d8c-b7a6-958473625140/',
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
      oid: 'mi',
    };
    return { token: `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url(claims)}.c2lnbmF0dXJl`, expiresOnTimestamp: (now + 3600) * 1000 };
  },
};

async function main(): Promise<void> {
  if (process.argv[3] === 'wrong-audience') {
    const refused = await openStore(`azuretables:${process.argv[2] ?? ''}`, { credential }).then(
      () => 'opened',
      (error: Error) => error.message,
    );
    process.stdout.write(JSON.stringify({ refused }));
    return;
  }
  const store = await openStore(`azuretables:${process.argv[2] ?? ''}`, { credential });
  await store.createElevation(record('r1'));
  await store.putDocument('doc', { a: 1 });
  await store.claimOnce('k', new Date());
  await timerStoreOf(store).schedule({ id: 't1', kind: 'reminder', subject: 'r1', dueAt: new Date().toISOString(), payload: {} });
  await auditLogOf(store, testAuditKeys().sealer).append({ type: 'requested', at: new Date().toISOString(), details: {} });
  const read = {
    state: (await store.getElevation('r1'))?.value.state,
    timers: (await timerStoreOf(store).list()).length,
    audit: (await auditLogOf(store, testAuditKeys().sealer).list()).length,
  };
  process.stdout.write(JSON.stringify({ scopes: [...new Set(scopes)], read }));
}

main().catch((error: unknown) => {
  // Azurite says why it refused a token only in the response body.
  const answer = (error as { response?: { bodyAsText?: string } }).response?.bodyAsText ?? '';
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n${answer}`);
  process.exit(1);
});
