/**
 * Where a CPU profile's time went (issue #13): self time per owner (Elevate's own files, each npm
 * package, Node's internals, the garbage collector) and the costliest functions, optionally only
 * between two instants on V8's clock (the storm prints its start and end when profiling).
 *
 *   BENCH_BOT_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx scripts/bench-storm.ts --users 500
 *   npx tsx scripts/bench/profile-summary.ts /tmp/prof/CPU.*.cpuprofile [--from µs --to µs] [--top 30]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Who owns a frame: `src/…` for Elevate, the package for node_modules, `node:…` for Node itself. */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/(src|dist\/src)\/(.+)$/.exec(url);
  if (own) return `elevate ${own[2]!.replace(/\.js$/, '.ts')}`;
  if (url.startsWith('node:')) return 'node';
  return url;
}

function main(): void {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? Number(args[at + 1]) : undefined;
  };
  const file = args.find((a) => a.endsWith('.cpuprofile'));
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--from µs --to µs] [--top N]');
  const from = option('from') ?? -Infinity;
  const to = option('to') ?? Infinity;
  const top = option('top') ?? 25;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  /** The innermost frame of Elevate's own code on the sample's stack, if any. */
  const elevateFrame = (id: number): string | undefined => {
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (ownerOf(url, functionName).startsWith('elevate '))
        return `${functionName || '(anonymous)'} ${url.replace(/.*\/(dist\/)?src\//, 'src/')}:${lineNumber + 1}`;
    }
    return undefined;
  };
  const causedBy = new Map<string, number>();
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from || at > to) return;
    const node = byId.get(id);
    if (!node) return;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') return;
    total += dt;
    const owner = ownerOf(url, functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + dt);
    const fn = `${functionName || '(anonymous)'} ${url.replace(/.*node_modules\//, '').replace(/.*\/(dist\/)?src\//, 'src/')}:${lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + dt);
    const cause = functionName === '(garbage collector)' ? '(garbage collector)' : (elevateFrame(id) ?? '(no Elevate frame on the stack)');
    causedBy.set(cause, (causedBy.get(cause) ?? 0) + dt);
  });
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %`;
  console.log(`busy ${(total / 1000).toFixed(0)} ms`);
  const elevate = [...owners].filter(([o]) => o.startsWith('elevate ')).reduce((sum, [, v]) => sum + v, 0);
  console.log(`${ms(elevate)}  Elevate's own code (src/)`);
  console.log('\nby owner:');
  for (const [owner, us] of [...owners].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)}  ${owner}`);
  console.log('\nby the innermost Elevate function on the stack (its own time and the libraries it called):');
  for (const [fn, us] of [...causedBy].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)}  ${fn}`);
  console.log('\nby function (self time):');
  for (const [fn, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)}  ${fn}`);
}

if (process.argv[1]?.endsWith('profile-summary.ts')) main();
