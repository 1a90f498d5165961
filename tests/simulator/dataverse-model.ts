import { SYSTEM_ADMINISTRATOR_TEMPLATE_ID } from './seed.js';
import { newId, type SimulatorState } from './state.js';
import type { DataverseOrg, DataverseUser } from './tenant.js';

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
