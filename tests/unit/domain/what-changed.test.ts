import assert from 'node:assert/strict';
import { activityWindowStart, summarizeActivity, type AuditEntry } from '../../../src/domain/what-changed.js';

const entry = (at: string, operation: number, table: string, recordName?: string): AuditEntry => ({
  at,
  operation,
  table,
  recordId: '11111111-1111-4111-8111-111111111111',
  ...(recordName ? { recordName } : {}),
});

describe('what changed (domain)', () => {
  it('counts by operation and table, most first, and names the first records in time order', () => {
    const summary = summarizeActivity(
      {
        auditing: 'on',
        truncated: false,
        entries: [
          entry('2026-01-01T10:03:00Z', 2, 'account', 'Fabrikam'),
          entry('2026-01-01T10:01:00Z', 1, 'contact', 'Adele'),
          entry('2026-01-01T10:02:00Z', 2, 'account', 'Contoso'),
          entry('2026-01-01T10:04:00Z', 3, 'account', 'Litware'),
          entry('2026-01-01T10:05:00Z', 99, 'flowsession'),
        ],
      },
      3,
    );
    assert.equal(summary.state, 'on');
    if (summary.state !== 'on') return;
    assert.equal(summary.total, 5);
    assert.deepEqual(summary.byOperation, [
      { operation: 'Update', count: 2 },
      { operation: 'Create', count: 1 },
      { operation: 'Delete', count: 1 },
      { operation: 'Other', count: 1 },
    ]);
    assert.deepEqual(summary.byTable, [
      { table: 'account', count: 3 },
      { table: 'contact', count: 1 },
      { table: 'flowsession', count: 1 },
    ]);
    assert.deepEqual(
      summary.first.map((e) => e.recordName),
      ['Adele', 'Contoso', 'Fabrikam'],
    );
  });

  it('says auditing is off when the environment does not audit', () => {
    assert.deepEqual(summarizeActivity({ auditing: 'off' }), { state: 'off' });
  });

  it('keeps the truncation flag and bounds the record names', () => {
    const summary = summarizeActivity({ auditing: 'on', truncated: true, entries: [entry('2026-01-01T10:00:00Z', 1, 'account', 'x'.repeat(300))] });
    assert.ok(summary.state === 'on' && summary.truncated && summary.first[0]!.recordName!.length === 100);
  });

  it('starts the window when the PIM role was active, else at the record creation', () => {
    const history = [
      { at: '2026-01-01T09:59:00Z', state: 'activating' },
      { at: '2026-01-01T10:00:00Z', state: 'elevating' },
    ];
    assert.equal(activityWindowStart(history, '2026-01-01T09:58:00Z'), '2026-01-01T10:00:00Z');
    assert.equal(activityWindowStart([], '2026-01-01T09:58:00Z'), '2026-01-01T09:58:00Z');
  });
});
