import { AAD_APP_CLIENT_ID, SYSTEM_ADMINISTRATOR_TEMPLATE_ID } from './seed.js';
import type { DataverseOrg, DataverseUser, TenantModel } from './model.js';

export interface GeneratedTenantOptions {
  environments: number;
  users: number;
  /** Systemusers per environment (drawn from the tenant's users in turn). */
  usersPerEnvironment: number;
  /** Of those, how many hold System Administrator directly. */
  directHolders: number;
  /** Members of the one Entra group team holding System Administrator in each environment. */
  teamMembers: number;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
const id = (prefix: string, a: number, b: number): string => `${prefix}${hex(a, 4)}-${hex(b, 4)}-4000-8000-${hex(a * 65536 + b, 12)}`;

function org(e: number, options: GeneratedTenantOptions): DataverseOrg {
  const bu = id('b000', e, 0);
  const sysadmin = id('7e00', e, 1);
  const basic = id('7e00', e, 2);
  const systemusers: DataverseUser[] = [];
  for (let i = 0; i < options.usersPerEnvironment; i++) {
    const user = (e * options.usersPerEnvironment + i) % options.users;
    systemusers.push({
      systemuserid: id('5e00', e, i + 1),
      fullname: `User ${user}`,
      domainname: `user${user}@contoso.example`,
      azureactivedirectoryobjectid: id('a000', 0, user + 1),
      applicationid: null,
      isdisabled: false,
      businessunitid: bu,
      roleIds: i < options.directHolders ? [sysadmin, basic] : [basic],
      createdon: '2026-01-01T00:00:00Z',
      modifiedon: '2026-01-02T00:00:00Z',
    });
  }
  systemusers.push({
    systemuserid: id('5e00', e, 0xffff),
    fullname: '# Elevate',
    domainname: `${AAD_APP_CLIENT_ID}@contoso.example`,
    azureactivedirectoryobjectid: 'e1e7a7e0-5e00-4000-8000-0000000055a0',
    applicationid: AAD_APP_CLIENT_ID,
    isdisabled: false,
    businessunitid: bu,
    roleIds: [sysadmin],
  });
  const members = systemusers.slice(options.directHolders, options.directHolders + options.teamMembers).map((u) => u.systemuserid);
  return {
    organizationId: id('0e00', e, 0),
    businessUnits: [{ businessunitid: bu, name: `env${e}`, parentbusinessunitid: null }],
    roles: [
      { roleid: sysadmin, name: 'System Administrator', roletemplateid: SYSTEM_ADMINISTRATOR_TEMPLATE_ID, businessunitid: bu },
      { roleid: basic, name: 'Basic User', roletemplateid: 'd58407f2-48d5-e711-a82c-000d3a37c848', businessunitid: bu },
    ],
    systemusers,
    applyAdminRoleLog: [],
    teams: [
      {
        teamid: id('7ea0', e, 1),
        name: `Env ${e} Admins`,
        teamtype: 2,
        azureactivedirectoryobjectid: id('de0a', e, 1),
        businessunitid: bu,
        roleIds: [sysadmin],
        memberIds: members,
      },
    ],
  };
}

/** A large tenant for the standing-access benchmark (scripts/bench-standing.ts): environments `gen0…` added to the demo tenant's. */
export function addGeneratedEnvironments(tenant: TenantModel, options: GeneratedTenantOptions): { domain: string; displayName: string; id: string }[] {
  const added: { domain: string; displayName: string; id: string }[] = [];
  for (let e = 1; e <= options.environments; e++) {
    const domain = `gen${e}`;
    tenant.dataverse[domain] = org(e, options);
    added.push({ domain, displayName: `Generated ${e}`, id: id('e000', e, 0) });
  }
  return added;
}
