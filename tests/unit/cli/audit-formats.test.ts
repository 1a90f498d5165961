import assert from 'node:assert/strict';
import { sha256Hex } from '../../../src/adapters/store/audit-hash.js';
import { csvField, csvHeader, toCsvRow, toJsonLine } from '../../../src/cli/audit-formats.js';
import { sealAuditEntry, storedAuditEntry, verifyChain, type AuditEntry, type AuditEvent } from '../../../src/domain/audit.js';
import { testAuditKeys } from '../../support/audit-keys.js';
import { auditEntryFromCsv, parseCsvObjects } from './csv-parse.js';

const events: AuditEvent[] = [
  {
    type: 'requested',
    at: '2026-03-01T10:00:00.000Z',
    actor: { aadObjectId: 'u-1', name: 'Vance, Adele "AV"' },
    elevationId: 'e-1',
    environment: { id: 'env-1', displayName: ' Contoso, Prod ' },
    roleName: 'Power Platform Administrator',
    details: { justification: 'INC-42: "prod" down,\r\nneeds a fix\nnow', minutes: 90, mfa: true, ticket: null },
  },
  { type: 'expired', at: '2026-03-01T12:00:00.000Z', subject: { aadObjectId: 'u-1' }, details: {} },
  { type: 'channelConfigured', at: '2026-03-01T12:30:00.000Z', actor: { aadObjectId: 'admin' }, details: { channel: '19:abc@thread.tacv2' } },
];

const keys = testAuditKeys();

async function chain(): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (const event of events) entries.push((await sealAuditEntry(sha256Hex, keys.sealer, entries.at(-1), event)).entry);
  return entries;
}

describe('audit export formats', () => {
  it('quotes CSV fields as RFC 4180 requires', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(' padded'), '" padded"');
  });

  it('writes a CSV header and one CRLF-terminated record per entry that parse back to the same, verifiable entries', async () => {
    const entries = await chain();
    const text = csvHeader() + entries.map(toCsvRow).join('');

    const parsed = parseCsvObjects(text).map(auditEntryFromCsv);

    assert.ok(text.startsWith('seq,at,type,actor_id,actor_name,'));
    assert.ok(text.split('\r\n')[0]?.endsWith(',prev_hash,hash,key_id'));
    assert.deepEqual(parsed, entries);
    assert.deepEqual(await verifyChain(parsed.map(storedAuditEntry), { sha256: sha256Hex, check: (...args) => keys.check(...args) }), {
      ok: true,
      count: 3,
      unkeyed: 0,
      last: { seq: 3, hash: entries[2]?.hash, keyId: 'test-1' },
    });
  });

  it('writes one JSON object per line that parses back to the same entries', async () => {
    const entries = await chain();
    const text = entries.map(toJsonLine).join('');

    const lines = text.split('\n');

    assert.equal(lines.length, entries.length + 1);
    assert.equal(lines.at(-1), '');
    assert.deepEqual(
      lines.slice(0, -1).map((line) => JSON.parse(line) as AuditEntry),
      entries,
    );
  });
});
