import pino from 'pino';
import { PERMISSIVE_POLICY } from '../../../src/domain/elevate-policy.js';
import { SqliteElevationStore } from '../../../src/adapters/store/sqlite-elevation-store.js';
import type { ElevationRecord } from '../../../src/domain/elevation.js';
import type { Dataverse } from '../../../src/ports/dataverse.js';
import type { PimDirectory, RoleAssignmentInstance, RoleAssignmentScheduleRequest } from '../../../src/ports/pim-directory.js';
import type { PowerPlatform } from '../../../src/ports/power-platform.js';
import type { TokenBroker, TokenSource } from '../../../src/ports/token-broker.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';

export const ROLE = '11648597-926c-4cf3-9c36-bcebb0ba8dcc';
export const USER = 'a0000000-0000-4000-8000-00000000ade1';

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
    const answer = await this.activate();
    if (!['PendingApproval', 'Failed', 'Denied', 'Canceled'].includes(answer.status)) this.active = this.activatesTo;
    return answer;
  }
  async selfDeactivate(): Promise<RoleAssignmentScheduleRequest> {
    throw new Error('not scripted');
  }
  async listAssignmentsOf() {
    return this.active;
  }
  async checkMemberGroups(_token: TokenSource, _userId: string, _groupIds: string[]): Promise<string[]> {
    return [];
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
};

export const signedIn: TokenBroker = {
  acceptSsoToken: async () => ({ aadObjectId: USER, tenantId: 't' }),
  hasSession: () => true,
  forget: () => undefined,
  forUser: () => async () => 'user-token',
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
    dataverse: noDataverse,
    tokens: signedIn,
    store,
    audit: store.auditLog(),
    timers: store.timers(clock),
    clock,
    notifier: { elevationChanged: async () => true, alert: async () => true },
    presenter: { show: async () => undefined, remind: async () => undefined, ended: async () => undefined },
    settings: {
      policy: PERMISSIVE_POLICY,
      roleIds: [ROLE],
      minJustificationLength: 10,
      activationTimeoutMs: 60_000,
      activationPollMs: 1_000,
      propagationWindowMs: 10 * 60_000,
      propagationRetryMs: 5_000,
      instanceId: 'test',
      reminderMinutes: [15, 5],
      cleanupAlertAfterAttempts: 3,
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
    options: [],
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
