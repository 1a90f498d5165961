// Preloaded (`node --import`) into every child of scripts/dev.mjs. A child whose parent is gone stops
// itself with SIGTERM (its own graceful shutdown), so nothing outlives `npm run dev`, even when dev.mjs
// is killed with SIGKILL and cannot stop its children: its stdin pipe closes and its parent changes.
import { setInterval } from 'node:timers';
import { isMainThread } from 'node:worker_threads';

// Preloads also run in worker threads (tsx's module-hooks thread), whose stdin is their own and ends at once.
if (isMainThread) {
  const parent = process.ppid;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.kill(process.pid, 'SIGTERM');
  };
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 1000).unref();
}
