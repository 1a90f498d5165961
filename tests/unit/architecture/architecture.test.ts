import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importCycles, importsOf, packagesOf, sourceFiles } from './import-graph.js';

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

  it('keeps the Bot Framework, teams-ai and restify in src/teams/host: nothing else imports them', () => {
    const sdk = /^(botbuilder|botframework-|@microsoft\/teams-ai|restify)/;
    const outside = files
      .filter((f) => !f.startsWith('src/teams/host/'))
      .flatMap((f) =>
        packagesOf(f)
          .filter((p) => sdk.test(p))
          .map((p) => `${f} → ${p}`),
      );
    assert.deepEqual(outside, []);
  });

  it('keeps routes to use cases: no route imports a port, an adapter or the host, or calls a port itself', () => {
    const routes = files.filter((f) => f.startsWith('src/teams/routes/'));
    const reaching = routes.flatMap((f) =>
      importsOf(f)
        .filter(
          (i) => /^src\/(adapters|jobs)\//.test(i) || i.startsWith('src/teams/host/') || (i.startsWith('src/ports/') && i !== 'src/ports/token-broker.ts'),
        )
        .map((i) => `${f} → ${i}`),
    );
    const calling = routes.filter((f) =>
      /services\.elevation\.(store|audit|pim|dataverse|powerPlatform|timers|environments|notifier|approvals|presenter)\.\w+\(/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual([...reaching, ...calling], []);
  });

  it('stores no SDK shapes: the chat address and the turn are Elevate types (src/teams/chat.ts, turn.ts)', () => {
    const shapes = files
      .filter((f) => !f.startsWith('src/teams/host/'))
      .filter((f) => /\b(ConversationReference|TurnContext)\b/.test(readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    assert.deepEqual(shapes, []);
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
