/**
 * Loaded into the bot by the storm benchmark (`node --require`), never in production: measures the
 * event-loop delay of the bot as it runs (issue #13), and the longest garbage-collection pause beside it
 * (a pause delays the loop too, and is the runtime's, not Elevate's code). SIGUSR2 prints one line with
 * both since the previous SIGUSR2 (max and p99, in ms) and starts a new measurement.
 */
const { monitorEventLoopDelay, PerformanceObserver } = require('node:perf_hooks');

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
let gcMaxMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMaxMs = Math.max(gcMaxMs, entry.duration);
}).observe({ entryTypes: ['gc'] });
process.on('SIGUSR2', () => {
  const ms = (ns) => Math.round(ns / 1e6);
  process.stdout.write(
    `${JSON.stringify({ event: 'eventLoopDelay', maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)), gcMaxMs: Math.round(gcMaxMs) })}\n`,
  );
  histogram.reset();
  gcMaxMs = 0;
});
