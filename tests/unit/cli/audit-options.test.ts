import assert from 'node:assert/strict';
import { AuditUsageError, DEFAULT_STORE, parseAuditArgs, parseSince } from '../../../src/cli/audit-options.js';

const now = new Date('2026-03-02T12:00:00.000Z');
const HASH = 'ab'.repeat(32);

describe('audit command line', () => {
  it('exports JSON Lines from ELEVATE_STORE by default, else from the default file', () => {
    assert.deepEqual(parseAuditArgs([], { ELEVATE_STORE: 'sqlite:/var/elevate.db' }, now), {
      mode: 'export',
      store: 'sqlite:/var/elevate.db',
      format: 'jsonl',
    });
    assert.deepEqual(parseAuditArgs([], {}, now), { mode: 'export', store: DEFAULT_STORE, format: 'jsonl' });
  });

  it('takes store, since, user, format and out, in either --name value or --name=value form', () => {
    const options = parseAuditArgs(['--store=x.db', '--since', '24h', '--user', 'u-1', '--format=csv', '--out', 'a.csv'], { ELEVATE_STORE: 'ignored' }, now);

    assert.deepEqual(options, { mode: 'export', store: 'x.db', since: new Date('2026-03-01T12:00:00.000Z'), user: 'u-1', format: 'csv', out: 'a.csv' });
  });

  it('verifies, with an optional anchor', () => {
    assert.deepEqual(parseAuditArgs(['--verify'], {}, now), { mode: 'verify', store: DEFAULT_STORE });
    assert.deepEqual(parseAuditArgs(['--verify', '--anchor', `12:${HASH.toUpperCase()}`], {}, now), {
      mode: 'verify',
      store: DEFAULT_STORE,
      anchor: { seq: 12, hash: HASH },
    });
  });

  const spans: [string, string][] = [
    ['30m', '2026-03-02T11:30:00.000Z'],
    ['24h', '2026-03-01T12:00:00.000Z'],
    ['7d', '2026-02-23T12:00:00.000Z'],
    ['2w', '2026-02-16T12:00:00.000Z'],
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T08:00:00+01:00', '2026-03-01T07:00:00.000Z'],
  ];
  for (const [text, expected] of spans) {
    it(`reads --since ${text}`, () => assert.equal(parseSince(text, now).toISOString(), expected));
  }

  const refusals: [string[], RegExp][] = [
    [['--since', 'yesterday'], /--since "yesterday"/],
    [['--since', '2026-13-45'], /--since/],
    [['--format', 'xml'], /--format must be csv or jsonl/],
    [['--verify', '--since', '1h', '--format', 'csv'], /takes no --since, --format/],
    [['--anchor', `1:${HASH}`], /--anchor goes with --verify/],
    [['--verify', '--anchor', '1:abc'], /--anchor must be/],
    [['--verify', '--anchor', `0:${HASH}`], /--anchor must be/],
    [['--user', ' '], /--user needs a value/],
    [['--colour'], /Unknown option '--colour'/],
    [['positional'], /positional/i],
  ];
  for (const [argv, message] of refusals) {
    it(`refuses ${argv.join(' ').replace(HASH, '<hash>')}`, () => {
      assert.throws(
        () => parseAuditArgs(argv, {}, now),
        (error: Error) => error instanceof AuditUsageError && message.test(error.message),
      );
    });
  }
});
