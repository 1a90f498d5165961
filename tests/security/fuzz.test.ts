import assert from 'node:assert/strict';
import { TeamsClient, USERS } from '../harness/index.js';
import { fuzz, formatFuzzReport } from './support/fuzzer.js';
import { startFuzzStage, type FuzzStage } from './support/fuzz-stage.js';

/**
 * Issue #11, "Keep the figures": the CI's short run of `npm run fuzz` (the README gives the long
 * one). Randomized and mutated activities with genuine tokens: no crash, no 5xx, no hang, and no
 * turn that ended in "Something went wrong"; the bot still answers a normal command afterwards.
 */
describe('fuzzing: 300 hostile activities with genuine tokens', function () {
  this.timeout(120_000);
  let stage: FuzzStage;

  before(async () => (stage = await startFuzzStage()));
  after(() => stage?.stop());

  it('no crash, no 5xx, no hang, no failed turn, and Elevate still answers', async () => {
    const report = await fuzz({ ...stage, count: 300, seed: 20_260_101, concurrency: 4 });
    const summary = formatFuzzReport(report);
    assert.equal(report.sent, 300, summary);
    assert.equal(report.crashed, false, summary);
    assert.equal(report.serverErrors, 0, summary);
    assert.equal(report.hangs, 0, summary);
    assert.equal(report.connectionErrors, 0, summary);
    assert.equal(report.turnFailures, 0, summary);
    assert.ok((report.statuses['200'] ?? 0) > 100, `most activities reach Elevate's handlers: ${summary}`);

    const adele = new TeamsClient({ botUrl: stage.bot.url, sim: stage.sim, user: USERS.adele, conversation: { id: 'a:1-after-fuzz' } });
    assert.equal((await adele.say('help')).status, 200);
    await adele.waitForText('elevate me in');
  });
});
