import { HttpError } from '../../domain/errors.js';
import { scopePath, type RbacRoleDefinition, type RbacScope } from '../../domain/rbac.js';
import type { NewRbacAssignment, PowerPlatformRbac, RbacAssignment } from '../../ports/power-platform-rbac.js';
import type { TokenSource } from '../../ports/token-broker.js';
import type { HttpClient } from '../http/http-client.js';
import { getAllPages } from '../http/paged.js';

/** docs/api-contracts.md §3 (RBAC); the module and REST reference also use `1` and `2022-03-01-preview`. */
export const AUTHORIZATION_API_VERSION = '2024-10-01';

interface AssignmentItem {
  roleAssignmentId?: string;
  id?: string;
  principalObjectId?: string;
  principalType?: string;
  roleDefinitionId?: string;
  scope?: string;
}

interface DefinitionItem {
  roleDefinitionId?: string;
  id?: string;
  roleDefinitionName?: string;
  name?: string;
  permissions?: unknown;
}

/**
 * The Power Platform Authorization API on the RBAC identity's client-credentials token.
 * Paths per scope: `/authorization/roleAssignments` (tenant), `/authorization/environmentGroups/{id}/roleAssignments`,
 * `/authorization/environments/{id}/roleAssignments` [S: Microsoft.PowerPlatform.EnterprisePolicies].
 */
export class PowerPlatformRbacClient implements PowerPlatformRbac {
  private readonly baseUrl: string;

  constructor(private readonly options: { baseUrl: string; http: HttpClient; token: TokenSource; tenantId: string }) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async listRoleDefinitions(): Promise<RbacRoleDefinition[]> {
    const url = `${this.baseUrl}/authorization/roleDefinitions?api-version=${AUTHORIZATION_API_VERSION}`;
    const items = await getAllPages<DefinitionItem>(this.options.http, url, this.options.token, { trustedPrefix: `${this.baseUrl}/` });
    return items.flatMap((d) => {
      const id = d.roleDefinitionId ?? d.id;
      const name = d.roleDefinitionName ?? d.name;
      if (!id || !name) return [];
      return [{ id: id.toLowerCase(), name, permissions: Array.isArray(d.permissions) ? d.permissions.filter((p): p is string => typeof p === 'string') : [] }];
    });
  }

  async listAssignments(scope: Pick<RbacScope, 'kind' | 'id'>): Promise<RbacAssignment[]> {
    const url = `${this.collection(scope)}?api-version=${AUTHORIZATION_API_VERSION}`;
    const items = await getAllPages<AssignmentItem>(this.options.http, url, this.options.token, { trustedPrefix: `${this.baseUrl}/`, maxPages: 100 });
    return items.flatMap((item) => {
      const assignment = toAssignment(item);
      return assignment ? [assignment] : [];
    });
  }

  async createAssignment(request: NewRbacAssignment): Promise<RbacAssignment> {
    const body = {
      roleDefinitionId: request.roleDefinitionId,
      principalObjectId: request.principal.id,
      principalType: request.principal.type,
      scope: scopePath(this.options.tenantId, request.scope),
    };
    // Not idempotent: a retried POST after a lost answer would be a 409 at best. The caller reads back instead.
    const response = await this.options.http.request<unknown>({
      method: 'POST',
      url: `${this.collection(request.scope)}?api-version=${AUTHORIZATION_API_VERSION}`,
      token: this.options.token,
      body,
      idempotent: false,
    });
    // The answer may be the assignment or `{value:[assignment]}` (docs/api-contracts.md §3 [?]).
    const raw = response.body as AssignmentItem & { value?: AssignmentItem[] };
    const assignment = toAssignment(Array.isArray(raw?.value) ? (raw.value[0] ?? {}) : (raw ?? {}));
    if (!assignment)
      throw new HttpError(
        'The Authorization API created an assignment but did not return its id.',
        response.status,
        'NoAssignmentId',
        response.correlationId,
        undefined,
      );
    return assignment;
  }

  async deleteAssignment(scope: Pick<RbacScope, 'kind' | 'id'>, assignmentId: string): Promise<'deleted' | 'alreadyGone'> {
    const url = `${this.collection(scope)}/${encodeURIComponent(assignmentId)}?api-version=${AUTHORIZATION_API_VERSION}`;
    try {
      // 204 [D] or 200 [S]: both are a deletion.
      await this.options.http.request({ method: 'DELETE', url, token: this.options.token });
      return 'deleted';
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return 'alreadyGone';
      throw error;
    }
  }

  private collection(scope: Pick<RbacScope, 'kind' | 'id'>): string {
    const id = encodeURIComponent(scope.id ?? '');
    if (scope.kind === 'environment') return `${this.baseUrl}/authorization/environments/${id}/roleAssignments`;
    if (scope.kind === 'environmentGroup') return `${this.baseUrl}/authorization/environmentGroups/${id}/roleAssignments`;
    return `${this.baseUrl}/authorization/roleAssignments`;
  }
}

function toAssignment(item: AssignmentItem): RbacAssignment | undefined {
  const id = item.roleAssignmentId ?? item.id;
  if (!id || !item.principalObjectId || !item.roleDefinitionId) return undefined;
  return {
    id,
    principalId: item.principalObjectId.toLowerCase(),
    principalType: item.principalType ?? '',
    roleDefinitionId: item.roleDefinitionId.toLowerCase(),
    scope: item.scope ?? '',
  };
}
