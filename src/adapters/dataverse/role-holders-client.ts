import { ElevateError, HttpError } from '../../domain/errors.js';
import type { HoldingTeam, RoleHolderRecord, RoleHolders } from '../../ports/role-holders.js';
import type { TokenSource } from '../../ports/token-broker.js';
import type { HttpClient, HttpResponse } from '../http/http-client.js';
import { toDataverseError } from './dataverse-errors.js';
import { DATAVERSE_HEADERS, environmentRoot, guid, SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID } from './dataverse-queries.js';

export interface RoleHoldersClientOptions {
  http: HttpClient;
  appToken: (resource: string) => TokenSource;
  /** `Prefer: odata.maxpagesize` (Dataverse allows up to 5,000). */
  pageSize?: number;
  /** A safety stop: an environment with more pages than this is reported as unreadable rather than read forever. */
  maxPages?: number;
}

const USER_COLUMNS = 'systemuserid,fullname,domainname,azureactivedirectoryobjectid,applicationid,isdisabled,createdon,modifiedon,_modifiedby_value';

interface UserRow {
  systemuserid?: string;
  fullname?: string | null;
  domainname?: string | null;
  azureactivedirectoryobjectid?: string | null;
  applicationid?: string | null;
  isdisabled?: boolean;
  createdon?: string | null;
  modifiedon?: string | null;
  _modifiedby_value?: string | null;
}

interface TeamRow {
  teamid?: string;
  name?: string | null;
  teamtype?: number | null;
  azureactivedirectoryobjectid?: string | null;
}

type Page = { value?: unknown; '@odata.nextLink'?: unknown };

interface Env {
  root: string;
  api: string;
  token: TokenSource;
}

/**
 * Reads who holds System Administrator (docs/api-contracts.md §10): the role's copies by template, then per
 * copy its direct holders and the teams holding it with their members. Every collection is read page by page
 * (`Prefer: odata.maxpagesize`, next links on the environment's own host only); 429 answers wait `Retry-After`
 * in the shared HttpClient.
 */
export class RoleHoldersClient implements RoleHolders {
  private readonly pageSize: number;
  private readonly maxPages: number;

  constructor(private readonly options: RoleHoldersClientOptions) {
    this.pageSize = Math.min(5000, Math.max(1, options.pageSize ?? 5000));
    this.maxPages = options.maxPages ?? 1000;
  }

  async systemAdministratorHolders(environmentUrl: string): Promise<RoleHolderRecord[]> {
    const env = this.environment(environmentUrl);
    try {
      const roles = await this.all<{ roleid?: string }>(
        env,
        `roles?$select=roleid&$filter=${encodeURIComponent(`_roletemplateid_value eq ${SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID}`)}`,
      );
      const holders: RoleHolderRecord[] = [];
      for (const role of roles) {
        const roleId = guid(role.roleid, 'a roleid Dataverse returned');
        const direct = await this.all<UserRow>(env, `roles(${roleId})/systemuserroles_association?$select=${USER_COLUMNS}`);
        holders.push(...direct.map((row) => toRecord(row, roleId)));
        holders.push(...(await this.teamHolders(env, roleId)));
      }
      return holders;
    } catch (error) {
      throw toDataverseError(error, env.root);
    }
  }

  async removeDirectAssignment(environmentUrl: string, systemUserId: string, roleId: string): Promise<'removed' | 'notAssigned'> {
    const env = this.environment(environmentUrl);
    const path = `systemusers(${guid(systemUserId, 'the systemuser id')})/systemuserroles_association(${guid(roleId, 'the role id')})/$ref`;
    try {
      const held = await this.all<{ roleid?: string }>(env, `systemusers(${systemUserId})/systemuserroles_association?$select=roleid`);
      if (!held.some((r) => r.roleid?.toLowerCase() === roleId.toLowerCase())) return 'notAssigned';
      await this.options.http.request({ method: 'DELETE', url: `${env.api}/${path}`, token: env.token, headers: { ...DATAVERSE_HEADERS } });
      return 'removed';
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return 'notAssigned';
      throw toDataverseError(error, env.root);
    }
  }

  async systemUserName(environmentUrl: string, systemUserId: string): Promise<string | undefined> {
    const env = this.environment(environmentUrl);
    try {
      const url = `${env.api}/systemusers(${guid(systemUserId, 'the systemuser id')})?$select=fullname`;
      const response = await this.options.http.request<{ fullname?: unknown } | undefined>({
        method: 'GET',
        url,
        token: env.token,
        headers: { ...DATAVERSE_HEADERS },
      });
      return typeof response.body?.fullname === 'string' ? response.body.fullname : undefined;
    } catch {
      // A name is a nicety on a watchdog post: never a reason to fail it.
      return undefined;
    }
  }

  private async teamHolders(env: Env, roleId: string): Promise<RoleHolderRecord[]> {
    const teams = await this.all<TeamRow>(env, `roles(${roleId})/teamroles_association?$select=teamid,name,teamtype,azureactivedirectoryobjectid`);
    const holders: RoleHolderRecord[] = [];
    for (const row of teams) {
      const team: HoldingTeam = { teamId: guid(row.teamid, 'a teamid Dataverse returned'), name: row.name ?? '', teamType: row.teamtype ?? 0 };
      if (row.azureactivedirectoryobjectid) team.groupId = row.azureactivedirectoryobjectid;
      const members = await this.all<UserRow>(env, `teams(${team.teamId})/teammembership_association?$select=${USER_COLUMNS}`);
      holders.push(...members.map((m) => ({ ...toRecord(m, roleId), team })));
    }
    return holders;
  }

  private environment(environmentUrl: string): Env {
    const root = environmentRoot(environmentUrl);
    return { root, api: `${root}/api/data/v9.2`, token: this.options.appToken(root) };
  }

  /** Every row of a collection, following `@odata.nextLink` (only below the environment's own Web API). */
  private async all<T>(env: Env, path: string): Promise<T[]> {
    const rows: T[] = [];
    let next: string | undefined = `${env.api}/${path}`;
    for (let pages = 0; next; pages++) {
      if (pages >= this.maxPages)
        throw new ElevateError(`Dataverse in ${env.root}: more than ${this.maxPages} pages of ${path.split('?')[0]}.`, 'DataverseTooManyPages');
      const response: HttpResponse<Page | undefined> = await this.options.http.request<Page | undefined>({
        method: 'GET',
        url: next,
        token: env.token,
        headers: { ...DATAVERSE_HEADERS, Prefer: `odata.maxpagesize=${this.pageSize}` },
      });
      const value = response.body?.value;
      if (!Array.isArray(value))
        throw new ElevateError(`Dataverse in ${env.root} answered ${path.split('?')[0]} without a "value" array.`, 'DataverseUnexpectedAnswer');
      rows.push(...(value as T[]));
      const link: unknown = response.body?.['@odata.nextLink'];
      next = typeof link === 'string' && link.startsWith(`${env.api}/`) ? link : undefined;
    }
    return rows;
  }
}

function toRecord(row: UserRow, roleId: string): RoleHolderRecord {
  const record: RoleHolderRecord = {
    systemUserId: guid(row.systemuserid, 'a systemuserid Dataverse returned'),
    roleId,
    fullName: row.fullname ?? '',
    disabled: row.isdisabled === true,
  };
  if (row.domainname) record.domainName = row.domainname;
  if (row.azureactivedirectoryobjectid) record.aadObjectId = row.azureactivedirectoryobjectid.toLowerCase();
  if (row.applicationid) record.applicationId = row.applicationid.toLowerCase();
  if (row.createdon) record.createdOn = row.createdon;
  if (row.modifiedon) record.modifiedOn = row.modifiedon;
  if (row._modifiedby_value) record.modifiedBy = row._modifiedby_value;
  return record;
}
