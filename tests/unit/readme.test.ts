import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DOCTOR_CHECKS, MANUAL_STEPS } from '../../src/cli/doctor/catalog.js';
import { renderPermissionTable, tableCells } from '../../src/cli/doctor/permission-table.js';
import { repoRoot } from '../harness/index.js';

/** The variables `src/config.ts` reads: the keys of its zod schema (`NAME: …` lines). */
function configVariables(): string[] {
  const source = readFileSync(path.join(repoRoot(), 'src/config.ts'), 'utf8');
  const schema = source.slice(source.indexOf('const schema = z.object({'), source.indexOf('});', source.indexOf('const schema = z.object({')));
  return [...schema.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
}

function readme(): string {
  return readFileSync(path.join(repoRoot(), 'README.md'), 'utf8');
}

/** The README's "Deploying to a real tenant" section, up to the next `## ` heading. */
function deploymentSection(): string {
  const text = readme();
  const start = text.indexOf('## Deploying to a real tenant');
  assert.ok(start >= 0, 'the README has a "Deploying to a real tenant" section');
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Checklist lines: `- [ ] \`<check id>\` — …`, with their continuation lines. */
function checklist(): Map<string, string> {
  const items = new Map<string, string>();
  let current: string | undefined;
  for (const line of deploymentSection().split('\n')) {
    const start = /^- \[ \] `([a-z][a-z.-]*)`/.exec(line);
    if (start) {
      current = start[1]!;
      assert.ok(!items.has(current), `the checklist lists ${current} twice`);
      items.set(current, line);
    } else if (current && /^\s+\S/.test(line)) {
      items.set(current, `${items.get(current)!} ${line.trim()}`);
    } else {
      current = undefined;
    }
  }
  return items;
}

describe('README', () => {
  it('documents every configuration variable in its table', () => {
    const variables = configVariables();
    assert.ok(variables.length > 20, `found the schema (${variables.length} variables)`);
    const missing = variables.filter((name) => !new RegExp(`^\\| \`${name}\`\\s`, 'm').test(readme()));
    assert.deepEqual(missing, [], 'variables read by src/config.ts but missing from the README configuration table');
  });

  describe('deployment checklist', () => {
    const items = checklist();

    it('has one line per doctor check and per manual step, and nothing else', () => {
      const expected = [...DOCTOR_CHECKS, ...MANUAL_STEPS].map((c) => c.id).sort();
      assert.deepEqual([...items.keys()].sort(), expected, 'README checklist ids vs src/cli/doctor/catalog.ts (DOCTOR_CHECKS + MANUAL_STEPS)');
    });

    it('marks exactly the steps the doctor cannot verify', () => {
      for (const [id, text] of items) {
        const manual = MANUAL_STEPS.some((s) => s.id === id);
        assert.equal(text.includes('_(not checked by the doctor)_'), manual, `${id}: ${manual ? 'must' : 'must not'} say it is not checked by the doctor`);
      }
    });

    it('says plainly that the Dataverse application user needs System Administrator and that the management registration is privileged, with the command', () => {
      assert.match(items.get('dataverse.system-administrator')!, /\*\*That application user needs the System Administrator security role\.\*\*/);
      assert.match(items.get('pp.management-app')!, /\*\*Privileged:\*\*.*`pac admin application register --application-id <AAD_APP_CLIENT_ID>`/);
    });

    it('has the permission table rendered from src/adapters/identity/permissions.ts (run `npm run doctor -- --permissions-table` to refresh it)', () => {
      const section = deploymentSection();
      const start = section.indexOf('<!-- permissions-table:start -->');
      const end = section.indexOf('<!-- permissions-table:end -->');
      assert.ok(start >= 0 && end > start, 'the permission table markers are in the deployment section');
      assert.deepEqual(tableCells(section.slice(start, end)), tableCells(renderPermissionTable()));
    });
  });
});
