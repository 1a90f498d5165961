import { PERMISSIONS, type Permission, type PermissionResource } from '../../src/adapters/identity/permissions.js';
import type { ScopeRecord } from '../simulator/entra/scope-log.js';

/** The simulator's resource names, as the permission list names them. */
const RESOURCES: Record<string, PermissionResource | undefined> = {
  graph: 'graph',
  powerplatform: 'powerPlatform',
  dataverse: 'dataverse',
  api: 'elevate',
};

const CLIENT_CREDENTIALS = 'client_credentials';

/**
 * What Elevate asked Entra for that the permission list (and so the README and an administrator's
 * consent) does not have: one line per distinct scope. Only Elevate's own client id counts, and
 * requests tests made on purpose (`probe`) are left out.
 */
export function unlistedScopes(records: readonly ScopeRecord[], elevateClientId: string, permissions: readonly Permission[] = PERMISSIONS): string[] {
  const found = new Set<string>();
  for (const record of records) {
    if (record.probe || record.clientId.toLowerCase() !== elevateClientId.toLowerCase()) continue;
    const resource = RESOURCES[record.resource];
    const kind = record.grantType === CLIENT_CREDENTIALS ? 'application' : 'delegated';
    const listed = permissions.filter((p) => p.resource === resource && p.kind === kind);
    const where = `${record.resource} (${kind}, ${record.grantType})`;
    if (!resource) {
      found.add(`${record.permissions.join(' ')} on an unknown resource (${record.grantType})`);
      continue;
    }
    if (record.isDefault && listed.length === 0) found.add(`.default of ${where}`);
    for (const permission of record.permissions) {
      if (!listed.some((p) => p.value.toLowerCase() === permission.toLowerCase())) found.add(`${permission} of ${where}`);
    }
    const oidcListed = permissions.filter((p) => p.resource === 'graph' && p.kind === 'delegated').map((p) => p.value.toLowerCase());
    for (const scope of record.oidc) if (!oidcListed.includes(scope.toLowerCase())) found.add(`${scope} (sign-in scope, ${record.grantType})`);
  }
  return [...found].sort();
}
