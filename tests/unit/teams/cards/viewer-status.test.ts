import assert from 'node:assert/strict';
import { RETENTION } from '../../../../src/domain/retention.js';
import { statusCard } from '../../../../src/teams/cards/status-card.js';
import { plainTime, viewerOf } from '../../../../src/teams/locale/viewer.js';
import { cardText } from '../../../harness/cards.js';
import { SAMPLE_NOW } from '../../../support/card-samples.js';
import { CONTOSO_DEV, CONTOSO_PROD } from './fixtures.js';
import type { ElevationRecord } from '../../../../src/domain/elevation.js';

const base = (changes: Partial<ElevationRecord>): ElevationRecord => ({
  id: 'r-1',
  state: 'active',
  requester: { aadObjectId: 'u', name: 'Adele Vance', tenantId: 't' },
  environment: CONTOSO_PROD,
  options: [],
  roleName: 'Power Platform Administrator',
  duration: 'PT2H',
  createdAt: '2026-03-02T12:00:00.000Z',
  updatedAt: '2026-03-02T12:00:00.000Z',
  history: [],
  ...changes,
});

describe('viewer (locale and zone kept with the chat)', () => {
  it('reads the stored locale and zone, and falls back to en-US / UTC for values Intl does not know', () => {
    assert.deepEqual(viewerOf({ locale: 'de-DE', timezone: 'Europe/Berlin' }), { locale: 'de-DE', timeZone: 'Europe/Berlin' });
    assert.deepEqual(viewerOf({ locale: 'not a locale!', timezone: 'Mars/Olympus' }), { locale: 'en-US', timeZone: 'UTC' });
    assert.deepEqual(viewerOf(undefined), { locale: 'en-US', timeZone: 'UTC' });
  });

  it('writes plain-text times in the viewer locale and zone, naming the zone', () => {
    assert.equal(plainTime({ locale: 'de-DE', timeZone: 'Europe/Berlin' }, '2026-03-02T13:05:00Z'), '02.03.2026, 14:05 MEZ');
    assert.equal(plainTime({ locale: 'en-US', timeZone: 'America/New_York' }, '2026-03-02T13:05:00Z'), 'Mar 2, 2026, 8:05 AM EST');
  });
});

describe('status card', () => {
  it('shows a scheduled "Deactivate when possible" with its time', () => {
    const card = statusCard([base({ activeUntil: '2026-03-02T15:00:00.000Z' })], SAMPLE_NOW, [], { 'r-1': '2026-03-02T13:04:00.000Z' });
    const text = cardText(card);
    assert.match(text, /Deactivate when possible is scheduled/);
    assert.match(text, /\{\{TIME\(2026-03-02T13:04:00Z\)\}\}/);
  });

  it('lists an unsubmitted request card with when it expires, and no longer once it expired (housekeeping removes it)', () => {
    const fresh = base({ id: 'd-1', state: 'draft', environment: CONTOSO_DEV, createdAt: '2026-03-02T12:30:00.000Z' });
    const stale = base({
      id: 'd-2',
      state: 'draft',
      environment: CONTOSO_PROD,
      createdAt: new Date(SAMPLE_NOW.getTime() - RETENTION.draftHours * 3_600_000).toISOString(),
    });
    const text = cardText(statusCard([fresh, stale], SAMPLE_NOW));
    assert.match(text, /Contoso Dev: .*not submitted yet; it expires/);
    assert.match(text, /\{\{DATE\(2026-03-03T12:30:00Z, SHORT\)\}\}/);
    assert.doesNotMatch(text, /Contoso Prod/);
    assert.doesNotMatch(text, /waiting for you to submit/);
  });
});
