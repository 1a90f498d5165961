import assert from 'node:assert/strict';
import { submitRequest } from '../../../src/use-cases/submit-request.js';
import { FakePim, FakePowerPlatform, ROLE, USER, fakeDeps, storedElevation } from './fakes.js';

const CARD = { conversationId: 'a:1', activityId: '1' };
const INPUT = { requestId: 'elevation-1', roleId: ROLE, duration: 'PT2H', justification: 'INC0012345 restore the flow' };

/** Counts the Graph reads a tap makes. */
class CountingPim extends FakePim {
  reads = 0;
  override async listMyEligibilities() {
    this.reads++;
    return super.listMyEligibilities();
  }
  override async listMyActiveAssignments() {
    this.reads++;
    return super.listMyActiveAssignments();
  }
  override async getActivationPolicy() {
    this.reads++;
    return super.getActivationPolicy();
  }
}

describe('submitRequest: the tap on Elevate (issue #13: no Graph read on the critical path)', () => {
  it('starts the activation from the roles read for the request card, without reading Graph again', async () => {
    const pim = new CountingPim();
    const deps = fakeDeps(pim, new FakePowerPlatform());
    await storedElevation(deps, 'draft', { roleId: undefined, duration: undefined, justification: undefined });

    const outcome = await submitRequest(deps, USER, INPUT, CARD);

    assert.equal(outcome.kind, 'started');
    assert.equal(pim.reads, 0);
  });

  it("still checks Elevate's rules on the server: a role not offered, or a duration over the role's maximum, is refused", async () => {
    const deps = fakeDeps(new CountingPim(), new FakePowerPlatform());
    await storedElevation(deps, 'draft', { roleId: undefined, duration: undefined, justification: undefined });

    const otherRole = await submitRequest(deps, USER, { ...INPUT, roleId: '62e90394-69f5-4237-9190-012177145e10' }, CARD);
    const tooLong = await submitRequest(deps, USER, { ...INPUT, duration: 'PT9H' }, CARD);

    assert.deepEqual([otherRole.kind, tooLong.kind], ['invalid', 'invalid']);
  });
});
