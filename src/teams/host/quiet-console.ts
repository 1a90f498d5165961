import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * botframework-connector 4.23 writes every refused token to the console itself
 * (`JwtTokenExtractor.validateToken`: `console.error(err)` with its stack, then
 * `console.error("Error finding key for token. Available keys: <PEM>")`): 7 to 17 unstructured
 * stderr lines per bad request, with the published key, and no way to turn it off. Elevate logs each
 * refusal once, structured (refusal-log.ts), so console output made while a request is being
 * authenticated is dropped. Only that async context is silenced: console output anywhere else
 * (including other requests handled at the same time) is untouched.
 */
const silenced = new AsyncLocalStorage<true>();
let installed = false;

const METHODS = ['error', 'warn', 'log', 'info', 'debug', 'trace'] as const;

function install(): void {
  if (installed) return;
  installed = true;
  for (const method of METHODS) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      if (silenced.getStore()) return;
      original(...args);
    };
  }
}

/** Runs `work` with console output dropped for it (and everything it awaits). */
export function withoutConsole<T>(work: () => Promise<T>): Promise<T> {
  install();
  return silenced.run(true, work);
}
