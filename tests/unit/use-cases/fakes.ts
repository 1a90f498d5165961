import sinon from 'sinon';
import pino from 'pino';
import { PERMISSIVE_POLICY } from '../../../src/domain/elevate-policy.js';
import { SqliteElevationStore } from '../../../src/adapters/store/sqlite-elevation-store.js';
import type { ElevationRecord } from '../../../src/domain/elevation.js';
import { HttpError } from '../../../src/domain/errors.js';
import type { Dataverse } from '../../../src/ports/dataverse.js';
import type { PimApproval, PimApprovalStep, PimDirectory, RoleAssignmentInstance, RoleAssignmentScheduleRequest } from '../../../src/ports/pim-directory.js';
import type { PowerPlatform } from '../../../src/ports/power-platform.js';
import type { TokenBroker, TokenSource } from '../../../src/ports/token-broker.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import { testAuditKeys } from '../../support/audit-keys.js';

export const ROLE = '11648597-926c-4cf3-9c36-bcebb0ba8dcc';
export const USER = 'a0000000-0000-4000-8000-00000000ade1';

/** The fake delegated token of a user: `signedIn.forUser(id)` answers it, and FakePim reads the caller from it. */
export const userToken = (aadObjectId: string): string => `user-token:${aadObjectId}`;
const callerOf = async (token: TokenSource): Promise<string> => (await token()).replace(/^user-token:/, '');

/** A PIM approval as Entra keeps it: who asked, and the steps without the caller's `assignedToMe`. */
export interface FakeApproval {
  requesterId: string;
  steps: Omit<PimApprovalStep, 'assignedToMe'>[];
}

export interface ApprovalCall {
  method: 'GET' | 'PATCH';
  caller: string;
  approvalId: string;
  stepId?: string;
  review?: { reviewResult: string; justification: string };
}

/** Graph's error for an approval call, as the HTTP client throws it. */
const graphError = (status: number, code: string, message: string) =>
  new HttpError(
    `graph/beta/roleManagement/directory/roleAssignmentApprovals answered HTTP ${status} (${code}: ${message})`,
    status,
    code,
    'graph-req-approval',
    {
      error: { code, message },
    },
  );

/** A PIM directory whose answers a test scripts. */
export class FakePim implements PimDirectory {
  activate: () => Promise<RoleAssignmentScheduleRequest> = async () => ({
    id: 'req-1',
    status: 'Provisioned',
    action: 'selfActivate',
    principalId: USER,
    roleDefinitionId: ROLE,
  });
  active: RoleAssignmentInstance[] = [];
  /** Instances that appear once selfActivate succeeded. */
  activatesTo: RoleAssignmentInstance[] = [{ id: 'i-1', roleDefinitionId: ROLE, directoryScopeId: '/', endDateTime: '2026-11-22T10:00:00.000Z' }];
  selfActivateCalls = 0;
  /** What PIM received (filterByCurrentUser(on='principal')), also when the answer was lost. */
  requests: RoleAssignmentScheduleRequest[] = [];
  /** Set to lose the answer of the next selfActivate after PIM took it (a timeout, a 5xx, a dropped connection). */
  loseAnswer?: Error;

  async listMyEligibilities() {
    return [{ id: 'e', roleDefinitionId: ROLE, directoryScopeId: '/' }];
  }
  async listMyActiveAssignments() {
    return this.active;
  }
  async getActivationPolicy() {
    return { roleDefinitionId: ROLE, maximumDuration: 'PT8H', justificationRequired: true, ticketRequired: false, mfaRequired: false, approvalRequired: false };
  }
  async selfActivate() {
    this.selfActivateCalls++;
    // Like PIM: a role that is already active is refused as such, nothing is activated twice.
    if (this.active.some((a) => a.roleDefinitionId === ROLE && a.directoryScopeId === '/'))
      throw new HttpError('graph answered HTTP 400 (RoleAssignmentExists)', 400, 'RoleAssignmentExists', 'graph-req-exists', {});
    const answer = await this.activate();
    if (!['PendingApproval', 'Failed', 'Denied', 'Canceled'].includes(answer.status)) this.active = this.activatesTo;
    this.requests.push(answer);
    const lost = this.loseAnswer;
    this.loseAnswer = undefined;
    if (lost) throw lost;
    return answer;
  }
  async listMyRequests() {
    return this.requests;
  }
  async selfDeactivate(): Promise<RoleAssignmentScheduleRequest> {
    throw new Error('not scripted');
  }
  /** Requests cancelled (`POST …/{id}/cancel`): `<caller>:<request id>`. */
  cancelled: string[] = [];
  async cancelRequest(token: TokenSource, requestId: string): Promise<void> {
    this.cancelled.push(`${await callerOf(token)}:${requestId}`);
  }
  async listAssignmentsOf() {
    return this.active;
  }
  /** Users of each group (nested ones already flattened), for listGroupUserIds. */
  groupUsers = new Map<string, string[]>();
  async listGroupUserIds(_token: TokenSource, groupId: string, max: number): Promise<string[]> {
    return (this.groupUsers.get(groupId) ?? []).slice(0, max);
  }
  async checkMemberGroups(_token: TokenSource, _userId: string, _groupIds: string[]): Promise<string[]> {
    return [];
  }

  /** PIM approvals by id. Entra's `assignedToMe`: the caller is in `approverIds` and is not the requester. */
  approvals = new Map<string, FakeApproval>();
  approverIds = new Set<string>();
  /** Every approval call, with the caller read from the token. */
  approvalCalls: ApprovalCall[] = [];
  /** Runs before a PATCH is judged (e.g. another approver decides first, or the caller leaves the approvers). */
  beforeReview?: () => void;

  async getRoleAssignmentApproval(token: TokenSource, approvalId: string): Promise<PimApproval> {
    const caller = await callerOf(token);
    this.approvalCalls.push({ method: 'GET', caller, approvalId });
    const approval = this.approvals.get(approvalId);
    if (!approval) throw graphError(404, 'ResourceNotFound', `The approval ${approvalId} was not found.`);
    return { id: approvalId, steps: approval.steps.map((step) => ({ ...step, assignedToMe: this.isApprover(approval, caller) })) };
  }

  async reviewRoleAssignmentApprovalStep(
    token: TokenSource,
    approvalId: string,
    stepId: string,
    review: { reviewResult: 'Approve' | 'Deny'; justification: string },
  ): Promise<void> {
    const caller = await callerOf(token);
    this.approvalCalls.push({ method: 'PATCH', caller, approvalId, stepId, review });
    this.beforeReview?.();
    const approval = this.approvals.get(approvalId);
    const step = approval?.steps.find((s) => s.id === stepId);
    if (!approval || !step) throw graphError(404, 'ResourceNotFound', 'The approval or approval step was not found.');
    if (!this.isApprover(approval, caller)) throw graphError(403, 'Authorization_RequestDenied', 'The caller is not an approver of this step.');
    if (step.status === 'Completed' || step.status === 'Expired') throw graphError(409, 'Conflict', 'The approval step has already been completed.');
    const approved = review.reviewResult === 'Approve';
    Object.assign(step, {
      status: 'Completed',
      reviewResult: approved ? 'Approved' : 'Denied',
      reviewedBy: { id: caller },
      justification: review.justification,
    });
    // Like Entra: an approval activates the requester's role.
    if (approved) this.active = this.activatesTo;
  }

  private isApprover(approval: FakeApproval, caller: string): boolean {
    return caller.toLowerCase() !== approval.requesterId.toLowerCase() && this.approverIds.has(caller);
  }
}

export class FakePowerPlatform implements PowerPlatform {
  answers: (() => Promise<{ code: string; details: string[]; correlationId?: string }>)[] = [];
  calls = 0;
  async listEnvironments() {
    return [{ id: 'env-1', displayName: 'Contoso Prod', type: 'Production', url: 'https://contosoprod.crm.dynamics.com' }];
  }
  async applyAdminRole() {
    const answer = this.answers[Math.min(this.calls++, this.answers.length - 1)];
    return answer ? answer() : { code: 'UserExists', details: [], correlationId: 'pp-1' };
  }
}

export const noDataverse: Dataverse = {
  systemAdministratorStatus: async () => ({ held: false }),
  removeSystemAdministrator: async () => 'removed',
  hasApplicationUser: async () => true,
  auditActivity: async () => ({ auditing: 'off' }),
};

export const signedIn: TokenBroker = {
  acceptSsoToken: async () => ({ aadObjectId: USER, tenantId: 't' }),
  hasSession: () => true,
  forget: () => undefined,
  forUser: (aadObjectId) => async () => userToken(aadObjectId),
  forApp: () => async () => 'app-token',
  signInUrl: async () => 'https://login.example/authorize',
  redeemSignIn: async () => ({ aadObjectId: USER, tenantId: 't' }),
};

export function fakeDeps(pim: FakePim, powerPlatform: FakePowerPlatform, overrides: Partial<ElevationDeps> = {}): ElevationDeps {
  const store = SqliteElevationStore.open(':memory:');
  let now = Date.parse('2026-11-22T08:00:00Z');
  const clock = { now: () => new Date(now), sleep: async (ms: number) => void (now += ms) };
  return {
    pim,
    powerPlatform,
    environments: { environmentsFor: () => powerPlatform.listEnvironments() },
    dataverse: noDataverse,
    tokens: signedIn,
    store,
    audit: store.auditLog(testAuditKeys().sealer),
    timers: store.timers(clock),
    clock,
    notifier: {
      elevationChanged: async () => true,
      approvalChanged: async () => true,
      alert: async () => true,
      auditAnchor: async () => true,
      auditAlert: async () => true,
      reminder: async () => true,
    },
    presenter: {
      show: async () => undefined,
      remind: async () => undefined,
      tell: async () => undefined,
      ended: async () => undefined,
      askToSignIn: async () => undefined,
      scheduleNotice: async () => undefined,
    },
    approvals: { publish: async () => undefined, publishPim: async () => undefined, refresh: async () => undefined },
    settings: {
      policy: PERMISSIVE_POLICY,
      roleIds: [ROLE],
      minJustificationLength: 10,
      activationTimeoutMs: 60_000,
      activationPollMs: 1_000,
      propagationWindowMs: 10 * 60_000,
      propagationRetryMs: 5_000,
      instanceId: 'test',
      bootId: 'boot-1',
      reminderMinutes: [15, 5],
      cleanupAlertAfterAttempts: 3,
      approvalActivationWindowMinutes: 60,
      graphResource: 'https://graph.microsoft.com',
    },
    newId: () => 'elevation-1',
    logger: pino({ level: 'silent' }),
    ...overrides,
  };
}

/** Stores Adele's Power Platform Administrator request for Contoso Prod in `state`. */
export async function storedElevation(deps: ElevationDeps, state: ElevationRecord['state'], changes: Partial<ElevationRecord> = {}) {
  const at = deps.clock.now().toISOString();
  return deps.store.createElevation({
    id: 'elevation-1',
    state,
    requester: { aadObjectId: USER, name: 'Adele Vance', tenantId: 't' },
    environment: { id: 'env-1', displayName: 'Contoso Prod', type: 'Production', url: 'https://contosoprod.crm.dynamics.com' },
    // What startRequest read from Graph for the request card (FakePim's eligibility and policy).
    options: [
      {
        roleId: ROLE,
        roleName: 'Power Platform Administrator',
        maximumDuration: 'PT8H',
        justificationRequired: true,
        ticketRequired: false,
        mfaRequired: false,
      },
    ],
    roleId: ROLE,
    roleName: 'Power Platform Administrator',
    duration: 'PT1H',
    justification: 'INC0012345 restore the flow',
    createdAt: at,
    updatedAt: at,
    history: [{ at, state }],
    ...changes,
  });
}

/** An elevation submitted and ready to run (state `activating`). */
export async function submitted(deps: ElevationDeps): Promise<ElevationRecord> {
  return (await storedElevation(deps, 'activating', { worker: 'test' })).value;
}

/** Spies on every side `announce` reaches (the fakes record nothing themselves). */
export function spyOnAnnouncements(deps: ElevationDeps) {
  return {
    refresh: sinon.spy(deps.approvals, 'refresh'),
    elevationChanged: sinon.spy(deps.notifier, 'elevationChanged'),
    approvalChanged: sinon.spy(deps.notifier, 'approvalChanged'),
    show: sinon.spy(deps.presenter, 'show'),
    tell: sinon.spy(deps.presenter, 'tell'),
  };
}
