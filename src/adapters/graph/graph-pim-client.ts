import { ElevateError } from '../../domain/errors.js';
import type {
  InstancePrincipal,
  PimApproval,
  PimApprovalStep,
  PimDirectory,
  RoleActivationPolicy,
  RoleAssignmentInstance,
  RoleAssignmentScheduleRequest,
  RoleEligibility,
  SelfActivateRequest,
} from '../../ports/pim-directory.js';
import type { TokenSource } from '../../ports/token-broker.js';
import type { HttpClient, RetryListener } from '../http/http-client.js';
import { getAllPages } from '../http/paged.js';
import { ActivationPolicyCache } from './activation-policy-cache.js';
import { toPimError } from './pim-errors.js';
import { parseActivationPolicy, type PolicyAssignment } from './pim-policy.js';

/** Optional per-call settings beyond the port (progress while Graph throttles). */
export interface CallOptions {
  onRetry?: RetryListener;
}

/** Graph accepts at most 20 group ids per checkMemberGroups call. */
const MEMBER_GROUPS_BATCH = 20;

type RawPrincipal = { id?: unknown; displayName?: unknown; '@odata.type'?: unknown } | null;
type Instance = Omit<RoleEligibility & RoleAssignmentInstance, 'principal'> & { principal?: RawPrincipal };
type ScheduleRequest = Partial<RoleAssignmentScheduleRequest> & { id: string; status: string };
type RawApproval = { id?: unknown; steps?: unknown } | undefined;

/**
 * Microsoft Graph PIM for Entra roles (docs/api-contracts.md §2) on the caller's token.
 * `baseUrl` is Graph's root (`https://graph.microsoft.com`, or the simulator's `/graph`).
 */
export class GraphPimClient implements PimDirectory {
  private readonly baseUrl: string;
  private readonly http: HttpClient;
  private readonly policies: ActivationPolicyCache;

  /** `policyCacheMs`: how long an activation policy read is reused (0, the default: read every time). */
  constructor(options: { baseUrl: string; http: HttpClient; policyCacheMs?: number; now?: () => number }) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.http = options.http;
    this.policies = new ActivationPolicyCache(options.policyCacheMs ?? 0, options.now);
  }

  async listMyEligibilities(token: TokenSource, options: CallOptions = {}): Promise<RoleEligibility[]> {
    // `$expand=principal` names the group a group-based eligibility comes through (docs/api-contracts.md §8).
    const url = `${this.v1}/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')?$expand=principal`;
    const items = await getAllPages<Instance>(this.http, url, token, this.paging(options));
    return items.map(toInstance);
  }

  async listMyActiveAssignments(token: TokenSource, options: CallOptions = {}): Promise<RoleAssignmentInstance[]> {
    const url = `${this.v1}/roleManagement/directory/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')?$expand=principal`;
    const items = await getAllPages<Instance>(this.http, url, token, this.paging(options));
    return items.map((item) => ({ ...toInstance(item), ...optional('assignmentType', item.assignmentType) }));
  }

  getActivationPolicy(token: TokenSource, roleDefinitionId: string, options: CallOptions = {}): Promise<RoleActivationPolicy> {
    return this.policies.get(roleDefinitionId, () => this.readActivationPolicy(token, roleDefinitionId, options));
  }

  private async readActivationPolicy(token: TokenSource, roleDefinitionId: string, options: CallOptions): Promise<RoleActivationPolicy> {
    // The scopeId/scopeType filter is mandatory on this endpoint (docs/api-contracts.md §2).
    const filter = `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${odataString(roleDefinitionId)}'`;
    const url = `${this.v1}/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent(filter)}&$expand=${encodeURIComponent('policy($expand=rules)')}`;
    const response = await this.http.request<{ value?: PolicyAssignment[] }>({ method: 'GET', url, token, ...options });
    const assignment = response.body?.value?.[0];
    if (!assignment) throw new ElevateError(`PIM has no activation policy for role ${roleDefinitionId}.`, 'PimPolicyNotFound');
    return parseActivationPolicy(roleDefinitionId, assignment);
  }

  /** Not idempotent: a repeated POST would file a second request (see `mayRetry`). */
  async selfActivate(token: TokenSource, request: SelfActivateRequest, options: CallOptions = {}): Promise<RoleAssignmentScheduleRequest> {
    try {
      const response = await this.http.request<ScheduleRequest>({
        method: 'POST',
        url: `${this.v1}/roleManagement/directory/roleAssignmentScheduleRequests`,
        token,
        body: selfActivateBody(request),
        idempotent: false,
        ...options,
      });
      return toScheduleRequest(response.body, request, response.correlationId);
    } catch (error) {
      throw toPimError(error);
    }
  }

  async listMyRequests(token: TokenSource, roleDefinitionId: string, options: CallOptions = {}): Promise<RoleAssignmentScheduleRequest[]> {
    const filter = `roleDefinitionId eq '${odataString(roleDefinitionId)}'`;
    const url = `${this.v1}/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')?$filter=${encodeURIComponent(filter)}`;
    const items = await getAllPages<ScheduleRequest>(this.http, url, token, this.paging(options));
    return items.map((item) => ({
      id: item.id,
      status: item.status,
      action: item.action ?? '',
      principalId: item.principalId ?? '',
      roleDefinitionId: item.roleDefinitionId ?? roleDefinitionId,
      ...optional('approvalId', item.approvalId),
      ...optional('createdDateTime', item.createdDateTime),
    }));
  }

  /** Not idempotent either; a repeat after success answers `RoleAssignmentDoesNotExist`, which callers treat as done. */
  async selfDeactivate(
    token: TokenSource,
    request: { principalId: string; roleDefinitionId: string; justification?: string },
    options: CallOptions = {},
  ): Promise<RoleAssignmentScheduleRequest> {
    try {
      const body = {
        action: 'selfDeactivate',
        principalId: request.principalId,
        roleDefinitionId: request.roleDefinitionId,
        directoryScopeId: '/',
        ...optional('justification', request.justification),
      };
      const response = await this.http.request<ScheduleRequest>({
        method: 'POST',
        url: `${this.v1}/roleManagement/directory/roleAssignmentScheduleRequests`,
        token,
        body,
        idempotent: false,
        ...options,
      });
      const sent = { ...request, justification: request.justification ?? '', duration: '', startDateTime: '' };
      return { ...toScheduleRequest(response.body, sent, response.correlationId), action: 'selfDeactivate' };
    } catch (error) {
      throw toPimError(error);
    }
  }

  /**
   * `POST /roleManagement/directory/roleAssignmentScheduleRequests/{id}/cancel`, no body, 204 (Graph v1.0
   * "unifiedRoleAssignmentScheduleRequest: cancel": "Immediately cancel a unifiedRoleAssignmentScheduleRequest
   * object that is in a Granted status"; 400 when not cancelable, e.g. `Provisioned` or `Failed`).
   */
  async cancelRequest(token: TokenSource, requestId: string, options: CallOptions = {}): Promise<void> {
    const url = `${this.v1}/roleManagement/directory/roleAssignmentScheduleRequests/${encodeURIComponent(requestId)}/cancel`;
    try {
      await this.http.request({ method: 'POST', url, token, idempotent: false, ...options });
    } catch (error) {
      throw toPimError(error);
    }
  }

  /** App-only (docs/api-contracts.md §2): `roleAssignmentScheduleInstances?$filter=principalId eq '…' and roleDefinitionId eq '…'`. */
  async listAssignmentsOf(token: TokenSource, principalId: string, roleDefinitionId: string, options: CallOptions = {}): Promise<RoleAssignmentInstance[]> {
    const filter = `principalId eq '${odataString(principalId)}' and roleDefinitionId eq '${odataString(roleDefinitionId)}'`;
    const url = `${this.v1}/roleManagement/directory/roleAssignmentScheduleInstances?$filter=${encodeURIComponent(filter)}`;
    const items = await getAllPages<Instance>(this.http, url, token, this.paging(options));
    return items.map((item) => ({ ...toInstance(item), ...optional('assignmentType', item.assignmentType) }));
  }

  /**
   * `GET /groups/{id}/transitiveMembers?$select=id` (GroupMember.Read.All): users are picked by
   * `@odata.type` here, because the `/microsoft.graph.user` cast is an advanced query (it needs
   * `ConsistencyLevel: eventual` and `$count`).
   */
  async listGroupUserIds(token: TokenSource, groupId: string, max: number, options: CallOptions = {}): Promise<string[]> {
    const url = `${this.v1}/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id&$top=${Math.min(999, Math.max(1, max))}`;
    const items = await getAllPages<{ '@odata.type'?: string; id?: string }>(this.http, url, token, { maxPages: 5, ...this.paging(options) });
    return items
      .filter((item) => item['@odata.type'] === '#microsoft.graph.user' && typeof item.id === 'string')
      .map((item) => item.id!)
      .slice(0, max);
  }

  async checkMemberGroups(token: TokenSource, userId: string, groupIds: string[], options: CallOptions = {}): Promise<string[]> {
    const url = `${this.v1}/users/${encodeURIComponent(userId)}/checkMemberGroups`;
    const members: string[] = [];
    for (let i = 0; i < groupIds.length; i += MEMBER_GROUPS_BATCH) {
      const batch = groupIds.slice(i, i + MEMBER_GROUPS_BATCH);
      const response = await this.http.request<{ value?: string[] }>({ method: 'POST', url, token, body: { groupIds: batch }, ...options });
      members.push(...(response.body?.value ?? []));
    }
    return members;
  }

  /**
   * Beta only for Entra roles, delegated only (docs/api-contracts.md §2, "Approvals of PIM requests"):
   * `GET /beta/roleManagement/directory/roleAssignmentApprovals/{approvalId}` → `{id, steps:[...]}`,
   * each step with `assignedToMe` for the caller. 404 for an unknown approval (an `HttpError`).
   */
  async getRoleAssignmentApproval(token: TokenSource, approvalId: string, options: CallOptions = {}): Promise<PimApproval> {
    const response = await this.http.request<RawApproval>({ method: 'GET', url: this.approvalUrl(approvalId), token, ...options });
    return toApproval(response.body);
  }

  /**
   * `PATCH /beta/roleManagement/directory/roleAssignmentApprovals/{approvalId}/steps/{stepId}`
   * `{reviewResult, justification}` → 204 (docs/api-contracts.md §2). Fails with an `HttpError` of status 403
   * (not an approver), 404 (unknown) or 409 (already decided by another approver in this stage).
   * Not idempotent: a repeat of a decision that landed answers 409, which would hide that it landed.
   */
  async reviewRoleAssignmentApprovalStep(
    token: TokenSource,
    approvalId: string,
    stepId: string,
    review: { reviewResult: 'Approve' | 'Deny'; justification: string },
    options: CallOptions = {},
  ): Promise<void> {
    const url = `${this.approvalUrl(approvalId)}/steps/${encodeURIComponent(stepId)}`;
    const body = { reviewResult: review.reviewResult, justification: review.justification };
    await this.http.request({ method: 'PATCH', url, token, body, idempotent: false, ...options });
  }

  private approvalUrl(approvalId: string): string {
    return `${this.beta}/roleManagement/directory/roleAssignmentApprovals/${encodeURIComponent(approvalId)}`;
  }

  private get v1(): string {
    return `${this.baseUrl}/v1.0`;
  }

  private get beta(): string {
    return `${this.baseUrl}/beta`;
  }

  private paging(options: CallOptions) {
    return { trustedPrefix: `${this.baseUrl}/`, ...options };
  }
}

/** The body of docs/api-contracts.md §2 "Activate". The principal is always the user, never a group. */
export function selfActivateBody(request: SelfActivateRequest): Record<string, unknown> {
  return {
    action: 'selfActivate',
    principalId: request.principalId,
    roleDefinitionId: request.roleDefinitionId,
    directoryScopeId: '/',
    justification: request.justification,
    scheduleInfo: { startDateTime: request.startDateTime, expiration: { type: 'afterDuration', duration: request.duration } },
    ...(request.ticketNumber ? { ticketInfo: { ticketNumber: request.ticketNumber, ...optional('ticketSystem', request.ticketSystem) } } : {}),
  };
}

function toScheduleRequest(body: ScheduleRequest | undefined, sent: SelfActivateRequest, requestId: string | undefined): RoleAssignmentScheduleRequest {
  if (!body || typeof body.id !== 'string' || typeof body.status !== 'string') {
    throw new ElevateError('PIM accepted the activation request but its answer had no id or status.', 'PimUnreadableAnswer');
  }
  return {
    id: body.id,
    status: body.status,
    action: body.action ?? 'selfActivate',
    principalId: body.principalId ?? sent.principalId,
    roleDefinitionId: body.roleDefinitionId ?? sent.roleDefinitionId,
    approvalId: body.approvalId ?? null,
    ...optional('createdDateTime', body.createdDateTime),
    ...optional('requestId', requestId),
  };
}

/** The approval as Elevate reads it; a step that is not clearly assigned to the caller is not. */
function toApproval(body: RawApproval): PimApproval {
  if (!body || typeof body.id !== 'string' || !Array.isArray(body.steps)) {
    throw new ElevateError('Graph answered the PIM approval without an id or steps.', 'PimUnreadableAnswer');
  }
  const steps = (body.steps as Partial<Record<keyof PimApprovalStep, unknown>>[])
    .filter((step) => typeof step?.id === 'string' && typeof step.status === 'string')
    .map((step) => ({
      id: step.id as string,
      status: step.status as string,
      assignedToMe: step.assignedToMe === true,
      ...optional('reviewResult', typeof step.reviewResult === 'string' ? step.reviewResult : undefined),
      ...(step.reviewedBy !== undefined ? { reviewedBy: step.reviewedBy as PimApprovalStep['reviewedBy'] } : {}),
      ...(typeof step.justification === 'string' || step.justification === null ? { justification: step.justification } : {}),
    }));
  return { id: body.id, steps };
}

function toInstance(item: Instance): RoleEligibility {
  return {
    id: item.id,
    roleDefinitionId: item.roleDefinitionId,
    directoryScopeId: item.directoryScopeId ?? '/',
    ...optional('memberType', item.memberType),
    ...optional('principalId', item.principalId),
    ...optional('principal', toPrincipal(item.principal)),
    ...optional('startDateTime', item.startDateTime),
    ...(item.endDateTime !== undefined ? { endDateTime: item.endDateTime } : {}),
  };
}

function toPrincipal(raw: RawPrincipal | undefined): InstancePrincipal | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const principal: InstancePrincipal = {};
  if (typeof raw.id === 'string') principal.id = raw.id;
  if (typeof raw.displayName === 'string') principal.displayName = raw.displayName;
  if (typeof raw['@odata.type'] === 'string') principal.type = raw['@odata.type'].replace(/^#?microsoft\.graph\./i, '');
  return principal;
}

function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === undefined || value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

/** OData string literal: a single quote is doubled. */
function odataString(value: string): string {
  return value.replace(/'/g, "''");
}
