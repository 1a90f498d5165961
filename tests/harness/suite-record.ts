import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { SECRETS_FILE_VARIABLE } from '../simulator/core/issued-log.js';

/**
 * What the suite-wide log scan (tests/support/log-scan.ts) reads after the last test: every token
 * or secret the harness and the simulator made, and every line every bot started by the harness
 * wrote, with the test file that started it. The root hook names the two files in the environment
 * (inherited by simulator processes); without it (scripts, a single ad-hoc run) nothing is recorded.
 * The files live in a private temporary folder that the hook deletes after the scan.
 */
export { SECRETS_FILE_VARIABLE } from '../simulator/core/issued-log.js';
export const BOT_LOG_VARIABLE = 'ELEVATE_TEST_BOT_LOG';

/** One bot output line as recorded: the test file that started the bot, and the line. */
export interface RecordedBotLine {
  origin: string;
  line: string;
}

/** Records a token or secret a test used (one line of the secrets file; secrets never contain newlines). */
export function recordSecret(value: string | undefined): void {
  const file = process.env[SECRETS_FILE_VARIABLE];
  if (!file || !value) return;
  appendFileSync(file, `${value.replace(/[\r\n]+/g, ' ')}\n`, { mode: 0o600 });
}

/** A writer of one bot's output lines to the suite's bot log, or undefined when nothing is recorded. */
export function botLogWriter(origin: string): ((line: string) => void) | undefined {
  const file = process.env[BOT_LOG_VARIABLE];
  if (!file) return undefined;
  return (line) => appendFileSync(file, `${JSON.stringify({ origin, line } satisfies RecordedBotLine)}\n`, { mode: 0o600 });
}

/**
 * The test file that called, read from the stack (async frames included): the first `*.test.*`
 * frame, else the first frame outside tests/harness (a script, a support module).
 */
export function callerFile(stack = deepStack()): string {
  const root = path.resolve(__dirname, '..', '..');
  const files = [...stack.matchAll(/((?:file:\/\/)?\/[^():\s]+\.[cm]?[jt]s):\d+:\d+/g)]
    .map((match) => (match[1] ?? '').replace(/^file:\/\//, ''))
    .filter((file) => file.startsWith(root) && !file.includes(`${path.sep}node_modules${path.sep}`))
    .map((file) => path.relative(root, file));
  return files.find((file) => /\.test\.[cm]?[jt]s$/.test(file)) ?? files.find((file) => !file.startsWith(`tests${path.sep}harness`)) ?? 'unknown';
}

function deepStack(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  try {
    return new Error().stack ?? '';
  } finally {
    Error.stackTraceLimit = limit;
  }
}
