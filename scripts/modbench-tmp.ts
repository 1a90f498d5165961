import { startBot, startSimulator } from '../tests/harness/index.js';
void (async () => {
  const sim = await startSimulator();
  const bot = await startBot({ sim, nodeArgs: ['--require', '/tmp/modtime.cjs'], env: { MODTIME_FILES: process.env.MODTIME_FILES ?? '' } });
  await new Promise((r) => setTimeout(r, 500));
  await bot.stop();
  await sim.stop();
})();
