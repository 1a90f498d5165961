#!/usr/bin/env node
// `npm run dev`: install if needed, then start the tenant simulator, the bot (pointed at the simulator,
// development sign-in on) and the Microsoft 365 Agents Playground, and print what to type.
// Everything listens on 127.0.0.1 except the Playground, which binds every interface (its own choice):
// it is a development tool only.
//
// Environment (all optional):
//   ELEVATE_DEV_SIMULATOR_PORT  tenant simulator port (9443)   PORT  bot port (env/.env.local, 3978)
//   ELEVATE_DEV_PLAYGROUND_PORT Playground port (56150)        0 = any free port, for each of the three
//   ELEVATE_DEV_DATA_DIR        simulator CA, Playground log and the bot's store (./data)
//   ELEVATE_*, LOG_LEVEL        passed to the bot over env/.env.local (e.g. ELEVATE_ACTIVATION_POLL_MS=200)
//   ELEVATE_STORE               keep the bot's state there instead of <data dir>/elevate.local.db, which is
//                               emptied at every start because the simulated tenant starts empty too
//   ELEVATE_DEV_STORE           sqlite (default) or azurite: start Azurite's Table service (in memory, 127.0.0.1,
//                               a free port) and point ELEVATE_STORE at it, as a multi-instance deployment would
//                               use Azure Tables
//
// Everything stops together: on Ctrl-C, SIGTERM or SIGHUP; when dev.mjs's stdin is a pipe that closes or
// its parent goes away; and when any of the three exits. Each child also stops itself when dev.mjs is
// gone (scripts/dev-child-guard.mjs), even after a SIGKILL.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, fstatSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join, resolve } from 'node:path';
import { setInterval } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { READY as AZURITE_READY, azuriteArgs, connectionString as azuriteConnectionString, freePort } from './azurite.cjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const STOP_GRACE_MS = 5000;

function readEnvFile(path) {
  const vars = {};
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const m = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/);
    if (m) vars[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

function portFromEnv(name, fallback) {
  const value = process.env[name] ?? fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    console.error(`${name} must be a port number (0 = any free port), not '${value}'`);
    process.exit(2);
  }
  return value;
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('Installing dependencies (npm ci)…');
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const children = [];
let stopping = false;

function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGTERM to every child still running, SIGKILL after a grace period, then exit. */
async function stopAll(code, reason) {
  if (stopping) return;
  stopping = true;
  if (reason) console.log(`Stopping: ${reason}.`);
  const running = children.filter(isRunning);
  const exits = running.map((child) => new Promise((done) => child.once('exit', done)));
  for (const child of running) child.kill('SIGTERM');
  const killer = setTimeout(() => running.filter(isRunning).forEach((child) => child.kill('SIGKILL')), STOP_GRACE_MS);
  await Promise.all(exits);
  clearTimeout(killer);
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stopAll(0, signal));

// A parent that holds dev.mjs through a pipe (a test, a supervisor) ends it by closing the pipe. A terminal
// stops it with Ctrl-C, and an empty stdin (/dev/null, CI) must not stop it at once: neither is a pipe.
function isPipe(fd) {
  try {
    const stat = fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}
if (isPipe(0)) {
  process.stdin.on('end', () => void stopAll(0, 'stdin closed'));
  process.stdin.resume();
}
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void stopAll(0, 'parent process went away');
}, 1000).unref();

const guard = pathToFileURL(join(root, 'scripts', 'dev-child-guard.mjs')).href;

/** Starts a node child (with the guard preloaded); every output line is printed with a prefix unless `onLine` returns true. */
function start(name, args, env, { onLine, onUnexpectedExit, cwd = root } = {}) {
  const child = spawn(process.execPath, ['--import', guard, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const print = (line) => process.stdout.write(`[${name}] ${line}\n`);
  createInterface({ input: child.stdout }).on('line', (line) => (onLine?.(line) ? undefined : print(line)));
  createInterface({ input: child.stderr }).on('line', print);
  child.on('error', (error) => void stopAll(1, `${name} could not start (${error.message})`));
  child.on('exit', (code, signal) => {
    if (stopping) return;
    onUnexpectedExit?.();
    void stopAll(code || 1, `${name} exited (${signal ?? `code ${code}`})`);
  });
  return child;
}

/** Starts a child and resolves with the first stdout value `match` maps to something other than undefined. */
function startAndWait(name, args, env, match, options = {}) {
  return new Promise((ready) => {
    if (stopping) return; // stopped while the previous one started: start nothing more
    let found = false;
    start(name, args, env, {
      ...options,
      onLine: (line) => {
        if (!found) {
          const value = match(line);
          if (value !== undefined) {
            found = true;
            ready(value);
          }
        }
        return false;
      },
    });
  });
}

function jsonEvent(event) {
  return (line) => {
    try {
      const parsed = JSON.parse(line);
      return parsed?.event === event ? parsed : undefined;
    } catch {
      return undefined;
    }
  };
}

function printTail(path, lines) {
  try {
    const tail = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines);
    console.error(`Last lines of ${path}:\n${tail.map((l) => `  ${l}`).join('\n')}`);
  } catch {
    /* no log yet */
  }
}

const local = readEnvFile(join(root, 'env', '.env.local'));
const simPort = portFromEnv('ELEVATE_DEV_SIMULATOR_PORT', '9443');
const botPort = portFromEnv('PORT', local.PORT ?? '3978');
const playgroundPort = portFromEnv('ELEVATE_DEV_PLAYGROUND_PORT', '56150');
const dataDir = resolve(root, process.env.ELEVATE_DEV_DATA_DIR ?? 'data');
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'development' };
const passThrough = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => (name.startsWith('ELEVATE_') && !name.startsWith('ELEVATE_DEV_')) || name === 'LOG_LEVEL'),
);

// The simulator keeps its tenant in memory: a store left from an earlier run would hold elevations that
// tenant never saw. So the default store starts empty, like the tenant; an explicit ELEVATE_STORE is kept.
function freshDefaultStore() {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'elevate.local.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  return `sqlite:${path}`;
}

const devStore = process.env.ELEVATE_DEV_STORE?.trim() || 'sqlite';
if (devStore !== 'sqlite' && devStore !== 'azurite') {
  console.error(`ELEVATE_DEV_STORE must be sqlite or azurite, not '${devStore}'`);
  process.exit(2);
}
if (devStore === 'azurite' && process.env.ELEVATE_STORE) {
  console.error('ELEVATE_DEV_STORE=azurite starts its own store: unset ELEVATE_STORE, or leave ELEVATE_DEV_STORE out');
  process.exit(2);
}

// Azurite keeps its tables in memory, so it starts empty like the simulated tenant.
async function startDevAzurite() {
  const port = await freePort();
  const folder = join(dataDir, 'azurite');
  mkdirSync(folder, { recursive: true });
  await startAndWait('azurite', azuriteArgs(port), baseEnv, (line) => (AZURITE_READY.test(line) ? true : undefined), { cwd: folder });
  return { store: `azuretables:${azuriteConnectionString(port)}`, label: `Azure Tables on Azurite at http://127.0.0.1:${port}` };
}

const { store, label: storeLabel } =
  devStore === 'azurite' ? await startDevAzurite() : { store: process.env.ELEVATE_STORE ?? freshDefaultStore(), label: undefined };

const sim = await startAndWait(
  'simulator',
  ['--import', 'tsx', 'tests/simulator/main.ts', '--port', simPort, '--data-dir', join(dataDir, 'simulator')],
  baseEnv,
  jsonEvent('listening'),
);
const base = sim.baseUrl;
const botEnv = {
  ...baseEnv,
  ...local,
  ...passThrough,
  ELEVATE_STORE: store,
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
  NODE_EXTRA_CA_CERTS: sim.caPath,
};
// restify → spdy → http-deceiver reads process.binding('http_parser') (DEP0111): silenced, see the README's Quick start.
const bot = await startAndWait('bot', ['--disable-warning=DEP0111', '--import', 'tsx', 'src/main.ts'], botEnv, jsonEvent('listening'));

// The Playground writes its console only to its log file when stdout is not a terminal; it prints
// "Listening on <port>" itself, and picks a random port when the one asked for is taken.
const playgroundLog = join(dataDir, 'playground.log');
const playgroundCli = join(root, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
const actualPlaygroundPort = await startAndWait(
  'playground',
  [playgroundCli, '-e', `${bot.url}/api/messages`, '-c', 'msteams', '-p', playgroundPort, '--disable-telemetry'],
  {
    ...baseEnv,
    // It would open a browser with xdg-open and exit where there is none: the URL is printed below instead.
    TEAMSAPPTESTER_BROWSER: 'none',
    M365_AGENTS_PLAYGROUND_LOGFILE: playgroundLog,
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: join(root, '.m365agentsplayground.yml'),
  },
  (line) => line.match(/^Listening on (\d+)$/)?.[1],
  { onUnexpectedExit: () => printTail(playgroundLog, 20) },
);

console.log(`
Elevate is running against the simulated tenant.
  Agents Playground: http://127.0.0.1:${actualPlaygroundPort}   (you are Adele Vance, an eligible Power Platform admin; see .m365agentsplayground.yml)
  Bot:               ${bot.url}/api/messages   (store ${storeLabel ?? store})
  Tenant simulator:  ${base}   (control API ${base}/_control/tenant)
  Playground log:    ${playgroundLog}

Try:
  help
  elevate me in Contoso Prod for 2h because INC0012345 fix a broken flow
  status
Ctrl-C stops everything.
`);
