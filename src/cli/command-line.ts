import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** A command line the tool cannot use: printed with the usage text, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `--name value` options only (no positionals, unknown options refused), as a UsageError. */
export function parseOptions<const O extends OptionsConfig>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The tool's options from `parse`, or undefined after printing a usage error (`<tool>: <problem>`,
 * then the usage text) to stderr: the caller exits with status 2.
 */
export function optionsOrUsage<T>(tool: string, usage: string, stderr: { write(text: string): unknown }, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`${tool}: ${error.message}\n\n${usage}`);
    return undefined;
  }
}
