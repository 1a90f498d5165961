import assert from 'node:assert/strict';
import { doubleActions, formatSoakReport, soak } from './support/soak.js';
import { startSoakStage, type SoakStage } from './support/soak-stage.js';

const RACES = 50;

/**
 * Issue #11, "Keep the figures": the CI's 50 races of `npm run soak` (the README gives 1,000).
 * Duplicate deliveries, double and redelivered taps, approvers tapping at once: every elevation is
 * activated in PIM and applied in Power Platform exactly once, every approval decided once, and the
 * audit chain stays intact.
 */
describe(`soak: ${RACES} randomized races of duplicates, double taps and racing approvers`, function () {
  this.timeout(300_000);
  let stage: SoakStage;

  before(async () => (stage = await startSoakStage(RACES)));
  after(() => stage?.stop());

  it('no double action, no crash, no 5xx, no hang, every race finished, the audit chain intact', async () => {
    const report = await soak({ stage, races: RACES, seed: 20_260_102, concurrency: 4 });
    const summary = formatSoakReport(report);
    assert.equal(report.races, RACES, summary);
    assert.equal(doubleActions(report), 0, summary);
    assert.equal(report.crashed, false, summary);
    assert.equal(report.serverErrors, 0, summary);
    assert.equal(report.hangs, 0, summary);
    assert.equal(report.outcomes['stuck'] ?? 0, 0, summary);
    assert.equal(report.requestLogGaps, 0, summary);
    assert.equal(report.auditChainIntact, true, summary);
    const elevated = report.outcomes['elevated'] ?? 0;
    assert.ok(elevated > RACES / 2, summary);
    assert.equal(report.activations, elevated, `one PIM activation per elevation: ${summary}`);
    assert.equal(report.applyAdminRole, elevated, `one applyAdminRole per elevation: ${summary}`);
    assert.ok(report.sent > RACES * 4, `duplicates were sent: ${summary}`);
  });
});
