/**
 * Finds fragments of known secrets in log lines: any run of `minLength` or more characters that
 * also occurs in a secret (a token cut at a dot, a signature, half a password). Findings name where,
 * and how long the fragment is, never the fragment itself (the message ends up in test reports).
 *
 * Every secret is indexed by its 8-character pieces at offsets 0, 8, 16, …: a shared run of at least
 * 15 characters always contains one whole piece, so each log position is looked up once and only
 * candidates are extended to their full length. That keeps a suite's thousands of tokens cheap.
 */
export interface LogLine {
  /** Where the line comes from (the test file whose bot wrote it). */
  origin: string;
  line: string;
}

export interface FragmentFinding {
  origin: string;
  /** 1-based position of the line in the lines given. */
  index: number;
  /** Length of the longest shared run found on that line. */
  length: number;
  secretLength: number;
}

const PIECE = 8;

export class SecretIndex {
  private readonly secrets: string[];
  private readonly pieces = new Map<string, number[]>();

  constructor(
    secrets: Iterable<string>,
    readonly minLength = 16,
  ) {
    if (minLength < 2 * PIECE - 1) throw new Error(`minLength must be at least ${2 * PIECE - 1}`);
    this.secrets = [...new Set([...secrets].filter((s) => s.length >= minLength))];
    this.secrets.forEach((secret, index) => {
      for (let offset = 0; offset + PIECE <= secret.length; offset += PIECE) {
        const piece = secret.slice(offset, offset + PIECE);
        const list = this.pieces.get(piece);
        // Two numbers per candidate: which secret, and where the piece sits in it.
        if (list) list.push(index, offset);
        else this.pieces.set(piece, [index, offset]);
      }
    });
  }

  get size(): number {
    return this.secrets.length;
  }

  /** The longest run `line` shares with one secret, if it is at least `minLength` long. */
  longestIn(line: string): { length: number; secretLength: number } | undefined {
    let best: { length: number; secretLength: number } | undefined;
    for (let at = 0; at + PIECE <= line.length; at++) {
      const candidates = this.pieces.get(line.slice(at, at + PIECE));
      if (!candidates) continue;
      for (let i = 0; i < candidates.length; i += 2) {
        const secret = this.secrets[candidates[i] as number] as string;
        const length = sharedRun(line, at, secret, candidates[i + 1] as number);
        if (length >= this.minLength && length > (best?.length ?? 0)) best = { length, secretLength: secret.length };
      }
    }
    return best;
  }
}

/** Length of the common run around `line[at…at+PIECE)` = `secret[offset…offset+PIECE)`. */
function sharedRun(line: string, at: number, secret: string, offset: number): number {
  let left = 0;
  while (at - left > 0 && offset - left > 0 && line[at - left - 1] === secret[offset - left - 1]) left++;
  let right = 0;
  while (at + PIECE + right < line.length && offset + PIECE + right < secret.length && line[at + PIECE + right] === secret[offset + PIECE + right]) right++;
  return left + PIECE + right;
}

export function findFragments(lines: Iterable<LogLine>, secrets: Iterable<string>, minLength = 16): FragmentFinding[] {
  const index = new SecretIndex(secrets, minLength);
  const findings: FragmentFinding[] = [];
  let position = 0;
  for (const { origin, line } of lines) {
    position++;
    const found = index.longestIn(line);
    if (found) findings.push({ origin, index: position, ...found });
  }
  return findings;
}

/** One paragraph per test file whose bot leaked, without the fragments themselves. */
export function describeFindings(findings: readonly FragmentFinding[]): string {
  const byOrigin = new Map<string, FragmentFinding[]>();
  for (const finding of findings) byOrigin.set(finding.origin, [...(byOrigin.get(finding.origin) ?? []), finding]);
  return [...byOrigin]
    .map(([origin, list]) => {
      const examples = list
        .slice(0, 5)
        .map((f) => `line ${f.index}: ${f.length} characters of a ${f.secretLength}-character secret`)
        .join('; ');
      return `  ${origin}: ${list.length} log line(s) with a fragment of a token or secret (${examples})`;
    })
    .join('\n');
}
