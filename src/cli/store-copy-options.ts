import { parseOptions, UsageError as StoreCopyUsageError } from './command-line.js';

export const STORE_COPY_USAGE = `Usage: npm run store:copy -- --from <store> --to azuretables:<...> [--dry-run]

Copy everything an Elevate store holds into Azure Tables (or Cosmos DB for Table): elevations,
documents (channel settings, conversation references, pending sign-ins), claims, timers and the
audit log. Stop the bot first. The audit chain is verified in the source with the bot's audit keys
(ELEVATE_AUDIT_KEYS, as for npm run audit -- --verify) before anything is written, copied verbatim
(same seq, text, hashes and key ids) and verified again in the target. Running it again copies only
what is missing.

  --from <store>   the store to read: sqlite:<path>, a path, or azuretables:<...>
  --to <store>     azuretables:<connection string> or azuretables:https://<account>.table.core.windows.net
  --dry-run        count what would be copied; connect to nothing but the source
  --help           this text

Exit 0: copied and verified; 1: the source's audit chain does not verify, or the target's is not the
source's; 2: bad usage or failure (ELEVATE_AUDIT_KEYS missing or malformed included).
`;

export type StoreCopyOptions = { mode: 'help' } | { mode: 'copy'; from: string; to: string; dryRun: boolean };

/** A bad command line; the message names the option. Exit code 2. */
export { StoreCopyUsageError };

export function parseStoreCopyArgs(argv: readonly string[]): StoreCopyOptions {
  const values = parseOptions(argv, {
    from: { type: 'string' },
    to: { type: 'string' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { mode: 'help' };
  const from = values.from?.trim();
  const to = values.to?.trim();
  if (!from) throw new StoreCopyUsageError('--from is required.');
  if (!to) throw new StoreCopyUsageError('--to is required.');
  if (!/^azuretables:/i.test(to)) throw new StoreCopyUsageError('--to must be an azuretables: store (copying into SQLite is not supported).');
  return { mode: 'copy', from, to, dryRun: values['dry-run'] === true };
}
