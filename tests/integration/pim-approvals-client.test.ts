import assert from 'node:assert/strict';
import { GraphPimClient } from '../../src/adapters/graph/graph-pim-client.js';
import { HttpClient } from '../../src/adapters/http/http-client.js';
import { HttpError } from '../../src/domain/errors.js';
import type { TokenSource } from '../../src/ports/token-broker.js';
import { decidePimApproval, PIM_APPROVAL_PENDING } from '../../src/use-cases/decide-pim-approval.js';
import { FakePim, FakePowerPlatform, fakeDeps, signedIn, storedElevation } from '../unit/use-cases/fakes.js';
import { ControlClient, type RecordedRequest } from '../harness/control.js';
import type { TenantModel } from '../simulator/tenant/model.js';
import { ROLES, USERS } from '../simulator/tenant/seed.js';
import { rejection } from '../support/rejection.js';
import { trustingFetch } from './support/trusting-fetch.js';
import { GRAPH_SCOPES, SimulatorFixture } from './simulator-fixture.js';

const ROLE = ROLES.powerPlatformAdministrator;
const APPROVALS = '/graph/beta/roleManagement/directory/roleAssignmentApprovals/';

describe('GraphPimClient: PIM approvals (beta, delegated) against the tenant simulator', function () {
  this.timeout(20_000);
  const f = new SimulatorFixture();
  f.install();
  let pim: GraphPimClient;
  let control: ControlClient;
  /** Delegated Graph tokens through the real msal-node on-behalf-of exchange, per user. */
  const tokenOf = async (user: keyof typeof USERS): Promise<TokenSource> => {
    const token = await f.obo(USERS[user].id, GRAPH_SCOPES);
    return async () => token;
  };

  beforeEach(async () => {
    pim = new GraphPimClient({ baseUrl: `${f.sim.baseUrl}/graph`, http: new HttpClient({ fetch: trustingFetch(f.sim.ca), maxAttempts: 2, baseDelayMs: 10 }) });
    control = new ControlClient(f.sim.baseUrl, f.sim.ca);
    // The role's PIM policy needs an approver from the approvers group (Megan), set as an admin would.
    await control.updateTenant<TenantModel>((tenant) => {
      const policy = tenant.policies.find((p) => p.roleDefinitionId === ROLE)!;
      policy.approvalRequired = true;
    });
  });

  /** Adele asks for Power Platform Administrator; PIM holds it for approval. */
  async function pendingRequest(): Promise<{ approvalId: string; adele: TokenSource }> {
    const adele = await tokenOf('adele');
    const request = await pim.selfActivate(adele, {
      principalId: USERS.adele.id,
      roleDefinitionId: ROLE,
      justification: 'INC-123 broken flow',
      duration: 'PT1H',
      startDateTime: new Date().toISOString(),
    });
    assert.equal(request.status, 'PendingApproval');
    assert.ok(request.approvalId, 'PendingApproval carries the approval id');
    return { approvalId: request.approvalId, adele };
  }

  const isActive = async (adele: TokenSource) => (await pim.listMyActiveAssignments(adele)).some((a) => a.roleDefinitionId === ROLE);

  it('reads the approval with assignedToMe true for the approver and false for the requester', async () => {
    const { approvalId, adele } = await pendingRequest();

    const asMegan = await pim.getRoleAssignmentApproval(await tokenOf('megan'), approvalId);
    const asAdele = await pim.getRoleAssignmentApproval(adele, approvalId);

    assert.equal(asMegan.id, approvalId);
    assert.deepEqual(
      asMegan.steps.map((s) => [s.status, s.assignedToMe, s.reviewResult]),
      [['InProgress', true, 'NotReviewed']],
    );
    assert.deepEqual(
      asAdele.steps.map((s) => s.assignedToMe),
      [false],
    );
  });

  it("approves with the approver's token (204), which activates the requester's role; a second decision answers 409", async () => {
    const { approvalId, adele } = await pendingRequest();
    const megan = await tokenOf('megan');
    const [step] = (await pim.getRoleAssignmentApproval(megan, approvalId)).steps;

    await pim.reviewRoleAssignmentApprovalStep(megan, approvalId, step!.id, {
      reviewResult: 'Approve',
      justification: 'Approved in Microsoft Teams (Elevate)',
    });
    const again = await rejection(pim.reviewRoleAssignmentApprovalStep(megan, approvalId, step!.id, { reviewResult: 'Deny', justification: 'late' }));
    const decided = await pim.getRoleAssignmentApproval(megan, approvalId);

    assert.equal(await isActive(adele), true);
    assert.ok(again instanceof HttpError);
    assert.equal(again.status, 409);
    assert.deepEqual(
      decided.steps.map((s) => [s.status, s.reviewResult, s.reviewedBy?.id, s.justification]),
      [['Completed', 'Approved', USERS.megan.id, 'Approved in Microsoft Teams (Elevate)']],
    );
    const reviews = ((await control.requests('graph')) as RecordedRequest[]).filter((r) => r.method === 'PATCH');
    assert.deepEqual(
      reviews.map((r) => [r.path, r.status, r.token?.oid, r.token?.idtyp ?? 'user']),
      [
        [`${APPROVALS}${approvalId}/steps/${step!.id}`, 204, USERS.megan.id, 'user'],
        [`${APPROVALS}${approvalId}/steps/${step!.id}`, 409, USERS.megan.id, 'user'],
      ],
      'one PATCH each on the beta endpoint with the approver’s delegated token: a 409 is not retried',
    );
  });

  it('refuses a non-approver and the requester with 403, and leaves the request pending', async () => {
    const { approvalId, adele } = await pendingRequest();
    const [step] = (await pim.getRoleAssignmentApproval(await tokenOf('megan'), approvalId)).steps;
    const review = { reviewResult: 'Approve', justification: 'ok' } as const;

    const byLee = await rejection(pim.reviewRoleAssignmentApprovalStep(await tokenOf('lee'), approvalId, step!.id, review));
    const bySelf = await rejection(pim.reviewRoleAssignmentApprovalStep(adele, approvalId, step!.id, review));

    assert.deepEqual(
      [byLee, bySelf].map((e) => (e instanceof HttpError ? [e.status, e.serviceCode] : e.message)),
      [
        [403, 'Authorization_RequestDenied'],
        [403, 'Authorization_RequestDenied'],
      ],
    );
    assert.equal(await isActive(adele), false);
    const [still] = (await pim.getRoleAssignmentApproval(await tokenOf('megan'), approvalId)).steps;
    assert.deepEqual([still?.status, still?.assignedToMe], ['InProgress', true]);
  });

  it('denies with a justification: the request ends and the role stays inactive', async () => {
    const { approvalId, adele } = await pendingRequest();
    const megan = await tokenOf('megan');
    const [step] = (await pim.getRoleAssignmentApproval(megan, approvalId)).steps;

    await pim.reviewRoleAssignmentApprovalStep(megan, approvalId, step!.id, { reviewResult: 'Deny', justification: 'Not during the freeze' });

    const tenant = await control.getTenant<TenantModel>();
    assert.equal(tenant.requests.find((r) => r.approvalId === approvalId)?.status, 'Denied');
    assert.equal(await isActive(adele), false);
  });

  it("lets decidePimApproval refuse Lee and approve as Megan, each on their own token, activating Adele's role", async () => {
    const { approvalId, adele } = await pendingRequest();
    const tokens = { ...signedIn, forUser: (id: string) => async () => f.obo(id, GRAPH_SCOPES) };
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform(), { pim, tokens });
    await storedElevation(deps, 'failed', { pimApprovalId: approvalId, failure: { code: PIM_APPROVAL_PENDING, message: 'waiting for PIM approvers' } });
    const decide = (user: 'lee' | 'megan') =>
      decidePimApproval(deps, { elevationId: 'elevation-1', approverId: USERS[user].id, approverName: USERS[user].name, decision: 'approve' });

    const byLee = await decide('lee');
    const byMegan = await decide('megan');

    assert.deepEqual(byLee.kind === 'refused' && byLee.reason, 'notApprover');
    assert.equal(byMegan.kind, 'decided');
    assert.equal(await isActive(adele), true);
    const review = ((await control.requests('graph')) as RecordedRequest[]).find((r) => r.method === 'PATCH');
    assert.deepEqual((review?.body as { justification?: string }).justification, 'Approved in Microsoft Teams (Elevate) by Megan Bowen');
  });

  it('answers 404 for an approval Graph does not know', async () => {
    const error = await rejection(pim.getRoleAssignmentApproval(await tokenOf('megan'), '00000000-0000-4000-8000-00000000dead'));

    assert.ok(error instanceof HttpError);
    assert.equal(error.status, 404);
  });
});
