import type { EnvironmentGroupRef } from '../domain/environment.js';

/**
 * Where a typed environment group name is looked up (RBAC grants, issue #14): the tenant's groups as
 * the Power Platform API lists them to Elevate's own identity (a registered management application),
 * with the Elevate policy's optional `rbac.environmentGroups` on top, as environments are listed.
 */
export interface EnvironmentGroupDirectory {
  environmentGroups(): Promise<EnvironmentGroupRef[]>;
}
