import { ElevateError, HttpError } from '../../domain/errors.js';
import type { AuditActivity } from '../../domain/what-changed.js';
import type { Dataverse, SystemAdministratorStatus } from '../../ports/dataverse.js';
import type { TokenSource } from '../../ports/token-broker.js';
import type { HttpClient } from '../http/http-client.js';
import { readAuditActivity } from './audit-reader.js';
import { NOT_A_MEMBER, toDataverseError } from './dataverse-errors.js';
import { DATAVERSE_HEADERS, dataverseQueries, environmentRoot, guid, SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID } from './dataverse-queries.js';

export interface DataverseClientOptions {
  http: HttpClient;
  /** The bot's own client-credentials token source for a resource: `TokenBroker.forApp`. */
  appToken: (resource: string) => TokenSource;
  now?: () => number;
}

/** How long WhoAmI's answer is reused: a present user for an hour, a missing one for two minutes (it may be added meanwhile). */
const PRESENT_TTL_MS = 60 * 60_000;
const MISSING_TTL_MS = 2 * 60_000;

interface SystemUserRow {
  systemuserid?: string;
  isdisabled?: boolean;
}

interface RoleRow {
  roleid?: string;
  _roletemplateid_value?: string | null;
}

/** One environment's Web API root and the application token for it. */
interface Environment {
  root: string;
  api: string;
  token: TokenSource;
}

/** What an environment's root business unit and System Administrator role are; they never change. */
interface EnvironmentRoles {
  businessUnitId: string;
  systemAdministratorRoleId: string;
}

interface HeldRoles {
  status: SystemAdministratorStatus;
  systemUserId?: string;
  roleIds: string[];
}

/**
 * Dataverse Web API (docs/api-contracts.md §4) with Elevate's application identity: reads and removes the
 * System Administrator role of a user found by Entra object id. The root business unit and its
 * System Administrator role are looked up once per environment and kept in memory.
 */
export class DataverseClient implements Dataverse {
  private readonly http: HttpClient;
  private readonly appToken: (resource: string) => TokenSource;
  private readonly rolesByEnvironment = new Map<string, EnvironmentRoles>();
  private readonly membership = new Map<string, { at: number; present: boolean }>();
  private readonly now: () => number;

  constructor(options: DataverseClientOptions) {
    this.http = options.http;
    this.appToken = options.appToken;
    this.now = options.now ?? Date.now;
  }

  async systemAdministratorStatus(environmentUrl: string, userObjectId: string): Promise<SystemAdministratorStatus> {
    const env = this.environment(environmentUrl);
    try {
      return (await this.heldRoles(env, userObjectId)).status;
    } catch (error) {
      throw toDataverseError(error, env.root);
    }
  }

  /**
   * Checks first, so that a role that is not assigned is reported as such whatever Dataverse
   * answers to removing a missing association (204 or 404, docs/api-contracts.md §4).
   */
  async removeSystemAdministrator(environmentUrl: string, userObjectId: string): Promise<'removed' | 'notAssigned'> {
    const env = this.environment(environmentUrl);
    try {
      const { systemUserId, roleIds } = await this.heldRoles(env, userObjectId);
      if (!systemUserId) return 'notAssigned';
      let removed = false;
      for (const roleId of roleIds) removed = (await this.removeRole(env, systemUserId, roleId)) || removed;
      return removed ? 'removed' : 'notAssigned';
    } catch (error) {
      throw toDataverseError(error, env.root);
    }
  }

  /** The user's audit rows in the window, or that auditing is off (audit-reader.ts). */
  async auditActivity(environmentUrl: string, userObjectId: string, from: string, to: string, options: { maxRows?: number } = {}): Promise<AuditActivity> {
    const env = this.environment(environmentUrl);
    try {
      const users = await this.query<SystemUserRow>(env, dataverseQueries.systemUserByObjectId(userObjectId));
      const user = users.find((u) => u.isdisabled !== true) ?? users[0];
      const systemUserId = user ? guid(user.systemuserid, 'the systemuserid Dataverse returned') : undefined;
      return await readAuditActivity({ http: this.http, ...env }, systemUserId, from, to, options.maxRows);
    } catch (error) {
      throw toDataverseError(error, env.root);
    }
  }

  /** `GET WhoAmI` with Elevate's token; the answer is kept for a while (an added user is seen within minutes). */
  async hasApplicationUser(environmentUrl: string): Promise<boolean> {
    const env = this.environment(environmentUrl);
    const key = env.root.toLowerCase();
    const known = this.membership.get(key);
    if (known && this.now() - known.at < (known.present ? PRESENT_TTL_MS : MISSING_TTL_MS)) return known.present;
    let present: boolean;
    try {
      await this.http.request({ method: 'GET', url: `${env.api}/WhoAmI`, token: env.token, headers: { ...DATAVERSE_HEADERS } });
      present = true;
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 403 || error.serviceCode !== NOT_A_MEMBER) throw toDataverseError(error, env.root);
      present = false;
    }
    this.membership.set(key, { at: this.now(), present });
    return present;
  }

  private environment(environmentUrl: string): Environment {
    const root = environmentRoot(environmentUrl);
    return { root, api: `${root}/api/data/v9.2`, token: this.appToken(root) };
  }

  private async heldRoles(env: Environment, userObjectId: string): Promise<HeldRoles> {
    const users = await this.query<SystemUserRow>(env, dataverseQueries.systemUserByObjectId(userObjectId));
    const user = users.find((u) => u.isdisabled !== true) ?? users[0];
    if (!user) return { status: { held: false }, roleIds: [] };
    const systemUserId = guid(user.systemuserid, 'the systemuserid Dataverse returned');
    const { systemAdministratorRoleId } = await this.environmentRoles(env);
    const roles = await this.query<RoleRow>(env, dataverseQueries.userRoles(systemUserId));
    // A user outside the root business unit holds that unit's copy of the role: same template, other id.
    const roleIds = roles
      .filter((r) => sameId(r.roleid, systemAdministratorRoleId) || sameId(r._roletemplateid_value, SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID))
      .map((r) => guid(r.roleid, 'a roleid Dataverse returned'));
    const status: SystemAdministratorStatus = { systemUserId, held: roleIds.length > 0 };
    if (roleIds[0]) status.roleId = roleIds[0];
    if (user.isdisabled === true) status.userDisabled = true;
    return { status, systemUserId, roleIds };
  }

  private async environmentRoles(env: Environment): Promise<EnvironmentRoles> {
    const key = env.root.toLowerCase();
    const cached = this.rolesByEnvironment.get(key);
    if (cached) return cached;
    const units = await this.query<{ businessunitid?: string }>(env, dataverseQueries.rootBusinessUnit());
    if (!units[0]) throw unexpected(env, 'has no root business unit');
    const businessUnitId = guid(units[0].businessunitid, 'the root businessunitid Dataverse returned');
    const roles = await this.query<RoleRow>(env, dataverseQueries.systemAdministratorRole(businessUnitId));
    if (!roles[0]) throw unexpected(env, 'has no System Administrator role in its root business unit');
    const found = { businessUnitId, systemAdministratorRoleId: guid(roles[0].roleid, 'the System Administrator roleid Dataverse returned') };
    this.rolesByEnvironment.set(key, found);
    return found;
  }

  /** True when removed; false when Dataverse says the association (or the user) does not exist. */
  private async removeRole(env: Environment, systemUserId: string, roleId: string): Promise<boolean> {
    try {
      const url = `${env.api}/${dataverseQueries.roleAssociation(systemUserId, roleId)}`;
      await this.http.request({ method: 'DELETE', url, token: env.token, headers: { ...DATAVERSE_HEADERS } });
      return true;
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return false;
      throw error;
    }
  }

  /** One page of an OData collection: these queries return a handful of rows, far below a page. */
  private async query<T>(env: Environment, path: string): Promise<T[]> {
    const response = await this.http.request<{ value?: unknown } | undefined>({
      method: 'GET',
      url: `${env.api}/${path}`,
      token: env.token,
      headers: { ...DATAVERSE_HEADERS },
    });
    const value = response.body?.value;
    if (!Array.isArray(value)) throw unexpected(env, `answered ${path.split('?')[0] ?? path} without a "value" array`);
    return value as T[];
  }
}

function sameId(a: string | null | undefined, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

function unexpected(env: Environment, what: string): ElevateError {
  return new ElevateError(`Dataverse in ${env.root} ${what}.`, 'DataverseUnexpectedAnswer');
}
