import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importCycles, importsOf, sourceFiles } from './import-graph.js';

describe('architecture: the rooms of src keep their walls', () => {
  const files = sourceFiles('src');

  it('has no import cycle anywhere in src', () => {
    assert.deepEqual(
      importCycles(files).map((cycle) => cycle.join(' → ')),
      [],
    );
  });

  it('keeps src/domain pure: it imports only src/domain', () => {
    const outside = files
      .filter((f) => f.startsWith('src/domain/'))
      .flatMap((f) =>
        importsOf(f)
          .filter((i) => !i.startsWith('src/domain/'))
          .map((i) => `${f} → ${i}`),
      );
    assert.deepEqual(outside, []);
  });

  it('has no use case that takes the whole dependency bag: each declares what it uses', () => {
    const whole = files.filter((f) => f.startsWith('src/use-cases/')).filter((f) => /\bdeps: ElevationDeps\b/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(whole, []);
  });

  it('would see a cycle (the check itself, on three files that import each other in a ring)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'elevate-cycle-'));
    try {
      writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = b;\n");
      writeFileSync(path.join(dir, 'b.ts'), "import type { C } from './c.js';\nexport const b = 1 as unknown as C;\n");
      writeFileSync(path.join(dir, 'c.ts'), "export type { A as C } from './a.js';\n");
      const ring = sourceFiles(dir);
      assert.equal(importCycles(ring).length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
