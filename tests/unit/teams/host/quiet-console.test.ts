import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { quietTokenExtractor } from '../../../../src/teams/host/quiet-console.js';

/** A stand-in for botframework-connector's token extractor, at its path, writing what 4.23 writes. */
function fakeTokenExtractor(): { refuse(): Promise<void> } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'elevate-quiet-'));
  const dir = path.join(root, 'node_modules', 'botframework-connector', 'lib', 'auth');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'jwtTokenExtractor.js');
  writeFileSync(
    file,
    `exports.refuse = async () => { await Promise.resolve(); console.error(new Error('invalid signature')); console.error('Error finding key for token. Available keys: -----BEGIN PUBLIC KEY-----'); };`,
  );
  return createRequire(__filename)(file) as { refuse(): Promise<void> };
}

describe('quietTokenExtractor', () => {
  afterEach(() => sinon.restore());

  it("drops what botframework-connector's token extractor writes to the console, after an await too, and keeps everything else", async () => {
    const written = sinon.stub(process.stderr, 'write').returns(true);
    quietTokenExtractor();
    await fakeTokenExtractor().refuse();
    console.error('Elevate: something else');
    const text = written.getCalls().map((c) => String(c.args[0]));
    written.restore();
    assert.deepEqual(text, ['Elevate: something else\n']);
  });
});
