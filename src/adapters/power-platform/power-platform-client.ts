import type { EnvironmentGroupRef, EnvironmentRef } from '../../domain/environment.js';
import { HttpError, ThrottledError } from '../../domain/errors.js';
import type { ApplyAdminRoleResult, PowerPlatform } from '../../ports/power-platform.js';
import type { TokenSource } from '../../ports/token-broker.js';
import type { HttpClient, RetryListener } from '../http/http-client.js';
import { getAllPages } from '../http/paged.js';
import { notAnAdmin, readApplyAdminRoleAnswer, saysNotAnAdmin } from './apply-admin-role-answer.js';

export const ENVIRONMENTS_API_VERSION = '2024-10-01';
/** Environment groups: `2022-03-01-preview` and `2024-10-01` in the REST reference (docs/api-contracts.md §3). */
export const ENVIRONMENT_GROUPS_API_VERSION = '2024-10-01';
export const APPLY_ADMIN_ROLE_API_VERSION = '2022-03-01-preview';

/** Optional per-call settings beyond the port (progress while the API throttles). */
export interface CallOptions {
  onRetry?: RetryListener;
}

interface EnvironmentItem {
  id?: string;
  name?: string;
  displayName?: string;
  type?: string;
  url?: string;
  domainName?: string;
  properties?: { displayName?: string };
}

/**
 * Power Platform API (docs/api-contracts.md §3), always on the user's own on-behalf-of token.
 * `baseUrl` is `https://api.powerplatform.com` (or the simulator's `/powerplatform`).
 */
export class PowerPlatformClient implements PowerPlatform {
  private readonly baseUrl: string;
  private readonly http: HttpClient;

  constructor(options: { baseUrl: string; http: HttpClient }) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.http = options.http;
  }

  async listEnvironments(token: TokenSource, options: CallOptions = {}): Promise<EnvironmentRef[]> {
    const url = `${this.baseUrl}/environmentmanagement/environments?api-version=${ENVIRONMENTS_API_VERSION}`;
    const items = await getAllPages<EnvironmentItem>(this.http, url, token, { trustedPrefix: `${this.baseUrl}/`, ...options });
    return items.flatMap((item) => {
      const environment = toEnvironment(item);
      return environment ? [environment] : [];
    });
  }

  /** Every environment group the token may see (every page); a group without an id is skipped. */
  async listEnvironmentGroups(token: TokenSource): Promise<EnvironmentGroupRef[]> {
    const url = `${this.baseUrl}/environmentmanagement/environmentGroups?api-version=${ENVIRONMENT_GROUPS_API_VERSION}`;
    const items = await getAllPages<{ id?: unknown; displayName?: unknown }>(this.http, url, token, { trustedPrefix: `${this.baseUrl}/` });
    return items.flatMap((g) =>
      typeof g.id === 'string' && g.id !== ''
        ? [{ id: g.id.toLowerCase(), displayName: typeof g.displayName === 'string' && g.displayName ? g.displayName : g.id }]
        : [],
    );
  }

  /**
   * Self-elevation to System Administrator. Repeating it is harmless (an existing holder gets the
   * same success), so the shared retry policy applies in full.
   */
  async applyAdminRole(token: TokenSource, environmentId: string, options: CallOptions = {}): Promise<ApplyAdminRoleResult> {
    const url = `${this.baseUrl}/usermanagement/environments/${encodeURIComponent(environmentId)}/user/applyAdminRole?api-version=${APPLY_ADMIN_ROLE_API_VERSION}`;
    const response = await this.http.request({ method: 'POST', url, token, ...options }).catch((error: unknown) => {
      // Whatever the status (403 most likely), the "not ... admin" text means the PIM role has not reached
      // Power Platform yet; a throttled answer stays a ThrottledError even if its body happened to quote it.
      if (error instanceof HttpError && !(error instanceof ThrottledError) && saysNotAnAdmin(error.body)) throw notAnAdmin(error.correlationId);
      throw error;
    });
    return readApplyAdminRoleAnswer(response.body, response.correlationId);
  }
}

function toEnvironment(item: EnvironmentItem): EnvironmentRef | undefined {
  const id = item.id ?? item.name;
  if (!id) return undefined;
  const environment: EnvironmentRef = { id, displayName: item.displayName ?? item.properties?.displayName ?? id };
  if (item.type) environment.type = item.type;
  if (item.url) environment.url = item.url;
  if (item.domainName) environment.domainName = item.domainName;
  return environment;
}
