import type { HttpClient } from '../../adapters/http/http-client.js';
import { getAllPages } from '../../adapters/http/paged.js';
import { HttpError } from '../../domain/errors.js';
import type { TokenSource } from '../../ports/token-broker.js';

/**
 * The Graph directory reads of the doctor (research-9 §7), on whichever token the caller has:
 * service principals by app id, an application object, consent grants, app role assignments,
 * groups and users. A 404 answers `undefined`; other failures throw the shared `HttpError`.
 */
export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName?: string;
  appRoles?: { id: string; value: string | null }[];
  oauth2PermissionScopes?: { id: string; value: string }[];
}

export interface PermissionGrant {
  clientId: string;
  consentType: string;
  resourceId: string;
  scope?: string | null;
}

export interface AppRoleAssignment {
  appRoleId: string;
  resourceId: string;
}

export interface Credential {
  displayName?: string | null;
  endDateTime?: string | null;
  hint?: string | null;
}

export interface Application {
  appId: string;
  displayName?: string;
  identifierUris?: string[];
  web?: { redirectUris?: string[] };
  api?: {
    requestedAccessTokenVersion?: number | null;
    oauth2PermissionScopes?: { id: string; value: string; isEnabled?: boolean }[];
    preAuthorizedApplications?: { appId: string; delegatedPermissionIds?: string[] }[];
  };
  passwordCredentials?: Credential[];
  keyCredentials?: Credential[];
}

/** OData string literal: a single quote is doubled. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export class DirectoryReader {
  constructor(
    private readonly http: HttpClient,
    /** Graph v1.0 root. */
    private readonly graph: string,
    private readonly token: TokenSource,
  ) {}

  servicePrincipalByAppId(appId: string): Promise<ServicePrincipal | undefined> {
    return this.one(`/servicePrincipals(appId=${encodeURIComponent(literal(appId))})?$select=id,appId,displayName`);
  }

  /** With `appRoles`, to map app role ids to values (`appRoleAssignment.appRoleId`). */
  servicePrincipal(id: string): Promise<ServicePrincipal | undefined> {
    return this.one(`/servicePrincipals/${encodeURIComponent(id)}?$select=id,appId,displayName,appRoles`);
  }

  application(appId: string): Promise<Application | undefined> {
    const select = 'appId,displayName,identifierUris,web,api,passwordCredentials,keyCredentials';
    return this.one(`/applications(appId=${encodeURIComponent(literal(appId))})?$select=${select}`);
  }

  /** `GET /oauth2PermissionGrants?$filter=clientId eq '{id}'` (`clientId` supports `eq` only). */
  grantsOf(servicePrincipalId: string): Promise<PermissionGrant[]> {
    return this.all(`/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq ${literal(servicePrincipalId)}`)}`);
  }

  appRoleAssignmentsOf(servicePrincipalId: string): Promise<AppRoleAssignment[]> {
    return this.all(`/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignments`);
  }

  group(id: string): Promise<{ id: string; displayName?: string } | undefined> {
    return this.one(`/groups/${encodeURIComponent(id)}?$select=id,displayName`);
  }

  user(id: string): Promise<{ id: string; displayName?: string; accountEnabled?: boolean } | undefined> {
    return this.one(`/users/${encodeURIComponent(id)}?$select=id,displayName,accountEnabled`);
  }

  private async one<T>(path: string): Promise<T | undefined> {
    try {
      return (await this.http.request<T>({ method: 'GET', url: `${this.graph}${path}`, token: this.token })).body;
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  private all<T>(path: string): Promise<T[]> {
    return getAllPages<T>(this.http, `${this.graph}${path}`, this.token, { trustedPrefix: `${this.graph}/` });
  }
}
