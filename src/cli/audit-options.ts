import { parseOptions, UsageError as AuditUsageError } from './command-line.js';
import type { AuditFormat } from './audit-formats.js';

export const DEFAULT_STORE = 'sqlite:./data/elevate.db';

export const AUDIT_USAGE = `Usage: npm run audit -- [options]

Export the Elevate audit log, or verify its sealed chain.

  --store <spec>        sqlite:<path>, a path, or azuretables:<connection string or endpoint>
                        (default: $ELEVATE_STORE, else ${DEFAULT_STORE})
  --since <when>        entries at or after: 30m, 24h, 7d, 2w ago, or an ISO date/time
  --user <objectId>     entries whose actor or subject is this Entra object id
  --format csv|jsonl    export format (default jsonl)
  --out <file>          write the export to this file instead of stdout
  --verify              check the whole chain with the audit keys ($ELEVATE_AUDIT_KEYS, as the
                        bot's); exit 0 if intact, 1 if broken
  --anchor <seq>:<hash> with --verify: entry #seq must still have this hash (finds truncation and
                        rewrites); take it from an anchor posted in the security channel
  --help                this text
`;

export type AuditCliOptions =
  | { mode: 'help' }
  | { mode: 'export'; store: string; since?: Date; user?: string; format: AuditFormat; out?: string }
  | { mode: 'verify'; store: string; anchor?: { seq: number; hash: string } };

/** A bad command line; the message names the option. Exit code 2 (the one UsageError of every Elevate tool). */
export { AuditUsageError };

/** Parses the command line; `env` is only read for ELEVATE_STORE, `now` anchors relative `--since`. */
export function parseAuditArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, now: Date): AuditCliOptions {
  const values = parseOptions(argv, {
    store: { type: 'string' },
    since: { type: 'string' },
    user: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    verify: { type: 'boolean' },
    anchor: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { mode: 'help' };
  const store = values.store ?? (env.ELEVATE_STORE?.trim() || DEFAULT_STORE);
  if (values.verify) {
    const extra = (['since', 'user', 'format', 'out'] as const).filter((name) => values[name] !== undefined);
    if (extra.length > 0) throw new AuditUsageError(`--verify checks the whole log; it takes no ${extra.map((name) => `--${name}`).join(', ')}.`);
    return values.anchor === undefined ? { mode: 'verify', store } : { mode: 'verify', store, anchor: parseAnchor(values.anchor) };
  }
  if (values.anchor !== undefined) throw new AuditUsageError('--anchor goes with --verify.');
  const format = values.format ?? 'jsonl';
  if (format !== 'csv' && format !== 'jsonl') throw new AuditUsageError(`--format must be csv or jsonl, not "${format}".`);
  return {
    mode: 'export',
    store,
    format,
    ...(values.since === undefined ? {} : { since: parseSince(values.since, now) }),
    ...(values.user === undefined ? {} : { user: nonEmpty('--user', values.user) }),
    ...(values.out === undefined ? {} : { out: nonEmpty('--out', values.out) }),
  };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30m`, `24h`, `7d`, `2w` before `now`, or an ISO 8601 date or date-time. */
export function parseSince(text: string, now: Date): Date {
  const value = text.trim();
  const relative = /^(\d{1,6})\s*([smhdw])$/i.exec(value);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * (UNIT_MS[relative[2]?.toLowerCase() ?? ''] ?? 0));
  const at = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : undefined;
  if (!at || Number.isNaN(at.getTime())) throw new AuditUsageError(`--since "${text}" is neither a span like 24h, 7d, 30m nor an ISO date/time.`);
  return at;
}

function parseAnchor(text: string): { seq: number; hash: string } {
  const match = /^([1-9]\d{0,14}):([0-9a-f]{64})$/i.exec(text.trim());
  if (!match) throw new AuditUsageError('--anchor must be <seq>:<64 hex digits>, as printed by an earlier --verify.');
  return { seq: Number(match[1]), hash: (match[2] ?? '').toLowerCase() };
}

function nonEmpty(option: string, value: string): string {
  if (value.trim() === '') throw new AuditUsageError(`${option} needs a value.`);
  return value.trim();
}
