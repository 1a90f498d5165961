import { SECURITY_GROUP_ID, USERS } from './seed.js';
import { systemAdministratorRole } from '../dataverse/model.js';
import type { DataverseOrg, DataverseUser, TenantModel } from './model.js';

/**
 * Standing System Administrator holders of every kind (issue #15), on top of the demo tenant: a Dataverse
 * Entra-group team giving the role (Contoso Dev, Lee through "Dev Admins"), an emergency account the policy lists
 * as expected and a second application user (Contoso UAT), an unexplained direct holder with audit columns
 * (Contoso UAT, Diego), and Alex as the only human holder of Fabrikam Sales (the last System Administrator).
 * Megan joins the security group so that two members can run a sweep.
 */
export const STANDING = {
  breakGlass: { id: 'b7ea6000-0000-4000-8000-0000000b7ea6', upn: 'breakglass@contoso.example', name: 'Break Glass' },
  diego: { id: 'd1e60000-0000-4000-8000-00000000d1e6', upn: 'diego@contoso.example', name: 'Diego Siciliani' },
  integrationAppId: '1a7e0000-0000-4000-8000-0000001a7e00',
  devAdminsGroupId: 'de0ad000-0000-4000-8000-0000000de0ad',
  devAdminsTeamId: '7ea00000-0000-4000-8000-0000007ea000',
} as const;

function org(tenant: TenantModel, domain: string): DataverseOrg {
  const found = tenant.dataverse[domain];
  if (!found) throw new Error(`no Dataverse ${domain}`);
  return found;
}

function holder(target: DataverseOrg, n: number, user: { id: string; upn: string; name: string }, extra: Partial<DataverseUser> = {}): DataverseUser {
  const role = systemAdministratorRole(target)!;
  const systemuser: DataverseUser = {
    systemuserid: `5e000000-0000-4000-8000-0000000005${String(n).padStart(2, '0')}`,
    fullname: user.name,
    domainname: user.upn,
    azureactivedirectoryobjectid: user.id,
    applicationid: null,
    isdisabled: false,
    businessunitid: role.businessunitid,
    roleIds: [role.roleid],
    ...extra,
  };
  target.systemusers.push(systemuser);
  return systemuser;
}

export function addStandingAccess(tenant: TenantModel): TenantModel {
  const dev = org(tenant, 'contosodev');
  const devRole = systemAdministratorRole(dev)!;
  const lee = dev.systemusers.find((u) => u.azureactivedirectoryobjectid === USERS.lee.id)!;
  dev.teams = [
    {
      teamid: STANDING.devAdminsTeamId,
      name: 'Dev Admins',
      teamtype: 2,
      azureactivedirectoryobjectid: STANDING.devAdminsGroupId,
      businessunitid: devRole.businessunitid,
      roleIds: [devRole.roleid],
      memberIds: [lee.systemuserid],
    },
  ];
  const uat = org(tenant, 'contosouat');
  holder(uat, 1, STANDING.breakGlass);
  holder(
    uat,
    2,
    { id: 'e1e7a7e0-0000-4000-8000-0000001a7e00', upn: `${STANDING.integrationAppId}@contoso.example`, name: '# Contoso Integration' },
    {
      applicationid: STANDING.integrationAppId,
    },
  );
  const adminOfUat = uat.systemusers.find((u) => u.azureactivedirectoryobjectid === USERS.alex.id)!;
  holder(uat, 3, STANDING.diego, { createdon: '2026-03-02T09:15:00Z', modifiedon: '2026-03-02T09:20:00Z', modifiedby: adminOfUat.systemuserid });
  const fabrikam = org(tenant, 'fabrikamsales');
  const alex = fabrikam.systemusers.find((u) => u.azureactivedirectoryobjectid === USERS.alex.id)!;
  alex.roleIds.push(systemAdministratorRole(fabrikam)!.roleid);
  tenant.groups.find((g) => g.id === SECURITY_GROUP_ID)!.members.push(USERS.megan.id);
  return tenant;
}
