import assert from 'node:assert/strict';
import { parseStoreCopyArgs, StoreCopyUsageError } from '../../../src/cli/store-copy-options.js';

describe('store:copy options', () => {
  it('reads --from, --to and --dry-run', () => {
    assert.deepEqual(parseStoreCopyArgs(['--from', ' sqlite:./data/elevate.db ', '--to', 'azuretables:https://contoso.table.core.windows.net', '--dry-run']), {
      mode: 'copy',
      from: 'sqlite:./data/elevate.db',
      to: 'azuretables:https://contoso.table.core.windows.net',
      dryRun: true,
    });
    assert.equal((parseStoreCopyArgs(['--from', 'a.db', '--to', 'AzureTables:x']) as { dryRun: boolean }).dryRun, false);
    assert.deepEqual(parseStoreCopyArgs(['--help']), { mode: 'help' });
  });

  const refusals: { args: string[]; message: RegExp }[] = [
    { args: ['--to', 'azuretables:x'], message: /--from is required/ },
    { args: ['--from', 'a.db'], message: /--to is required/ },
    { args: ['--from', 'a.db', '--to', 'b.db'], message: /--to must be an azuretables: store/ },
    { args: ['--from', 'a.db', '--to', 'azuretables:x', '--force'], message: /--force/ },
  ];
  for (const { args, message } of refusals) {
    it(`refuses ${args.join(' ')}`, () => {
      assert.throws(
        () => parseStoreCopyArgs(args),
        (error: Error) => error instanceof StoreCopyUsageError && message.test(error.message),
      );
    });
  }
});
