import assert from 'node:assert/strict';
import { cardOf, cardText, type CardSource } from '../harness/index.js';
import { activationRequests, hasVerb } from '../e2e/support/flow.js';
import { assertNothingChanged, tenantChanges } from './support/guard.js';
import { APPROVE, VALID_INPUTS, cardActionActivity, setUpStage, type Stage } from './support/tamper-setup.js';
import { TAMPERED_APPROVALS } from './support/tampered-approvals.js';
import { TAMPERED_REQUESTS, type TamperCase } from './support/tampered-requests.js';

const CASES: [string, TamperCase[]][] = [
  ['requester actions', TAMPERED_REQUESTS],
  ['approver actions', TAMPERED_APPROVALS],
];
const COUNT = TAMPERED_REQUESTS.length + TAMPERED_APPROVALS.length;

/**
 * Issue #11, "Keep the figures": tampered `Action.Execute` taps (another user's request id, wrong
 * verbs, tampered role, duration and justification, oversized fields, wrong types, another tenant,
 * approver forgeries). Each gets the status and a clear card, never "Something went wrong", and
 * nothing reaches PIM, Power Platform or Dataverse; afterwards the draft and the approval still work.
 */
describe(`tampered card actions: a corpus of ${COUNT}, each refused with a clear answer and nothing done in the tenant`, function () {
  this.timeout(120_000);
  let stage: Stage;

  before(async () => (stage = await setUpStage()));
  after(() => stage?.stop());

  async function send(tamper: TamperCase) {
    const client = stage.clients[tamper.by];
    const value = tamper.value
      ? tamper.value(stage)
      : { action: { type: 'Action.Execute', verb: tamper.verb, data: tamper.data?.(stage) ?? {} }, trigger: 'manual' };
    const replyTo = tamper.card === 'approval' ? stage.approvalCard.id : stage.draftCard.id;
    const activity = cardActionActivity(client, value, replyTo);
    return client.send(tamper.activity ? tamper.activity(activity, stage) : activity);
  }

  for (const [group, cases] of CASES) {
    describe(group, () => {
      for (const tamper of cases) {
        it(`${tamper.name}: ${tamper.status}${tamper.says ? `, "${tamper.says.source.slice(0, 40)}"` : ''}, nothing reaches the tenant`, async () => {
          const before = await tenantChanges(stage.sim);
          const answer = await send(tamper);
          assert.equal(answer.status, tamper.status, `answered ${answer.status}: ${JSON.stringify(answer.body)?.slice(0, 300)}`);
          if (tamper.says) {
            const text = cardText(cardOf(answer.body as CardSource));
            assert.match(text, tamper.says);
            assert.doesNotMatch(text, /Something went wrong/);
          }
          // Work a tap starts after answering (a background activation) would show within a moment.
          await new Promise((resolve) => setTimeout(resolve, 100));
          await assertNothingChanged(stage.sim, before, tamper.name);
        });
      }
    });
  }

  // Mocha runs a suite's own tests before its nested suites: the control is a suite of its own, last.
  describe('afterwards', () => {
    it('(control) Megan approves the waiting request, and Adele elevates with her untouched draft', async () => {
      const { clients, sim } = stage;
      const approved = await clients.megan.tap(stage.approvalCard, APPROVE);
      assert.match(cardText(approved.card), /You approved this/);
      await clients.adele.waitFor((r) => hasVerb(r, 'elevate.activate'), { what: 'the Approved card' });
      assert.equal(await activationRequests(sim), 0, 'approval alone activates nothing');

      const tap = await clients.adele.tap(stage.draftCard, 'elevate.submit', VALID_INPUTS);
      assert.equal(tap.status, 200);
      await clients.adele.waitFor((r) => r.id === stage.draftCard.id && /Elevated in/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the elevation' });
      assert.equal(await activationRequests(sim), 1);
    });
  });
});
