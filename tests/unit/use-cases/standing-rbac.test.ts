import assert from 'node:assert/strict';
import { HttpError } from '../../../src/domain/errors.js';
import { RBAC_ADMINISTRATOR, RBAC_CONTRIBUTOR, RBAC_OWNER, type RbacScope } from '../../../src/domain/rbac.js';
import type { RbacGrantRecord } from '../../../src/domain/rbac-grant.js';
import type { PowerPlatformRbac, RbacAssignment } from '../../../src/ports/power-platform-rbac.js';
import { GRANT_TIMER_KINDS } from '../../../src/use-cases/grants/grant-schedule.js';
import { createGrant } from '../../../src/use-cases/grants/grant-store.js';
import { rbacInventory, type RbacReader } from '../../../src/use-cases/standing-rbac.js';
import { FakePim, FakePowerPlatform, fakeDeps } from './fakes.js';

const DEV = { id: 'e0000000-0000-4000-8000-000000000002', displayName: 'Contoso Dev', url: 'https://dev.crm.example' };
const FINANCE = { id: '6e000000-0000-4000-8000-0000000f1a00', displayName: 'Finance' };
const ADELE = 'a0000000-0000-4000-8000-0000000ade1e';
const LEE = 'a0000000-0000-4000-8000-00000000011e';
const RBAC_SP = 'e1e7a7e0-5e00-4000-8000-0000000008ac';

const key = (scope: Pick<RbacScope, 'kind' | 'id'>) => `${scope.kind}:${scope.id ?? ''}`;

/** The Authorization API as assignments per scope; a scope mapped to an error answers it. */
type ReadOnlyRbac = Pick<PowerPlatformRbac, 'listRoleDefinitions' | 'listAssignments'>;

class FakeRbacApi implements ReadOnlyRbac {
  listed: string[] = [];
  constructor(readonly byScope: Map<string, RbacAssignment[] | Error>) {}
  async listRoleDefinitions() {
    return [
      { id: RBAC_OWNER, name: 'Power Platform owner', permissions: [] },
      { id: RBAC_CONTRIBUTOR, name: 'Power Platform contributor', permissions: [] },
      { id: RBAC_ADMINISTRATOR, name: 'Power Platform role-based access control administrator', permissions: [] },
    ];
  }
  async listAssignments(scope: Pick<RbacScope, 'kind' | 'id'>): Promise<RbacAssignment[]> {
    this.listed.push(key(scope));
    const found = this.byScope.get(key(scope)) ?? [];
    if (found instanceof Error) throw found;
    return found;
  }
}

const assignment = (id: string, principalId: string, roleDefinitionId: string, principalType = 'User'): RbacAssignment => ({
  id,
  principalId,
  principalType,
  roleDefinitionId,
  scope: '',
});

function setUp(byScope: [string, RbacAssignment[] | Error][], groups: () => Promise<readonly { id: string; displayName: string }[]> = async () => [FINANCE]) {
  const api = new FakeRbacApi(new Map(byScope));
  const base = fakeDeps(new FakePim(), new FakePowerPlatform());
  const reader: RbacReader = { api, ownPrincipalIds: async () => [RBAC_SP], environmentGroups: groups };
  return { api, deps: { ...base, rbac: reader, concurrency: 2 } };
}

/** An active grant of Adele's, as the grant use cases store it, with its expiry timer. */
async function activeGrant(deps: ReturnType<typeof setUp>['deps'], assignmentId: string, until: string, preExisting = false): Promise<void> {
  const record = {
    id: 'g-1',
    state: 'active',
    requester: { aadObjectId: ADELE, name: 'Adele Vance', tenantId: 't' },
    principal: { type: 'User', id: ADELE, name: 'Adele Vance' },
    role: { id: RBAC_CONTRIBUTOR, name: 'Power Platform contributor' },
    scope: { kind: 'environment', id: DEV.id, displayName: DEV.displayName },
    duration: 'PT2H',
    justification: 'CHG-7 change the flows',
    policySource: 'people',
    assignmentId,
    activeUntil: until,
    preExisting,
    createdAt: '2026-11-22T08:00:00Z',
    updatedAt: '2026-11-22T08:00:00Z',
    history: [],
  } satisfies RbacGrantRecord;
  await createGrant(deps.store, record);
  await deps.timers.schedule({ id: 'rbac-expire:g-1', kind: GRANT_TIMER_KINDS.expire, subject: 'g-1', dueAt: until, payload: {} });
}

describe('standing access: the RBAC part of the inventory', () => {
  it('says the roles were not read, and why, without the RBAC identity', async () => {
    const { deps } = setUp([]);
    const { rbac: _off, ...withoutRbac } = deps;
    assert.deepEqual(await rbacInventory(withoutRbac, [DEV], true), { status: 'notConfigured', message: 'ELEVATE_RBAC_CLIENT_ID is not set' });
  });

  it('reads the tenant, the policy’s environment groups and each environment, and marks grant, expected and unexplained holders', async () => {
    const { api, deps } = setUp([
      ['tenant:', [assignment('as-rbac', RBAC_SP, RBAC_ADMINISTRATOR, 'ApplicationUser'), assignment('as-lee', LEE, RBAC_OWNER)]],
      [`environment:${DEV.id}`, [assignment('as-adele', ADELE, RBAC_CONTRIBUTOR)]],
    ]);
    await activeGrant(deps, 'as-adele', '2026-11-22T10:00:00Z');
    const inventory = await rbacInventory(deps, [DEV], true);
    assert.deepEqual(api.listed.sort(), ['environment:' + DEV.id, 'environmentGroup:' + FINANCE.id, 'tenant:'].sort());
    assert.equal(inventory.status, 'read');
    const rows =
      inventory.status === 'read' ? inventory.holders.map((h) => [h.principalId, h.roleName, h.scope.kind, h.kind, h.until ?? h.expectedBy ?? '']) : [];
    assert.deepEqual(rows, [
      [RBAC_SP, 'Power Platform role-based access control administrator', 'tenant', 'expected', 'Elevate'],
      [LEE, 'Power Platform owner', 'tenant', 'unexplained', ''],
      [ADELE, 'Power Platform contributor', 'environment', 'grant', '2026-11-22T10:00:00Z'],
    ]);
  });

  it('reads no environment group for one environment, and does not count a pre-existing assignment as a grant', async () => {
    const { api, deps } = setUp([[`environment:${DEV.id}`, [assignment('as-adele', ADELE, RBAC_CONTRIBUTOR)]]]);
    // Adele asked for a role she already held: the grant recorded that assignment and leaves it in place.
    await activeGrant(deps, 'as-adele', '2026-11-22T10:00:00Z', true);
    const inventory = await rbacInventory(deps, [DEV], false);
    assert.deepEqual(api.listed.sort(), ['environment:' + DEV.id, 'tenant:'].sort());
    assert.deepEqual(inventory.status === 'read' ? inventory.holders.map((h) => h.kind) : [], ['unexplained']);
  });

  it('reads every environment group the directory lists, and says so when they could not be listed', async () => {
    const listedOnly = { id: 'e0000000-0000-4000-8000-0000000000aa', displayName: 'Listed by the API only' };
    const { api, deps } = setUp([[`environmentGroup:${listedOnly.id}`, [assignment('as-lee', LEE, RBAC_OWNER)]]], async () => [FINANCE, listedOnly]);
    const inventory = await rbacInventory(deps, [], true);
    assert.ok(api.listed.includes(`environmentGroup:${listedOnly.id}`));
    assert.deepEqual(inventory.status === 'read' ? inventory.holders.map((h) => [h.principalId, h.scope.displayName]) : [], [[LEE, 'Listed by the API only']]);

    const failing = setUp([], async () => {
      throw new HttpError('Service unavailable', 503, undefined, undefined, undefined);
    });
    const partial = await rbacInventory(failing.deps, [], true);
    assert.deepEqual(partial.status === 'read' ? partial.unread.map((u) => u.message) : [], ['Service unavailable']);
  });

  it('names the scopes it could not read, and calls a refusal everywhere the RBAC identity’s missing role', async () => {
    const refused = () =>
      new HttpError('The caller does not have permission to manage role assignments at this scope.', 403, 'Forbidden', undefined, undefined);
    const { deps } = setUp([[`environmentGroup:${FINANCE.id}`, new HttpError('Bad gateway', 502, undefined, undefined, undefined)]]);
    const partial = await rbacInventory(deps, [DEV], true);
    assert.deepEqual(partial.status === 'read' ? partial.unread.map((u) => [u.scope.displayName, u.message]) : [], [['Finance', 'Bad gateway']]);

    const everywhere = setUp([
      ['tenant:', refused()],
      [`environmentGroup:${FINANCE.id}`, refused()],
      [`environment:${DEV.id}`, refused()],
    ]);
    assert.equal((await rbacInventory(everywhere.deps, [DEV], true)).status, 'accessDenied');
  });
});
