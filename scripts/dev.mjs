#!/usr/bin/env node
// `npm run dev`: install if needed, then start the tenant simulator, the bot (pointed at the simulator,
// development sign-in on) and the Microsoft 365 Agents Playground, and print what to type.
// Everything listens on 127.0.0.1 except the Playground, which binds every interface (its own choice):
// it is a development tool only. Ctrl-C stops all three.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function readEnvFile(path) {
  const vars = {};
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const m = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/);
    if (m) vars[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('Installing dependencies (npm ci)…');
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const children = [];
let stopping = false;
function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

function start(name, command, args, env, onLine) {
  const child = spawn(command, args, { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const prefix = (line) => process.stdout.write(`[${name}] ${line}\n`);
  createInterface({ input: child.stdout }).on('line', (line) => (onLine?.(line) ? undefined : prefix(line)));
  createInterface({ input: child.stderr }).on('line', prefix);
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`${name} exited (${code}); stopping.`);
      stopAll(code ?? 1);
    }
  });
  return child;
}

function waitForLine(name, command, args, env, predicate) {
  return new Promise((resolveLine) => {
    start(name, command, args, env, (line) => {
      try {
        const parsed = JSON.parse(line);
        if (predicate(parsed)) resolveLine(parsed);
      } catch {
        /* not JSON */
      }
      return false;
    });
  });
}

const local = readEnvFile(join(root, 'env', '.env.local'));
const simPort = process.env.ELEVATE_DEV_SIMULATOR_PORT ?? '9443';
const botPort = process.env.PORT ?? local.PORT ?? '3978';
const playgroundPort = process.env.ELEVATE_DEV_PLAYGROUND_PORT ?? '56150';
const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development' };
const tsx = join(root, 'node_modules', '.bin', 'tsx');

const sim = await waitForLine('simulator', tsx, ['tests/simulator/main.ts', '--port', simPort, '--data-dir', 'data/simulator'], baseEnv, (l) => l.event === 'listening');
const base = sim.baseUrl;
const botEnv = {
  ...baseEnv,
  ...local,
  HOST: '127.0.0.1',
  PORT: botPort,
  BOT_ID: '',
  BOT_PASSWORD: '',
  ELEVATE_DEV_SIGNIN: 'true',
  AAD_APP_OAUTH_AUTHORITY_HOST: base,
  GRAPH_BASE_URL: `${base}/graph`,
  POWER_PLATFORM_API_URL: `${base}/powerplatform`,
  BOT_OPENID_METADATA_URL: `${base}/botframework/v1/.well-known/openidconfiguration`,
  BOT_LOGIN_URL: `${base}/botframework.com`,
  ELEVATE_STORE: process.env.ELEVATE_STORE ?? local.ELEVATE_STORE ?? 'sqlite:./data/elevate.local.db',
  NODE_EXTRA_CA_CERTS: sim.caPath,
};
const bot = await waitForLine('bot', tsx, ['src/main.ts'], botEnv, (l) => l.event === 'listening');
start('playground', join(root, 'node_modules', '.bin', 'agentsplayground'), ['-e', `${bot.url}/api/messages`, '-c', 'msteams', '-p', playgroundPort, '--disable-telemetry'], {
  ...baseEnv,
  // The Playground opens a browser with xdg-open and exits where there is none: the URL is printed instead.
  TEAMSAPPTESTER_BROWSER: 'none',
  M365_AGENTS_PLAYGROUND_LOGFILE: join(root, 'data', 'playground.log'),
});

console.log(`
Elevate is running against the simulated tenant.
  Agents Playground: http://127.0.0.1:${playgroundPort}   (you are Adele Vance, an eligible Power Platform admin; see .m365agentsplayground.yml)
  Bot:               ${bot.url}/api/messages
  Tenant simulator:  ${base}  (control API ${base}/_control/tenant)

Try:
  help
  elevate me in Contoso Prod for 2h because INC0012345 fix a broken flow
  status
Ctrl-C stops everything.
`);
