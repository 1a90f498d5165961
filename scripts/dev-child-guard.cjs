// Preloaded (`node --require`) into every child of scripts/dev.mjs. A child whose parent is gone stops
// itself with SIGTERM (its own graceful shutdown), so nothing outlives `npm run dev`, even when dev.mjs
// is killed with SIGKILL and cannot stop its children: its stdin pipe closes and its parent changes.
'use strict';

const parent = process.ppid;
let stopped = false;
function stop() {
  if (stopped) return;
  stopped = true;
  process.kill(process.pid, 'SIGTERM');
}

process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 1000).unref();
