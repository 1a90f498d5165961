import { RESOURCE_APPS } from '../../adapters/identity/permissions.js';
import type { Config } from '../../config.js';

/**
 * Where things are fixed, named once: portal paths as the Entra and Power Platform admin centers
 * show them, and the README checklist (each line carries the check id).
 */
export const README = 'README "Deploying to a real tenant"';

export function appRegistration(config: Config, name = 'Elevate'): string {
  return `Entra admin center → Identity → Applications → App registrations → ${name} (${config.aad.clientId})`;
}

export function newClientSecret(config: Config, name?: string): string {
  return `${appRegistration(config, name)} → Certificates & secrets → New client secret; set AAD_APP_CLIENT_SECRET to its Value (not its Secret ID) on every instance and restart`;
}

export function grantAdminConsent(config: Config, api: string, kind: 'Delegated' | 'Application', values: readonly string[], name?: string): string {
  const where = api === RESOURCE_APPS.powerPlatform.name ? `APIs my organization uses → ${api} (${RESOURCE_APPS.powerPlatform.appId})` : api;
  return `${appRegistration(config, name)} → API permissions → Add a permission → ${where} → ${kind} permissions → ${values.join(', ')}; then Grant admin consent for the tenant`;
}

export const MANAGEMENT_APP_PRIVILEGE =
  'privileged: a registered management application is treated as a Power Platform administrator for the calls it makes (Elevate only lists environments with it)';

export function registerManagementApp(config: Config): string {
  return `as a Power Platform or Global administrator run \`pac admin application register --application-id ${config.aad.clientId}\` (${MANAGEMENT_APP_PRIVILEGE}); without it requesters see only the environments their own token lists plus the policy file's \`environments:\``;
}

export function dataverseApplicationUser(config: Config, environments: string): string {
  return `Power Platform admin center → Manage → Environments → ${environments} → Settings → Users + permissions → Application users → New app user → app ${config.aad.clientId}, the root business unit, security role System Administrator`;
}

export const CREATE_POWER_PLATFORM_SP = `as an administrator run \`az ad sp create --id ${RESOURCE_APPS.powerPlatform.appId}\` once for the tenant, then grant the consent (consent.delegated)`;

export const OPERATOR_ROLES = 'Global Reader (or Privileged Role Administrator)';
