import { TeamsClient, USERS, startBot, startSimulator, type BotProcess, type Simulator } from '../../harness/index.js';
import type { ActivityContext } from '../../harness/activities.js';
import { sayAndSignIn } from '../../e2e/support/flow.js';

/**
 * The simulator and the compiled bot for the fuzzer, with Adele, Alex and Megan signed in (personal
 * chats) and Adele in a channel too, so fuzzed activities from them pass the gate and reach the
 * handlers. `env` adds bot settings.
 */
export interface FuzzStage {
  sim: Simulator;
  bot: BotProcess;
  contexts: ActivityContext[];
  stop(): Promise<void>;
}

export async function startFuzzStage(env: Record<string, string> = {}): Promise<FuzzStage> {
  const sim = await startSimulator();
  // The fuzzer's refusals come from one address: logging each would be most of the log.
  const bot = await startBot({ sim, env: { ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_REFUSAL_LOG_LIMIT: '20', ...env } });
  const clients = [USERS.adele, USERS.alex, USERS.megan].map((user) => new TeamsClient({ botUrl: bot.url, sim, user }));
  for (const client of clients) await sayAndSignIn(client, 'status');
  const channel = new TeamsClient({
    botUrl: bot.url,
    sim,
    user: USERS.adele,
    conversation: { type: 'channel', teamId: '19:fuzz@thread.tacv2', channelId: '19:fuzz-channel@thread.tacv2' },
  });
  return {
    sim,
    bot,
    contexts: [...clients, channel].map((c) => c.context),
    stop: async () => {
      await bot.stop();
      await sim.stop();
    },
  };
}
