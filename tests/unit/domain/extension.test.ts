import assert from 'node:assert/strict';
import { checkExtension, extensionLeft, extensionLimits, extensionSettingsProblems, type ElevationExtension } from '../../../src/domain/extension.js';

const NOW = new Date('2026-03-02T10:00:00Z');
const inMinutes = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();
const done = (minutes: number): ElevationExtension => ({ at: NOW.toISOString(), minutes, from: inMinutes(0), until: inMinutes(minutes), path: 'scheduled' });
const active = (extensions: ElevationExtension[] = [], extra: object = {}) => ({ state: 'active' as const, activeUntil: inMinutes(15), extensions, ...extra });

describe('extension (issue #16)', () => {
  const limits = extensionLimits({ maximumExtensions: 2, maximumExtensionTotal: 'PT2H' }, false);

  it('defaults to two extensions adding up to two hours, approved like the rule', () => {
    assert.deepEqual(extensionLimits({}, true), { maximumCount: 2, maximumTotalMinutes: 120, approvalRequired: true });
    assert.equal(extensionLimits({ extensionApproval: false }, true).approvalRequired, false);
  });

  const cases: { name: string; record: Parameters<typeof checkExtension>[0]; requested?: number; expected: ReturnType<typeof checkExtension> }[] = [
    { name: 'the default hour', record: active(), expected: { ok: true, minutes: 60 } },
    { name: 'what is left when less than an hour is', record: active([done(90)]), expected: { ok: true, minutes: 30 } },
    { name: 'a requested length within the total', record: active([done(60)]), requested: 60, expected: { ok: true, minutes: 60 } },
    {
      name: 'beyond the total: refused, not cut',
      record: active([done(90)]),
      requested: 60,
      expected: { ok: false, reason: 'totalExceeded', left: { count: 1, minutes: 30 } },
    },
    { name: 'past the count', record: active([done(10), done(10)]), expected: { ok: false, reason: 'countExhausted', left: { count: 0, minutes: 0 } } },
    { name: 'under PIM’s five minutes', record: active(), requested: 3, expected: { ok: false, reason: 'tooShort', left: { count: 2, minutes: 120 } } },
    { name: 'break glass, never', record: active([], { breakGlass: true }), expected: { ok: false, reason: 'breakGlass', left: { count: 2, minutes: 120 } } },
    {
      name: 'not active',
      record: { state: 'ended', activeUntil: inMinutes(15) },
      expected: { ok: false, reason: 'notActive', left: { count: 2, minutes: 120 } },
    },
    {
      name: 'its end already passed',
      record: { state: 'active', activeUntil: inMinutes(-1) },
      expected: { ok: false, reason: 'ended', left: { count: 2, minutes: 120 } },
    },
  ];
  for (const c of cases) {
    it(`decides ${c.name}`, () => assert.deepEqual(checkExtension(c.record, c.requested, limits, NOW), c.expected));
  }

  it('is switched off by maximumExtensions: 0', () => {
    const off = extensionLimits({ maximumExtensions: 0 }, false);
    assert.deepEqual(checkExtension(active(), undefined, off, NOW), { ok: false, reason: 'notAllowed', left: { count: 0, minutes: 0 } });
  });

  it('counts what is left over a long elevation (a day of extensions, fake clock)', () => {
    const day = extensionLimits({ maximumExtensions: 10, maximumExtensionTotal: 'PT24H' }, false);
    const record = active(Array.from({ length: 9 }, () => done(150)));
    assert.deepEqual(extensionLeft(record, day), { count: 1, minutes: 24 * 60 - 9 * 150 });
    assert.deepEqual(checkExtension(record, 90, day, NOW), { ok: true, minutes: 90 });
  });

  it('names bad policy values', () => {
    assert.deepEqual(
      extensionSettingsProblems({ maximumExtensions: 11, maximumExtensionTotal: 'two hours' }).map((p) => p.field),
      ['maximumExtensions', 'maximumExtensionTotal'],
    );
    assert.deepEqual(
      extensionSettingsProblems({ maximumExtensionTotal: 'PT25H' }).map((p) => p.field),
      ['maximumExtensionTotal'],
    );
    assert.deepEqual(extensionSettingsProblems({ maximumExtensions: 0, maximumExtensionTotal: 'PT30M' }), []);
  });
});
