import { SYSTEM_ADMINISTRATOR_TEMPLATE_ID } from '../tenant/seed.js';
import { newId, type SimulatorState } from '../core/state.js';
import type { DataverseOrg, DataverseUser } from '../tenant/model.js';

/** Dataverse facts shared by the Web API and Power Platform's applyAdminRole. */
export function rootBusinessUnit(org: DataverseOrg): DataverseOrg['businessUnits'][number] | undefined {
  return org.businessUnits.find((b) => b.parentbusinessunitid === null);
}

export function systemAdministratorRole(org: DataverseOrg): DataverseOrg['roles'][number] | undefined {
  const root = rootBusinessUnit(org);
  return org.roles.find((r) => r.roletemplateid === SYSTEM_ADMINISTRATOR_TEMPLATE_ID && r.businessunitid === root?.businessunitid);
}

export function isSystemAdministrator(org: DataverseOrg, user: DataverseUser): boolean {
  const role = systemAdministratorRole(org);
  return role !== undefined && user.roleIds.includes(role.roleid);
}

/** Adds System Administrator to the user's systemuser (created if absent) and records whether it was already there. */
export function grantSystemAdministrator(state: SimulatorState, org: DataverseOrg, user: { id: string; name: string; upn: string }): DataverseUser {
  let systemuser = org.systemusers.find((s) => s.azureactivedirectoryobjectid === user.id && s.applicationid === null);
  if (!systemuser) {
    systemuser = {
      systemuserid: newId(),
      fullname: user.name,
      domainname: user.upn,
      azureactivedirectoryobjectid: user.id,
      applicationid: null,
      isdisabled: false,
      businessunitid: rootBusinessUnit(org)?.businessunitid ?? newId(),
      roleIds: [],
    };
    org.systemusers.push(systemuser);
  }
  const role = systemAdministratorRole(org);
  const already = role !== undefined && systemuser.roleIds.includes(role.roleid);
  if (role && !already) systemuser.roleIds.push(role.roleid);
  org.applyAdminRoleLog.push({ at: state.nowIso(), userId: user.id, systemuserid: systemuser.systemuserid, alreadySystemAdministrator: already });
  return systemuser;
}

/**
 * Microsoft's own clean-up (docs/api-contracts.md §8, manage-high-privileged-admin-roles [D]): once a
 * user's admin-role activation has ended for `systemAdministratorRemovalAfterPimEndMs`, the System
 * Administrator role applyAdminRole gave them (not one they held before) is removed. Applied lazily,
 * whenever Dataverse is read. The removal is recorded in the org's `removedByMicrosoft`.
 */
export function applyMicrosoftRemovals(state: SimulatorState, adminRoleIds: readonly string[], isActive: (userId: string) => boolean): void {
  const delay = state.settings.systemAdministratorRemovalAfterPimEndMs;
  if (delay < 0) return;
  const now = state.now();
  for (const org of Object.values(state.tenant.dataverse)) {
    const role = systemAdministratorRole(org);
    if (!role) continue;
    for (const grant of org.applyAdminRoleLog.filter((g) => !g.alreadySystemAdministrator)) {
      if (isActive(grant.userId)) continue;
      const ended = lastAdminRoleEnd(state, grant.userId, adminRoleIds);
      if (ended === undefined || ended < Date.parse(grant.at) || now - ended < delay) continue;
      const user = org.systemusers.find((u) => u.systemuserid === grant.systemuserid);
      if (!user || !user.roleIds.includes(role.roleid)) continue;
      user.roleIds = user.roleIds.filter((id) => id !== role.roleid);
      (org.removedByMicrosoft ??= []).push({ at: new Date(now).toISOString(), userId: grant.userId });
    }
  }
}

function lastAdminRoleEnd(state: SimulatorState, userId: string, adminRoleIds: readonly string[]): number | undefined {
  const ends = state.tenant.assignments
    .filter((a) => a.principalId === userId && adminRoleIds.includes(a.roleDefinitionId) && a.endDateTime !== null)
    .map((a) => Date.parse(a.endDateTime!))
    .filter((end) => end <= state.now());
  const deactivated = state.adminRoleEndedAt.get(userId);
  const all = deactivated === undefined ? ends : [...ends, deactivated];
  return all.length === 0 ? undefined : Math.max(...all);
}
