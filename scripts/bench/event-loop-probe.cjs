/**
 * Loaded into the bot by the storm benchmark (`node --require`), never in production: measures the
 * event-loop delay of the bot as it runs (issue #13). SIGUSR2 prints one line with the delay since the
 * previous SIGUSR2 (max and p99, in ms) and starts a new measurement.
 */
const { monitorEventLoopDelay } = require('node:perf_hooks');

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
process.on('SIGUSR2', () => {
  const ms = (ns) => Math.round(ns / 1e6);
  process.stdout.write(`${JSON.stringify({ event: 'eventLoopDelay', maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)) })}\n`);
  histogram.reset();
});
