import type { DataverseOrg, DataverseTeam, DataverseUser } from '../tenant/model.js';

/** The Dataverse entity sets Elevate reads, as the Web API shows them (lookups as `_x_value`). */
export const presenters = {
  systemusers: (u: DataverseUser) => ({
    '@odata.etag': 'W/"1"',
    systemuserid: u.systemuserid,
    fullname: u.fullname,
    domainname: u.domainname,
    azureactivedirectoryobjectid: u.azureactivedirectoryobjectid,
    applicationid: u.applicationid,
    isdisabled: u.isdisabled,
    _businessunitid_value: u.businessunitid,
    // Audit columns every Dataverse table has (learn.microsoft.com/power-apps/developer/data-platform/reference/entities/systemuser).
    createdon: u.createdon ?? null,
    modifiedon: u.modifiedon ?? null,
    _modifiedby_value: u.modifiedby ?? null,
  }),
  // learn.microsoft.com/power-apps/developer/data-platform/reference/entities/team
  teams: (t: DataverseTeam) => ({
    '@odata.etag': 'W/"1"',
    teamid: t.teamid,
    name: t.name,
    teamtype: t.teamtype,
    azureactivedirectoryobjectid: t.azureactivedirectoryobjectid,
    _businessunitid_value: t.businessunitid,
  }),
  businessunits: (b: DataverseOrg['businessUnits'][number]) => ({
    '@odata.etag': 'W/"1"',
    businessunitid: b.businessunitid,
    name: b.name,
    _parentbusinessunitid_value: b.parentbusinessunitid,
  }),
  roles: (r: DataverseOrg['roles'][number]) => ({
    '@odata.etag': 'W/"1"',
    roleid: r.roleid,
    name: r.name,
    _roletemplateid_value: r.roletemplateid,
    _businessunitid_value: r.businessunitid,
  }),
};
export type EntitySet = keyof typeof presenters;
// `parentbusinessunitid eq null` (navigation property) is accepted as well as the lookup value.
export const FILTER_ALIASES: Record<string, string> = { parentbusinessunitid: '_parentbusinessunitid_value' };
export const FILTERABLE: Record<EntitySet, string[]> = {
  systemusers: ['azureactivedirectoryobjectid', 'systemuserid', 'domainname', 'applicationid'],
  businessunits: ['_parentbusinessunitid_value', 'businessunitid', 'name'],
  roles: ['_roletemplateid_value', '_businessunitid_value', 'roleid', 'name'],
  teams: ['teamid', 'teamtype', 'azureactivedirectoryobjectid', 'name'],
};
export const ENTITY_TYPE: Record<EntitySet, string> = { systemusers: 'systemuser', businessunits: 'businessunit', roles: 'role', teams: 'team' };

export const SELECTABLE: Record<EntitySet, string[]> = {
  systemusers: [
    'systemuserid',
    'fullname',
    'domainname',
    'azureactivedirectoryobjectid',
    'applicationid',
    'isdisabled',
    '_businessunitid_value',
    'createdon',
    'modifiedon',
    '_modifiedby_value',
  ],
  businessunits: ['businessunitid', 'name', '_parentbusinessunitid_value'],
  roles: ['roleid', 'name', '_roletemplateid_value', '_businessunitid_value'],
  teams: ['teamid', 'name', 'teamtype', 'azureactivedirectoryobjectid', '_businessunitid_value'],
};
