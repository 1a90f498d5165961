import assert from 'node:assert/strict';
import { TeamsClient, USERS, type BotProcess, type Simulator } from '../harness/index.js';
import { jsonLine } from '../harness/child.js';
import { startSimulatorAndBot, stopBotAndSimulator } from '../e2e/support/flow.js';
import { newBotLines } from './support/guard.js';

/**
 * Issue #11: a refused token used to write 7 to 17 unstructured stderr lines with stack traces and
 * the published key. Now one structured warning per refusal, at most ELEVATE_REFUSAL_LOG_LIMIT per
 * remote address per minute, and one line for the rest when the minute ends (or the bot stops).
 */
describe('refused requests: one line each, a limit per source, one summary for the rest', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;

  before(async () => ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_REFUSAL_LOG_LIMIT: '3' })));
  after(() => stopBotAndSimulator(bot, sim));

  it('logs the first 3 of 9 bad tokens from one address, no stack trace or key, and sums up the other 6 when stopping', async () => {
    const attacker = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const from = bot.child.allLines().length;
    const modes = ['forged', 'tampered', 'unsigned', 'expired', 'wrong-audience', 'wrong-service-url', 'none', 'forged', 'tampered'] as const;
    for (const mode of modes) assert.equal((await attacker.say('status', { auth: mode })).status, 401, mode);

    const lines = await newBotLines(bot, from, 3, 300);
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.deepEqual(
      lines.map((l) => jsonLine(l)?.['reason']),
      ['signature', 'signature', 'unsigned'],
    );
    for (const line of lines) {
      assert.equal(jsonLine(line)?.['source'], '127.0.0.1');
      assert.doesNotMatch(line, /BEGIN RSA|PUBLIC KEY|\n\s+at /);
    }

    await bot.stop();
    const summary = bot.child
      .allLines()
      .slice(from + 3)
      .map((l) => jsonLine(l))
      .find((e) => e?.['event'] === 'refusalsSuppressed');
    assert.equal(summary?.['msg'], '6 more refused from 127.0.0.1');
    assert.equal(summary?.['count'], 6);
  });
});
