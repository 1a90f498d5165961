import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../harness/index.js';

/** The variables `src/config.ts` reads: the keys of its zod schema (`NAME: …` lines). */
function configVariables(): string[] {
  const source = readFileSync(path.join(repoRoot(), 'src/config.ts'), 'utf8');
  const schema = source.slice(source.indexOf('const schema = z.object({'), source.indexOf('});', source.indexOf('const schema = z.object({')));
  return [...schema.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
}

describe('README', () => {
  it('documents every configuration variable in its table', () => {
    const readme = readFileSync(path.join(repoRoot(), 'README.md'), 'utf8');
    const variables = configVariables();
    assert.ok(variables.length > 20, `found the schema (${variables.length} variables)`);
    const missing = variables.filter((name) => !new RegExp(`^\\| \`${name}\`\\s`, 'm').test(readme));
    assert.deepEqual(missing, [], 'variables read by src/config.ts but missing from the README configuration table');
  });
});
