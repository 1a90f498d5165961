import assert from 'node:assert/strict';
import type { CheckResult } from '../../../../src/cli/doctor/catalog.js';
import { exitCodeOf, formatLine, formatSummary, summarize, toJson } from '../../../../src/cli/doctor/format.js';

const result = (status: CheckResult['status'], fix?: string): CheckResult => ({
  id: 'group.security',
  title: 'Security group',
  status,
  detail: 'what was found',
  ...(fix ? { fix } : {}),
});

describe('doctor: output', () => {
  it('prints one line per check: icon, id, title, detail and, when something is wrong, the fix', () => {
    assert.equal(formatLine(result('pass')), '✅ group.security — Security group: what was found');
    assert.equal(formatLine(result('fail', 'set SECURITY_GROUP_ID')), '❌ group.security — Security group: what was found → fix: set SECURITY_GROUP_ID');
    assert.equal(formatLine(result('warn', 'rotate it')), '⚠ group.security — Security group: what was found → fix: rotate it');
    assert.equal(formatLine(result('skip')), '⚠ group.security — Security group: skipped: what was found');
  });

  it('exits 0 only when nothing failed; warnings and skips do not fail the run', () => {
    assert.equal(exitCodeOf([result('pass'), result('warn', 'x'), result('skip')]), 0);
    assert.equal(exitCodeOf([result('pass'), result('fail', 'x')]), 1);
  });

  it('summarizes, and says what the exit status covers with --no-operator', () => {
    const results = [result('pass'), result('fail', 'x'), result('warn', 'y'), result('skip')];
    assert.deepEqual(summarize(results), { pass: 1, fail: 1, warn: 1, skip: 1 });
    assert.equal(formatSummary(results, false), '4 checks: 1 passed, 1 failed, 1 warning, 1 skipped.');
    assert.match(formatSummary(results, true), /skipped \(--no-operator\): the exit status covers only the checks that ran\.$/);
  });

  it('writes one JSON document for scripts', () => {
    const parsed = JSON.parse(toJson([result('pass'), result('fail', 'x')], 'signed-in')) as Record<string, unknown>;
    assert.deepEqual(parsed, {
      ok: false,
      operator: 'signed-in',
      summary: { pass: 1, fail: 1, warn: 0, skip: 0 },
      checks: [result('pass'), result('fail', 'x')],
    });
  });
});
