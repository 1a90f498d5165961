import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { quietTokenExtractor } from '../../../../src/teams/host/quiet-console.js';

const roots: string[] = [];

/**
 * A stand-in for botframework-connector's token extractor, at its path, writing what 4.23 writes: the
 * compiled `lib/auth/jwtTokenExtractor.js`, or `src/auth/jwtTokenExtractor.ts` as a source-mapped stack
 * names it (tsx, --enable-source-maps).
 */
function fakeTokenExtractor(file: 'lib/auth/jwtTokenExtractor.js' | 'src/auth/jwtTokenExtractor.ts'): { refuse(): Promise<void> } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'elevate-quiet-'));
  roots.push(root);
  const full = path.join(root, 'node_modules', 'botframework-connector', ...file.split('/'));
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(
    full,
    `exports.refuse = async () => { await Promise.resolve(); console.error(new Error('invalid signature')); console.error('Error finding key for token. Available keys: -----BEGIN PUBLIC KEY-----'); };`,
  );
  return createRequire(__filename)(full) as { refuse(): Promise<void> };
}

describe('quietTokenExtractor', () => {
  afterEach(() => sinon.restore());
  after(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it("drops what botframework-connector's token extractor writes to the console (compiled or source-mapped), after an await too, and keeps everything else", async () => {
    const written = sinon.stub(process.stderr, 'write').returns(true);
    quietTokenExtractor();
    await fakeTokenExtractor('lib/auth/jwtTokenExtractor.js').refuse();
    await fakeTokenExtractor('src/auth/jwtTokenExtractor.ts').refuse();
    console.error('Elevate: something else');
    const text = written.getCalls().map((c) => String(c.args[0]));
    written.restore();
    assert.deepEqual(text, ['Elevate: something else\n']);
  });
});
