import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ChildExitedError, startBot, startSimulator, type BotProcess, type Simulator } from '../../harness/processes.js';

const fixture = (name: string): string => path.join(__dirname, 'fixtures', name);

describe('harness: simulator and bot processes', function () {
  this.timeout(20_000);
  let sim: Simulator | undefined;
  let bot: BotProcess | undefined;

  beforeEach(() => {
    process.env['ELEVATE_HARNESS_LEAK'] = 'leak';
  });

  afterEach(async () => {
    delete process.env['ELEVATE_HARNESS_LEAK'];
    await bot?.stop();
    await sim?.stop();
    bot = sim = undefined;
  });

  it('starts the simulator, reads its listening line and CA, and stops it', async () => {
    sim = await startSimulator({ entry: fixture('fake-simulator.mjs') });
    assert.match(sim.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sim.serviceUrl, `${sim.baseUrl}/connector/`);
    assert.match(sim.ca, /BEGIN CERTIFICATE/);
    await sim.control.reset();
    assert.match(sim.output(), /leak check: none/);
    const { dataDir } = sim;
    const exit = await sim.stop();
    assert.equal(exit.code, 0);
    assert.equal(existsSync(dataDir), false);
  });

  it('lets the simulator exit when its stdin closes', async () => {
    sim = await startSimulator({ entry: fixture('fake-simulator.mjs') });
    sim.child.process.stdin?.end();
    assert.equal((await sim.child.exited).code, 0);
  });

  it('starts the bot with a clean environment and a temporary store, and waits for its logs', async () => {
    sim = await startSimulator({ entry: fixture('fake-simulator.mjs') });
    bot = await startBot({ sim, entry: fixture('fake-bot.mjs') });
    assert.match(bot.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(bot.port, Number(new URL(bot.url).port));
    const starting = await bot.waitForLog((e) => e['msg'] === 'starting');
    assert.equal(starting['leak'], 'none');
    assert.equal(starting['store'], `sqlite:${bot.storePath}`);
    const request = bot.waitForLog((e) => e['event'] === 'request', 5000);
    await fetch(`${bot.url}/healthz`);
    assert.equal((await request)['url'], '/healthz');
    assert.equal(bot.logs().filter((e) => e['event'] === 'listening').length, 1);
    const { storePath } = bot;
    await bot.stop();
    assert.equal(existsSync(path.dirname(storePath)), false);
  });

  it('rejects with the output when the bot exits before listening', async () => {
    sim = await startSimulator({ entry: fixture('fake-simulator.mjs') });
    await assert.rejects(startBot({ sim, entry: fixture('fake-bot.mjs'), env: { FAKE_BOT_FAIL: '1' } }), (error: unknown) => {
      assert.ok(error instanceof ChildExitedError);
      assert.equal(error.exit.code, 1);
      assert.match(error.output, /BOT_ID is required/);
      return true;
    });
  });

  it('kills the bot hard', async () => {
    sim = await startSimulator({ entry: fixture('fake-simulator.mjs') });
    bot = await startBot({ sim, entry: fixture('fake-bot.mjs') });
    const exit = await bot.kill();
    assert.equal(exit.signal, 'SIGKILL');
  });

  it('times out waiting for a log line that never comes', async () => {
    sim = await startSimulator({ entry: fixture('fake-simulator.mjs') });
    bot = await startBot({ sim, entry: fixture('fake-bot.mjs') });
    await assert.rejects(
      bot.waitForLog((e) => e['event'] === 'never', 200),
      /no matching output line within 200 ms/,
    );
  });
});
