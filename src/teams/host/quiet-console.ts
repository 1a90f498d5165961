/**
 * botframework-connector 4.23 writes every refused token to the console itself
 * (`JwtTokenExtractor.validateToken`: `console.error(err)` with its stack, then
 * `console.error("Error finding key for token. Available keys: <PEM>")`): 7 to 17 unstructured
 * stderr lines per bad request, with the published key, and no way to turn it off. Elevate logs each
 * refusal once, structured (refusal-log.ts), so console output written by that file is dropped. Console
 * output from anywhere else is untouched.
 *
 * The caller is told by the stack of the console call, looked at only when something writes to the
 * console (Elevate itself logs with pino). An AsyncLocalStorage around each token check did this
 * before; on Node 20 it turns on promise hooks for the whole process, a few percent of the CPU of
 * every turn (issue #13).
 */
// The compiled file, or its TypeScript source when stacks are source-mapped (tsx, --enable-source-maps).
const TOKEN_EXTRACTOR = /botframework-connector[\\/](lib[\\/]auth[\\/]jwtTokenExtractor\.js|src[\\/]auth[\\/]jwtTokenExtractor\.ts)\b/;
let installed = false;

const METHODS = ['error', 'warn', 'log', 'info', 'debug', 'trace'] as const;

/** True when the console call that is being made comes from botframework-connector's token extractor. */
function fromTokenExtractor(below: (...args: never[]) => unknown): boolean {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, below);
  // The first frame is the caller of console.error: only a call made in that file itself is dropped.
  const caller = (holder.stack ?? '').split('\n')[1] ?? '';
  return TOKEN_EXTRACTOR.test(caller);
}

/** Drops what botframework-connector's token extractor writes to the console; idempotent. */
export function quietTokenExtractor(): void {
  if (installed) return;
  installed = true;
  for (const method of METHODS) {
    const original = console[method].bind(console);
    const quiet = (...args: unknown[]) => {
      if (fromTokenExtractor(quiet)) return;
      original(...args);
    };
    console[method] = quiet;
  }
}
