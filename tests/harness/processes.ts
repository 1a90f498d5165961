/**
 * Starts the tenant simulator and the bot as separate processes, the way they run for real
 * (`tsx tests/simulator/main.ts`, `node dist/src/main.js`), each with a clean environment.
 */
export { baseEnv, botEnv, mergeEnv, repoRoot } from './env.js';
export { connectSimulator, startSimulator, type Simulator, type SimulatorHandle, type StartSimulatorOptions } from './simulator-process.js';
export { startBot, type BotProcess, type LogEntry, type StartBotOptions } from './bot-process.js';
export { ChildExitedError, type ExitInfo } from './child.js';
export { assertNoSecretsIn, findSecrets } from './secrets.js';
