import { appendFileSync } from 'node:fs';

/**
 * Every token and code the simulator issues, for the test suite's log scan (tests/support/log-scan.ts):
 * after the last test, no fragment of any of them may appear in a bot's output. The root hook names
 * the file in `ELEVATE_TEST_SECRETS_FILE` (inherited by simulator processes); without it nothing is
 * written. Not a behaviour of Entra or the Bot Framework: bookkeeping of the test suite, like scope-log.ts.
 */
export const SECRETS_FILE_VARIABLE = 'ELEVATE_TEST_SECRETS_FILE';

export function recordIssued<T extends string>(value: T): T {
  const file = process.env[SECRETS_FILE_VARIABLE];
  if (file) appendFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}
