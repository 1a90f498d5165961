import assert from 'node:assert/strict';
import { sweepCard, sweepPreviewCard } from '../../../../src/teams/cards/sweep-card.js';
import { VERBS } from '../../../../src/teams/cards/verbs.js';
import { Texts } from '../../../../src/teams/locale/texts.js';
import type { SweepRecord } from '../../../../src/use-cases/sweep-record.js';
import { cardText, findAction } from '../../../harness/cards.js';

const SWEEP: SweepRecord = {
  id: 'sweep-7',
  scope: 'all',
  requestedBy: { aadObjectId: 'a0000000-0000-4000-8000-00000000e570', name: 'Nestor Wilke' },
  createdAt: '2026-12-06T08:00:00Z',
  expiresAt: '2026-12-06T09:00:00Z',
  state: 'preview',
  items: [
    {
      environmentId: 'e1',
      environmentName: 'Contoso UAT',
      environmentUrl: 'https://uat.crm.example',
      systemUserId: '5e000000-0000-4000-8000-000000000003',
      roleId: '7e000000-0000-4000-8000-000000000001',
      name: 'Diego Siciliani',
      status: 'pending',
    },
  ],
  kept: [{ environmentName: 'Fabrikam Sales', name: 'Alex Wilber', reason: 'lastAdministrator' }],
};

describe('sweep cards', () => {
  it('puts only the sweep id on Confirm and Cancel: what is removed is read from the store on the tap', () => {
    const card = sweepPreviewCard(SWEEP, new Texts({ locale: 'en-GB', timeZone: 'Europe/London' }));
    assert.deepEqual(findAction(card, VERBS.sweepConfirm)?.data, { sweepId: 'sweep-7' });
    assert.ok(findAction(card, VERBS.sweepCancel));
    assert.match(cardText(card), /Keep: Alex Wilber in Fabrikam Sales \(last System Administrator\)/);
  });

  it('speaks German and French to readers of those languages', () => {
    assert.match(cardText(sweepPreviewCard(SWEEP, new Texts({ locale: 'de-DE', timeZone: 'Europe/Berlin' }))), /Entfernen: Diego Siciliani in Contoso UAT/);
    assert.match(cardText(sweepPreviewCard(SWEEP, new Texts({ locale: 'fr-FR', timeZone: 'Europe/Paris' }))), /Retirer : Diego Siciliani dans Contoso UAT/);
  });

  it('sums up a finished sweep without buttons', () => {
    const done = sweepCard(
      { ...SWEEP, state: 'done', confirmedBy: { aadObjectId: 'x', name: 'Megan Bowen' }, items: [{ ...SWEEP.items[0]!, status: 'removed' }] },
      new Texts({ locale: 'en-US', timeZone: 'UTC' }),
    );
    assert.match(cardText(done), /Sweep done: 1 removed/);
    assert.match(cardText(done), /1 removed, 0 already gone, 0 kept at removal time, 0 failed\. Asked by Nestor Wilke, confirmed by Megan Bowen\./);
    assert.equal(findAction(done, VERBS.sweepConfirm), undefined);
  });
});
