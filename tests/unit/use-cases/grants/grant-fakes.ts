import pino from 'pino';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import { HttpError, ServiceUnavailableError } from '../../../../src/domain/errors.js';
import { RBAC_ADMINISTRATOR, RBAC_CONTRIBUTOR, RBAC_OWNER, RBAC_READER, scopePath, type RbacScope } from '../../../../src/domain/rbac.js';
import type { RbacGrantRecord } from '../../../../src/domain/rbac-grant.js';
import type { RbacPolicy } from '../../../../src/domain/rbac-policy.js';
import type { GrantNotices } from '../../../../src/ports/grant-notices.js';
import type { NewRbacAssignment, PowerPlatformRbac, RbacAssignment } from '../../../../src/ports/power-platform-rbac.js';
import type { GrantDeps } from '../../../../src/use-cases/grants/grant-deps.js';
import { testAuditKeys } from '../../../support/audit-keys.js';

export const TENANT = '4d3c2b1a-0f9e-4d8c-b7a6-958473625140';
export const ADELE = 'a0000000-0000-4000-8000-00000000ade1';
export const MEGAN = 'a0000000-0000-4000-8000-0000000e6a00';
export const ALEX = 'a0000000-0000-4000-8000-00000000a1e5';
export const PIPELINE = { id: 'de910e00-5e00-4000-8000-00000000de91', appId: 'de910e00-0000-4000-8000-00000000de91', displayName: 'Contoso Deploy Pipeline' };
export const PROD = { id: 'e0000000-0000-4000-8000-000000000001', displayName: 'Contoso Prod' };
export const FINANCE = { id: '6e000000-0000-4000-8000-0000000f1a00', displayName: 'Finance' };
export const FINANCE_EMEA = { id: '6e000000-0000-4000-8000-0000000f1e00', displayName: 'Finance EMEA' };

/** The Authorization API in memory, with the failures a test asks for (by call, in order). */
export class FakeRbac implements PowerPlatformRbac {
  assignments: (RbacAssignment & { kind: RbacScope['kind']; scopeId?: string })[] = [];
  createFailures: unknown[] = [];
  deleteFailures: unknown[] = [];
  /** Creates that fail after the assignment was made (a lost answer, a timeout). */
  createsThatTimeOutAfterWriting = 0;
  creates = 0;
  private next = 1;

  async listRoleDefinitions() {
    return [
      { id: RBAC_OWNER, name: 'Power Platform owner', permissions: [] },
      { id: RBAC_CONTRIBUTOR, name: 'Power Platform contributor', permissions: [] },
      { id: RBAC_READER, name: 'Power Platform reader', permissions: [] },
      { id: RBAC_ADMINISTRATOR, name: 'Power Platform role-based access control administrator', permissions: [] },
    ];
  }

  async listAssignments(scope: Pick<RbacScope, 'kind' | 'id'>): Promise<RbacAssignment[]> {
    return this.assignments.filter((a) => a.kind === scope.kind && (a.scopeId ?? '') === (scope.id ?? ''));
  }

  async createAssignment(request: NewRbacAssignment): Promise<RbacAssignment> {
    this.creates++;
    const failure = this.createFailures.shift();
    if (failure) throw failure;
    const made = this.add(request.principal.id, request.roleDefinitionId, request.scope);
    if (this.createsThatTimeOutAfterWriting > 0) {
      this.createsThatTimeOutAfterWriting--;
      throw new ServiceUnavailableError('POST timed out after 1 attempt(s).');
    }
    return made;
  }

  async deleteAssignment(scope: Pick<RbacScope, 'kind' | 'id'>, assignmentId: string): Promise<'deleted' | 'alreadyGone'> {
    const failure = this.deleteFailures.shift();
    if (failure) throw failure;
    const index = this.assignments.findIndex((a) => a.id === assignmentId && a.kind === scope.kind);
    if (index < 0) return 'alreadyGone';
    this.assignments.splice(index, 1);
    return 'deleted';
  }

  add(principalId: string, roleDefinitionId: string, scope: Pick<RbacScope, 'kind' | 'id'>): RbacAssignment {
    const made = {
      id: `ra-${this.next++}`,
      principalId: principalId.toLowerCase(),
      principalType: 'User',
      roleDefinitionId,
      scope: scopePath(TENANT, scope),
      kind: scope.kind,
      ...(scope.id ? { scopeId: scope.id } : {}),
    };
    this.assignments.push(made);
    return made;
  }
}

export const httpError = (status: number, code?: string) => new HttpError(`HTTP ${status}`, status, code, 'corr-1', undefined);

export interface Told {
  requester: string[];
  /** In-place updates of the requester's grant card (state shown). */
  shown: string[];
  security: string[];
  alerts: string[];
  approvals: string[];
  /** Each refresh of the approval cards: the grant's state and approval status then. */
  refreshed: string[];
  reminders: number[];
}

export function recordingNotices(): GrantNotices & { told: Told } {
  const told: Told = { requester: [], shown: [], security: [], alerts: [], approvals: [], refreshed: [], reminders: [] };
  return {
    told,
    tellRequester: async (g: RbacGrantRecord) => void told.requester.push(g.state),
    showRequester: async (g: RbacGrantRecord) => void told.shown.push(g.state),
    security: async (g: RbacGrantRecord) => void told.security.push(g.state),
    alert: async (_g: RbacGrantRecord, message: string) => void told.alerts.push(message),
    publishApproval: async (g: RbacGrantRecord) => void told.approvals.push(g.id),
    refreshApproval: async (g: RbacGrantRecord) => void told.refreshed.push(`${g.state}/${g.approval?.status ?? ''}`),
    remind: async (_g: RbacGrantRecord, minutes: number) => void told.reminders.push(minutes),
  };
}

export const POLICY: RbacPolicy = {
  rules: [
    {
      name: 'owners',
      match: { roleIds: [RBAC_OWNER, RBAC_ADMINISTRATOR] },
      maximumDuration: 'PT2H',
      approval: { required: true, approverGroupIds: [], approverUserIds: [MEGAN, ALEX], approvalsRequired: 2, pendingTimeoutMinutes: 60 },
    },
    { name: 'everyone', match: {}, maximumDuration: 'PT8H' },
  ],
};

export function grantDeps(rbac: FakeRbac, overrides: Partial<GrantDeps> = {}) {
  const store = SqliteElevationStore.open(':memory:');
  let now = Date.parse('2026-11-22T08:00:00Z');
  const clock = { now: () => new Date(now), sleep: async (ms: number) => void (now += ms) };
  const notices = recordingNotices();
  let ids = 0;
  const deps: GrantDeps = {
    rbac,
    servicePrincipals: {
      find: async (text) => (text === PIPELINE.displayName || text === PIPELINE.appId ? [PIPELINE] : []),
      ownerIds: async (id) => (id === PIPELINE.id ? [ADELE] : []),
    },
    environments: { environmentsFor: async () => [PROD] },
    environmentGroups: { environmentGroups: async () => [FINANCE, FINANCE_EMEA] },
    memberOf: async () => [],
    groupUserIds: async () => [],
    store,
    timers: store.timers(clock),
    audit: store.auditLog(testAuditKeys().sealer),
    clock,
    notices,
    settings: {
      policy: POLICY,
      tenantId: TENANT,
      ownAppIds: ['e1e7a7e0-55a0-4e1e-9a7e-0000000055a0'],
      minJustificationLength: 5,
      reminderMinutes: [15, 5],
      removalAlertAfterAttempts: 3,
      maxAssignAttempts: 3,
    },
    newId: () => `grant-${++ids}`,
    logger: pino({ level: 'silent' }),
    ...overrides,
  };
  return { deps, store, notices, advance: (ms: number) => void (now += ms) };
}
