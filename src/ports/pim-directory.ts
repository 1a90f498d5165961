import type { TokenSource } from './token-broker.js';

/** The principal an instance belongs to (`$expand=principal`): the user, or the group the role comes through. */
export interface InstancePrincipal {
  id?: string;
  displayName?: string;
  /** `@odata.type` without the namespace: `user`, `group`, `servicePrincipal`. */
  type?: string;
}

export interface RoleEligibility {
  id: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  /** `Direct`, `Group` or `Inherited`; Power Platform honours only direct roles (docs/api-contracts.md §8). */
  memberType?: string;
  /** The user, or the group the eligibility comes through. */
  principalId?: string;
  principal?: InstancePrincipal;
  startDateTime?: string;
  endDateTime?: string | null;
}

export interface RoleAssignmentInstance {
  id: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  assignmentType?: string;
  memberType?: string;
  principalId?: string;
  principal?: InstancePrincipal;
  startDateTime?: string;
  endDateTime?: string | null;
}

export interface RoleActivationPolicy {
  roleDefinitionId: string;
  /** ISO 8601 duration, e.g. PT8H. */
  maximumDuration: string;
  justificationRequired: boolean;
  ticketRequired: boolean;
  mfaRequired: boolean;
  approvalRequired: boolean;
  authenticationContext?: string;
}

export interface SelfActivateRequest {
  principalId: string;
  roleDefinitionId: string;
  justification: string;
  /** ISO 8601 duration. */
  duration: string;
  startDateTime: string;
  ticketNumber?: string;
  ticketSystem?: string;
}

export interface RoleAssignmentScheduleRequest {
  id: string;
  status: string;
  action: string;
  principalId: string;
  roleDefinitionId: string;
  approvalId?: string | null;
  createdDateTime?: string;
  /** Graph request-id of the call that created it. */
  requestId?: string;
}

/** One stage of a PIM approval as the caller sees it (docs/api-contracts.md §2, "Approvals of PIM requests"). */
export interface PimApprovalStep {
  id: string;
  /** `InProgress`, `Initializing`, `NotStarted`, `Completed`, `Expired`. */
  status: string;
  /** Entra's answer for the calling user: may this user decide the step. */
  assignedToMe: boolean;
  /** `NotReviewed`, `Approved`, `Denied`. */
  reviewResult?: string;
  reviewedBy?: { id: string; displayName?: string } | null;
  justification?: string | null;
}

/** The approval of a PIM request (`approvalId` of a `PendingApproval` schedule request). */
export interface PimApproval {
  id: string;
  steps: PimApprovalStep[];
}

/** Microsoft Graph PIM for Entra roles (docs/api-contracts.md §2). Every call runs on the given token. */
export interface PimDirectory {
  listMyEligibilities(token: TokenSource): Promise<RoleEligibility[]>;
  listMyActiveAssignments(token: TokenSource): Promise<RoleAssignmentInstance[]>;
  getActivationPolicy(token: TokenSource, roleDefinitionId: string): Promise<RoleActivationPolicy>;
  /** POST roleAssignmentScheduleRequests with action selfActivate. A 201 is not success: read `status`. */
  selfActivate(token: TokenSource, request: SelfActivateRequest): Promise<RoleAssignmentScheduleRequest>;
  /**
   * The signed-in user's own schedule requests (`filterByCurrentUser(on='principal')`): after a POST
   * whose answer was lost (timeout, 5xx, dropped connection), what PIM actually received.
   */
  listMyRequests(token: TokenSource, roleDefinitionId: string): Promise<RoleAssignmentScheduleRequest[]>;
  /** POST roleAssignmentScheduleRequests with action selfDeactivate (answers `Revoked`; `ActiveDurationTooShort` within 5 minutes of activation). */
  selfDeactivate(
    token: TokenSource,
    request: { principalId: string; roleDefinitionId: string; justification?: string },
  ): Promise<RoleAssignmentScheduleRequest>;
  /**
   * `POST roleAssignmentScheduleRequests/{id}/cancel` (docs/api-contracts.md §2): cancels a request that is
   * `Granted` (e.g. an activation scheduled to start later) or still pending; 204. PIM answers 400 for one that
   * is not cancelable any more (`Provisioned`, `Failed`, already `Canceled`).
   */
  cancelRequest(token: TokenSource, requestId: string): Promise<void>;
  /** App-only: a user's assignment instances of one role (expiry confirmation with the bot's identity). */
  listAssignmentsOf(token: TokenSource, principalId: string, roleDefinitionId: string): Promise<RoleAssignmentInstance[]>;
  /** App-only: object ids of the users in a group, nested groups included (at most `max`). */
  listGroupUserIds(token: TokenSource, groupId: string, max: number): Promise<string[]>;
  /** Transitive group membership check by object id (bot identity). Returns the ids the user is a member of. */
  checkMemberGroups(token: TokenSource, userId: string, groupIds: string[]): Promise<string[]>;
  /** Beta, delegated only: the approval of a PIM request with `assignedToMe` per step (docs/api-contracts.md §2). */
  getRoleAssignmentApproval(token: TokenSource, approvalId: string): Promise<PimApproval>;
  /** Beta, delegated only: approve or deny one step. 403 not an approver, 409 already decided. */
  reviewRoleAssignmentApprovalStep(
    token: TokenSource,
    approvalId: string,
    stepId: string,
    review: { reviewResult: 'Approve' | 'Deny'; justification: string },
  ): Promise<void>;
}
