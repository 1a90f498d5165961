import { isActive } from '../pim/model.js';
import type { Principal } from '../core/principal.js';
import type { SimContext } from '../core/state.js';

/**
 * Entra roles a delegated caller must hold for some Graph reads, besides the permission in `scp`
 * ("In delegated scenarios with work or school accounts, the signed-in user must be assigned a
 * supported Microsoft Entra role"): the lists of microsoft-graph-docs-contrib
 * `api-reference/v1.0/includes/rbac-for-apis/*.md`. Global Administrator and Global Reader ("can read
 * everything that a Global Administrator can", Entra built-in roles reference) pass every read.
 * Application and service principal reads need none ("a non-admin member … with default user
 * permissions", rbac-application-apis-read, rbac-serviceprincipal-apis-read).
 */
export const DIRECTORY_ROLES = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  directoryWriters: '9360feb5-f418-4baa-8175-e2a00bac4301',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  applicationDeveloper: 'cf1c38e5-3621-4004-a7cb-879624dced7c',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  securityOperator: '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
} as const;

const R = DIRECTORY_ROLES;

/** rbac-oauth2permissiongrant-apis-read and rbac-oauth2permissiongrant-serviceprincipal-apis-read. */
export const PERMISSION_GRANT_READERS: readonly string[] = [
  R.directoryReaders,
  R.applicationAdministrator,
  R.applicationDeveloper,
  R.cloudApplicationAdministrator,
  R.directoryWriters,
  R.privilegedRoleAdministrator,
  R.userAdministrator,
];

/**
 * rbac-pim-entra-roles-apis (included by the PIM policy pages): "For read operations: Global Reader,
 * Security Operator, Security Reader, Security Administrator, or Privileged Role Administrator". The
 * same include sits on the user's own `filterByCurrentUser` functions, which eligible users call in
 * the PIM portal without such a role, so the simulator applies it to policy reads only [?].
 */
export const PIM_POLICY_READERS: readonly string[] = [R.securityOperator, R.securityReader, R.securityAdministrator, R.privilegedRoleAdministrator];

/** rbac-approleassignments-apis-read (the roles of that list this simulator knows). */
export const APP_ROLE_ASSIGNMENT_READERS: readonly string[] = [
  R.directoryReaders,
  R.directoryWriters,
  R.privilegedRoleAdministrator,
  R.userAdministrator,
  R.applicationAdministrator,
  R.cloudApplicationAdministrator,
];

/** Roles the user holds now: permanent ones and the PIM assignments active for the user. */
export function directoryRolesOf(ctx: SimContext, userId: string): Set<string> {
  const user = ctx.state.tenant.users.find((u) => u.id === userId);
  const now = ctx.state.now();
  const active = ctx.state.tenant.assignments.filter((a) => a.principalId === userId && isActive(a, now)).map((a) => a.roleDefinitionId);
  return new Set([...(user?.directoryRoleIds ?? []), ...active]);
}

/** Applications pass (their permission is enough); a user needs one of `supported`, or a global role. */
export function holdsSupportedRole(ctx: SimContext, principal: Principal, supported: readonly string[]): boolean {
  if (principal.kind === 'app') return true;
  const held = directoryRolesOf(ctx, principal.oid);
  return [R.globalAdministrator, R.globalReader, ...supported].some((id) => held.has(id));
}
