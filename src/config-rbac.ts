import type { AppCredentialConfig } from './config-credentials.js';
import { CredentialConfigProblem } from './config-credentials.js';

/**
 * Elevate's optional, separate application identity for Power Platform RBAC (issue #14), read by
 * `src/config.ts`. Off unless ELEVATE_RBAC_CLIENT_ID is set. It must be another app than Elevate's own:
 * it holds the Power Platform RBAC Administrator role, a standing privilege the rest of Elevate
 * never holds, so it gets its own credential that can be rotated and watched apart (README).
 */
export interface RbacIdentityConfig {
  clientId: string;
  credential: AppCredentialConfig;
}

export interface RbacEnv {
  AAD_APP_CLIENT_ID: string;
  AAD_APP_FEDERATED_AUDIENCE: string;
  ELEVATE_RBAC_CLIENT_ID?: string | undefined;
  ELEVATE_RBAC_CLIENT_SECRET?: string | undefined;
  ELEVATE_RBAC_CLIENT_CERTIFICATE_PATH?: string | undefined;
  ELEVATE_RBAC_FEDERATED_MSI_CLIENT_ID?: string | undefined;
}

const CREDENTIALS = ['ELEVATE_RBAC_CLIENT_SECRET', 'ELEVATE_RBAC_CLIENT_CERTIFICATE_PATH', 'ELEVATE_RBAC_FEDERATED_MSI_CLIENT_ID'] as const;

export function rbacIdentity(env: RbacEnv): RbacIdentityConfig | undefined {
  const set = CREDENTIALS.filter((name) => env[name] !== undefined && env[name] !== '');
  if (!env.ELEVATE_RBAC_CLIENT_ID) {
    if (set.length > 0) throw new CredentialConfigProblem(set[0]!, 'is set but ELEVATE_RBAC_CLIENT_ID is not (the RBAC identity is off without it)');
    return undefined;
  }
  if (env.ELEVATE_RBAC_CLIENT_ID.toLowerCase() === env.AAD_APP_CLIENT_ID.toLowerCase()) {
    throw new CredentialConfigProblem('ELEVATE_RBAC_CLIENT_ID', "must be a separate app registration, not Elevate's own (AAD_APP_CLIENT_ID)");
  }
  if (set.length === 0) {
    throw new CredentialConfigProblem(
      'ELEVATE_RBAC_CLIENT_SECRET',
      'is required unless ELEVATE_RBAC_CLIENT_CERTIFICATE_PATH or ELEVATE_RBAC_FEDERATED_MSI_CLIENT_ID is set (RBAC identity credential)',
    );
  }
  if (set.length > 1) throw new CredentialConfigProblem(set[1]!, `cannot be set together with ${set[0]}: choose one credential for the RBAC identity`);
  const credential: AppCredentialConfig = env.ELEVATE_RBAC_CLIENT_SECRET
    ? { kind: 'secret', secret: env.ELEVATE_RBAC_CLIENT_SECRET }
    : env.ELEVATE_RBAC_CLIENT_CERTIFICATE_PATH
      ? { kind: 'certificate', path: env.ELEVATE_RBAC_CLIENT_CERTIFICATE_PATH }
      : { kind: 'federatedManagedIdentity', managedIdentityClientId: env.ELEVATE_RBAC_FEDERATED_MSI_CLIENT_ID!, audience: env.AAD_APP_FEDERATED_AUDIENCE };
  return { clientId: env.ELEVATE_RBAC_CLIENT_ID, credential };
}
