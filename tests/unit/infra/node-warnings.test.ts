import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BOT_NODE_FLAG } from '../../harness/bot-process.js';
import { repoRoot } from '../../harness/index.js';

const root = repoRoot();
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const FLAG = '--disable-warning=DEP0111';

/** stderr of a node child that loads restify, as the bot does (restify → spdy → http-deceiver). */
function loadRestify(flags: string[], extra = ''): string {
  const child = spawnSync(process.execPath, [...flags, '-e', `require('restify');${extra}`], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return child.stderr;
}

describe('the DEP0111 warning of restify (README, Quick start)', () => {
  it('is printed when restify loads without the flag, and silenced with it', () => {
    assert.match(loadRestify([]), /DEP0111/);
    assert.doesNotMatch(loadRestify([FLAG]), /DEP0111/);
  });

  it('silences only DEP0111: other warnings still print', () => {
    const stderr = loadRestify([FLAG], "process.emitWarning('still shown', 'DeprecationWarning', 'DEP0005');");
    assert.match(stderr, /DEP0005/);
  });

  it('is silenced wherever the bot starts: npm start, npm run dev, the Dockerfile, App Service and the test harness', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts['start'] ?? '', /^node --disable-warning=DEP0111 dist\/src\/main\.js$/);
    assert.match(read('scripts/dev.mjs'), /startAndWait\('bot', \['--disable-warning=DEP0111'/);
    assert.match(read('Dockerfile'), /CMD \["node", "--disable-warning=DEP0111", "dist\/src\/main\.js"\]/);
    assert.match(read('infra/main.bicep'), /appCommandLine: 'node --disable-warning=DEP0111 dist\/src\/main\.js'/);
    assert.equal(BOT_NODE_FLAG, FLAG);
    assert.match(read('README.md'), /--disable-warning=DEP0111/);
  });
});
