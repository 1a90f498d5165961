import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every `.ts` file under `root`, as paths relative to the repository. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const full = path.join(root, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g;

/** The relative imports of a file, resolved to `.ts` paths (type-only imports included: they are dependencies too). */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1]!;
    if (!spec.startsWith('.')) continue;
    found.push(path.join(path.dirname(file), spec).replace(/\.js$/, '.ts'));
  }
  return found;
}

/** The bare package names a file imports (`botbuilder`, `@microsoft/teams-ai`, `node:fs`). */
export function packagesOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1]!).filter((spec) => !spec.startsWith('.'));
}

/** Import cycles among `files`, each as the list of files around it (one per cycle found). */
export function importCycles(files: readonly string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((i) => files.includes(i))]));
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}
