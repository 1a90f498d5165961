import { ElevateError } from '../../domain/errors.js';

/** The System Administrator security role template: the same id in every environment (docs/api-contracts.md §4). */
export const SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID = '627090ff-40a3-4053-8790-584edc5be201';

/** Sent with every Dataverse Web API call (docs/api-contracts.md §4). */
export const DATAVERSE_HEADERS: Readonly<Record<string, string>> = { accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An id that goes into an OData key or an unquoted `$filter` literal. Anything but a GUID is
 * refused so that no value can change the query it is put into.
 */
export function guid(value: unknown, what: string): string {
  if (typeof value === 'string' && GUID.test(value)) return value;
  throw new ElevateError(`Dataverse: ${what} is not a GUID.`, 'DataverseInvalidId');
}

/**
 * The environment URL without trailing slashes: the Web API root is below it and it is the token
 * resource (`{envUrl}/.default`). Only https: the application token must never travel in clear text.
 */
export function environmentRoot(environmentUrl: string): string {
  const root = environmentUrl.trim().replace(/\/+$/, '');
  let parsed: URL | undefined;
  try {
    parsed = new URL(root);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== 'https:' || parsed.search !== '' || parsed.hash !== '') {
    throw new ElevateError(`Dataverse: '${environmentUrl}' is not an https environment URL.`, 'DataverseInvalidUrl');
  }
  return root;
}

const filter = (expression: string): string => `$filter=${encodeURIComponent(expression)}`;

/** Paths below `{envUrl}/api/data/v9.2/`, exactly as docs/api-contracts.md §4 lists them. */
export const dataverseQueries = {
  systemUserByObjectId: (objectId: string): string =>
    `systemusers?${filter(`azureactivedirectoryobjectid eq ${guid(objectId, 'the user object id')}`)}&$select=systemuserid,fullname,isdisabled`,
  rootBusinessUnit: (): string => `businessunits?$select=businessunitid&${filter('_parentbusinessunitid_value eq null')}`,
  systemAdministratorRole: (businessUnitId: string): string =>
    `roles?$select=roleid,name&${filter(
      `_roletemplateid_value eq ${SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID} and _businessunitid_value eq ${guid(businessUnitId, 'the business unit id')}`,
    )}`,
  userRoles: (systemUserId: string): string =>
    `systemusers(${guid(systemUserId, 'the systemuser id')})/systemuserroles_association?$select=roleid,name,_roletemplateid_value`,
  roleAssociation: (systemUserId: string, roleId: string): string =>
    `systemusers(${guid(systemUserId, 'the systemuser id')})/systemuserroles_association(${guid(roleId, 'the role id')})/$ref`,
  auditSetting: (): string => 'organizations?$select=isauditenabled',
  audits: (systemUserId: string, from: string, to: string): string =>
    `audits?$select=createdon,operation,objecttypecode,_objectid_value&${filter(
      `_userid_value eq ${guid(systemUserId, 'the systemuser id')} and createdon ge ${instant(from, 'floor')} and createdon le ${instant(to, 'ceil')}`,
    )}&$orderby=createdon asc`,
};

/**
 * An ISO instant as an unquoted OData DateTimeOffset literal, widened to whole seconds (Dataverse keeps
 * `createdon` to the second [?]), so that the window never loses an operation of its first or last second.
 */
function instant(value: string, round: 'floor' | 'ceil'): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ElevateError(`Dataverse: '${value}' is not an instant.`, 'DataverseInvalidId');
  return new Date(Math[round](t / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}
