import type { RbacPrincipal, RbacRoleDefinition, RbacScope } from '../domain/rbac.js';

/** A role assignment as the Authorization API lists it (docs/api-contracts.md §3, RBAC). */
export interface RbacAssignment {
  id: string;
  principalId: string;
  principalType: string;
  roleDefinitionId: string;
  /** The API's scope string, `/tenants/{tid}[/environmentGroups/{id}|/environments/{id}]`. */
  scope: string;
}

export interface NewRbacAssignment {
  roleDefinitionId: string;
  principal: Pick<RbacPrincipal, 'type' | 'id'>;
  scope: Pick<RbacScope, 'kind' | 'id'>;
}

/**
 * The Power Platform Authorization API, called with Elevate's separate RBAC application identity
 * (ELEVATE_RBAC_CLIENT_ID), which holds the RBAC Administrator role: a standing privilege (README).
 * Errors are typed (`HttpError` with the service code, `ThrottledError`, `ServiceUnavailableError`).
 */
export interface PowerPlatformRbac {
  listRoleDefinitions(): Promise<RbacRoleDefinition[]>;
  /** Assignments made at exactly this scope (every page). */
  listAssignments(scope: Pick<RbacScope, 'kind' | 'id'>): Promise<RbacAssignment[]>;
  /** 201 → the assignment. A 409 and every other refusal throw. Not retried on a timeout: read back instead. */
  createAssignment(request: NewRbacAssignment): Promise<RbacAssignment>;
  /** `alreadyGone` for a 404: the assignment no longer exists, which is what removal wants. */
  deleteAssignment(scope: Pick<RbacScope, 'kind' | 'id'>, assignmentId: string): Promise<'deleted' | 'alreadyGone'>;
}

/** Microsoft Graph reads about service principals, with Elevate's own app identity (`Application.Read.All`). */
export interface ServicePrincipalDirectory {
  /** By app id (GUID) or exact display name; several display-name matches are all returned. */
  find(nameOrAppId: string): Promise<{ id: string; appId: string; displayName: string }[]>;
  /** Object ids of the users who own the service principal. */
  ownerIds(servicePrincipalId: string): Promise<string[]>;
}
