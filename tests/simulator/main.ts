import { startSimulator } from './index.js';

/**
 * `tsx tests/simulator/main.ts [--port 9443] [--data-dir ./data/simulator]`: prints one JSON line
 * `{"event":"listening","baseUrl","port","caPath"}` and runs until stdin closes, SIGTERM or SIGINT.
 */
function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const portText = option(args, '--port') ?? '9443';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not '${portText}'`);
  const simulator = await startSimulator({ port, dataDir: option(args, '--data-dir') ?? './data/simulator' });
  process.stdout.write(`${JSON.stringify({ event: 'listening', baseUrl: simulator.baseUrl, port: simulator.port, caPath: simulator.caPath })}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void simulator.close().then(() => process.exit(0));
    // Never outlive the parent because a socket lingers.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`tenant simulator failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
