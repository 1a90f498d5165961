import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { ElevationRecord } from '../../../src/domain/elevation.js';
import { HttpError } from '../../../src/domain/errors.js';
import type { RoleAssignmentScheduleRequest, SelfActivateRequest } from '../../../src/ports/pim-directory.js';
import type { TokenSource } from '../../../src/ports/token-broker.js';
import { applyExtension } from '../../../src/use-cases/apply-extension.js';
import type { ElevationDeps } from '../../../src/use-cases/deps.js';
import { saveExtension } from '../../../src/use-cases/save-extension.js';
import { FakePim, FakePowerPlatform, ROLE, USER, fakeDeps, storedElevation } from './fakes.js';

const MINUTE = 60_000;
/** fakeDeps' clock starts here; the elevation ends an hour later. */
const T0 = Date.parse('2026-11-22T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const END = iso(T0 + 60 * MINUTE);

const granted = (id: string): RoleAssignmentScheduleRequest => ({ id, status: 'Granted', action: 'selfActivate', principalId: USER, roleDefinitionId: ROLE });
const graphRefusal = (status: number, code: string) => new HttpError(`graph answered HTTP ${status} (${code})`, status, code, 'graph-req', {});

/** PIM answering each selfActivate from a script (in order), and every selfDeactivate with `Revoked`. */
class ScriptedPim extends FakePim {
  readonly activations: SelfActivateRequest[] = [];
  constructor(private readonly script: ((request: SelfActivateRequest) => Promise<RoleAssignmentScheduleRequest>)[]) {
    super();
  }
  // Optional parameters: FakePim's own selfActivate takes none.
  override async selfActivate(_token?: TokenSource, request?: SelfActivateRequest): Promise<RoleAssignmentScheduleRequest> {
    if (!request) throw new Error('no request');
    this.activations.push(request);
    const next = this.script.shift();
    if (!next) throw new Error('not scripted');
    return next(request);
  }
  override async selfDeactivate(): Promise<RoleAssignmentScheduleRequest> {
    return { id: 'deactivation', status: 'Revoked', action: 'selfDeactivate', principalId: USER, roleDefinitionId: ROLE };
  }
}

const stored = async (deps: ElevationDeps) => (await deps.store.getElevation('elevation-1'))!;
const anomalies = async (deps: ElevationDeps) => (await deps.audit.list()).filter((e) => e.type === 'extensionAnomaly').map((e) => e.details['anomaly']);

afterEach(() => sinon.restore());

describe('applying an extension (issue #16): the extending lease and a PIM role lost on the way', () => {
  it('a tap whose PIM call outlasted its lease saves nothing over the extension a second tap made meanwhile: audited and alerted', async () => {
    let second: Awaited<ReturnType<typeof applyExtension>> | undefined;
    const pim = new ScriptedPim([
      // The first tap's activation: PIM (with retries) answers after three minutes; the second tap comes in meanwhile.
      async () => {
        await deps.clock.sleep(3 * MINUTE);
        second = await applyExtension(deps, await stored(deps), 30, undefined);
        return granted('pim-first');
      },
      async () => granted('pim-second'),
    ]);
    const deps = fakeDeps(pim, new FakePowerPlatform());
    const alert = sinon.spy(deps.notifier, 'alert');
    await storedElevation(deps, 'active', { activeUntil: END });

    const first = await applyExtension(deps, await stored(deps), 30, undefined);

    assert.equal(second?.kind, 'extended', 'the second tap took the lapsed lease and extended');
    assert.equal(first.kind, 'alreadyExtended');
    const record = (await stored(deps)).value;
    assert.equal(record.extensions?.length, 1, 'one extension recorded');
    assert.equal(record.extensions?.[0]?.pimRequestId, 'pim-second');
    assert.equal(record.activeUntil, iso(Date.parse(END) + 30 * MINUTE));
    assert.deepEqual(await anomalies(deps), ['leaseLost']);
    assert.deepEqual(
      alert.getCalls().map((c) => c.args[1]),
      [{ kind: 'extensionNotSaved', from: END, until: iso(Date.parse(END) + 30 * MINUTE) }],
    );
  });

  it('saves only under its own lease: not under a later lease of the same instance, nor once the end has moved', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform());
    const mine = { owner: 'test#boot-1', until: iso(T0 + 2 * MINUTE) };
    const lengthened = { kind: 'lengthened' as const, path: 'scheduled' as const, until: iso(Date.parse(END) + 30 * MINUTE), pimRequestId: 'pim-1' };
    const applied = { minutes: 30, from: END, lease: mine, lengthened };
    await storedElevation(deps, 'active', { activeUntil: END, extending: { ...mine, until: iso(T0 + 5 * MINUTE), from: END, minutes: 30 } });

    assert.equal((await saveExtension(deps, 'elevation-1', applied)).kind, 'notSaved', 'another lease of the same owner');
    let current = await stored(deps);
    await deps.store.updateElevation({ ...current.value, extending: { ...mine, from: END, minutes: 30 }, activeUntil: iso(T0 + 90 * MINUTE) }, current.version);
    assert.equal((await saveExtension(deps, 'elevation-1', applied)).kind, 'notSaved', 'the end moved');
    assert.equal((await stored(deps)).value.extensions, undefined);
    assert.deepEqual(await anomalies(deps), ['leaseLost', 'leaseLost']);

    current = await stored(deps);
    await deps.store.updateElevation({ ...current.value, activeUntil: END }, current.version);
    const saved = await saveExtension(deps, 'elevation-1', applied);
    assert.equal(saved.kind, 'saved', 'its own lease, the end it extended');
    assert.equal(saved.record.extending, undefined, 'the lease goes with the save');
    assert.equal(saved.record.activeUntil, lengthened.until);
  });

  it('when PIM takes neither the new activation nor the time that was left, marks the elevation, ends it now and alerts', async () => {
    const pim = new ScriptedPim([
      async () => Promise.reject(graphRefusal(400, 'RoleAssignmentExists')),
      async () => Promise.reject(graphRefusal(400, 'RoleAssignmentRequestPolicyValidationFailed')),
      async () => Promise.reject(graphRefusal(403, 'AuthorizationFailed')),
    ]);
    const deps = fakeDeps(pim, new FakePowerPlatform());
    const alert = sinon.spy(deps.notifier, 'alert');
    await storedElevation(deps, 'active', { activeUntil: END });
    await deps.clock.sleep(10 * MINUTE);

    const outcome = await applyExtension(deps, await stored(deps), 30, undefined);

    assert.equal(pim.activations.length, 3, 'after the deactivation: the longer activation, then the 50 minutes that were left');
    assert.equal(pim.activations[2]?.duration, 'PT50M');
    assert.equal(outcome.kind === 'refused' && outcome.reason, 'pimRoleLost');
    const record: ElevationRecord = (await stored(deps)).value;
    const now = deps.clock.now().toISOString();
    assert.equal(record.state, 'active', 'the clean-up ends it');
    assert.deepEqual(record.pimRoleLost, {
      at: now,
      detail: 'activating again: RoleAssignmentRequestPolicyValidationFailed; giving back what was left: AuthorizationFailed',
    });
    assert.equal(record.activeUntil, now, 'its end is now');
    assert.equal(record.extending, undefined);
    const timers = await deps.timers.list('elevation-1');
    assert.deepEqual(
      timers.map((t) => [t.kind, t.dueAt]),
      [['expiry', now]],
      'the expiry runs at once, no reminder of the old end is left',
    );
    assert.deepEqual(await anomalies(deps), ['pimRoleLost']);
    assert.equal(alert.firstCall?.args[1].kind, 'pimRoleLost');
  });

  it('gives back the time that was left when the longer activation is refused: refused, the elevation as it was', async () => {
    const pim = new ScriptedPim([
      async () => Promise.reject(graphRefusal(400, 'RoleAssignmentExists')),
      async () => Promise.reject(graphRefusal(400, 'RoleAssignmentRequestPolicyValidationFailed')),
      async () => granted('pim-restored'),
    ]);
    const deps = fakeDeps(pim, new FakePowerPlatform());
    const alert = sinon.spy(deps.notifier, 'alert');
    await storedElevation(deps, 'active', { activeUntil: END });
    await deps.clock.sleep(10 * MINUTE);

    const outcome = await applyExtension(deps, await stored(deps), 30, undefined);

    assert.deepEqual(outcome.kind === 'refused' && [outcome.reason, outcome.detail], ['pimRefused', 'RoleAssignmentRequestPolicyValidationFailed']);
    const record = (await stored(deps)).value;
    assert.deepEqual([record.activeUntil, record.pimRoleLost, record.extending], [END, undefined, undefined]);
    assert.deepEqual(await anomalies(deps), []);
    assert.equal(alert.callCount, 0);
  });

  it('counts a role left with less than PIM’s 5 minutes, which cannot be given back, as lost', async () => {
    const pim = new ScriptedPim([
      async () => Promise.reject(graphRefusal(400, 'RoleAssignmentExists')),
      async () => Promise.reject(graphRefusal(400, 'RoleAssignmentRequestPolicyValidationFailed')),
    ]);
    const deps = fakeDeps(pim, new FakePowerPlatform());
    await storedElevation(deps, 'active', { activeUntil: END });
    await deps.clock.sleep(57 * MINUTE);

    const outcome = await applyExtension(deps, await stored(deps), 30, undefined);

    assert.equal(outcome.kind === 'refused' && outcome.reason, 'pimRoleLost');
    assert.equal(pim.activations.length, 2, 'nothing PIM would refuse is sent');
    assert.match((await stored(deps)).value.pimRoleLost?.detail ?? '', /3 min left, less than PIM's minimum/);
  });
});
