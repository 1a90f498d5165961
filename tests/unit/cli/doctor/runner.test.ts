import assert from 'node:assert/strict';
import { DOCTOR_CHECKS, type CheckResult } from '../../../../src/cli/doctor/catalog.js';
import { DoctorContext } from '../../../../src/cli/doctor/context.js';
import { configFailure, runChecks } from '../../../../src/cli/doctor/runner.js';
import { entraRefusal, failingToken, fixture } from './doctor-fixture.js';

/** A fresh context with the fixture's dependencies but no results yet: the runner fills them in. */
function fresh(options: Parameters<typeof fixture>[0] = {}): DoctorContext {
  return new DoctorContext(fixture(options).ctx.deps);
}

const statusOf = (results: CheckResult[], id: string) => results.find((r) => r.id === id)?.status;

describe('doctor: the runner', () => {
  it('runs every check once, in catalog order, and reports each as it finishes', async () => {
    const seen: string[] = [];
    const results = await runChecks(fresh({ operator: null, routes: [] }), (r) => seen.push(r.id));

    assert.deepEqual(
      results.map((r) => r.id),
      DOCTOR_CHECKS.map((c) => c.id),
    );
    assert.deepEqual(
      seen,
      results.map((r) => r.id),
    );
    assert.ok(results.every((r) => r.title !== '' && r.detail !== ''));
  });

  it("skips the operator's checks without the operator, and the app token's checks when app.credential fails: the root cause fails once", async () => {
    const refused = entraRefusal('invalid_client', '7000215', 'Invalid client secret provided.');
    const results = await runChecks(fresh({ operator: null, appToken: () => failingToken(refused) }));

    assert.equal(statusOf(results, 'app.credential'), 'fail');
    for (const id of ['app.secret-expiry', 'consent.delegated', 'pim.policies'])
      assert.match(results.find((r) => r.id === id)!.detail, /needs the operator's sign-in/);
    for (const id of ['pp.management-app', 'dataverse.app-user', 'group.security', 'policy.approvers']) {
      assert.deepEqual([statusOf(results, id), results.find((r) => r.id === id)!.detail], ['skip', "needs Elevate's app token (app.credential)"]);
    }
    assert.deepEqual(
      results.filter((r) => r.status === 'fail').map((r) => r.id),
      ['app.credential'],
    );
  });

  it("turns a check's unexpected error into that check's own failure and goes on", async () => {
    const results = await runChecks(fresh({ operator: null, routes: [], policy: 'rules: [' }), () => undefined);

    // A routed fetch without routes throws "unexpected call": the checks that call out fail, the run completes.
    assert.equal(results.length, DOCTOR_CHECKS.length);
    assert.equal(statusOf(results, 'bot.credentials'), 'pass');
    assert.match(results.find((r) => r.id === 'group.security')!.detail, /Graph could not be asked/);
  });

  it('fails only the config line when the configuration does not load', () => {
    const results = configFailure('Configuration error: SECURITY_GROUP_ID is required');

    assert.deepEqual(
      results.map((r) => r.status),
      ['fail', ...Array<string>(DOCTOR_CHECKS.length - 1).fill('skip')],
    );
    assert.match(results[0]!.fix ?? '', /"Configuration" table/);
  });
});
