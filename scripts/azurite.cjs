// Azurite's Table service for the tests and `ELEVATE_DEV_STORE=azurite npm run dev`: on 127.0.0.1, a free
// port, in memory, in a temporary working folder, with no telemetry (no network), started from the
// `azurite` dev dependency. CommonJS so that both dev.mjs (ESM) and the TypeScript tests can load it.
'use strict';
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

/**
 * Azurite's well-known development account and key (public, the same on every machine; see
 * learn.microsoft.com/azure/storage/common/storage-use-azurite#http-connection-strings).
 */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const READY = /Azurite Table service successfully started/;

function connectionString(port) {
  return `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};TableEndpoint=http://127.0.0.1:${port}/${ACCOUNT};`;
}

/** A port free right now on 127.0.0.1 (Azurite cannot listen on port 0 and tell which port it got). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The node arguments that run Azurite's Table service on `port`. */
function azuriteArgs(port) {
  const main = require.resolve('azurite/dist/src/table/main.js');
  // --inMemoryPersistence: nothing on disk; --skipApiVersionCheck: the client may be newer than the emulator;
  // --loose: ignore headers Azurite does not implement; --disableTelemetry: Azurite would otherwise report usage.
  return [
    main,
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(port),
    '--inMemoryPersistence',
    '--skipApiVersionCheck',
    '--loose',
    '--disableTelemetry',
    '--silent',
  ];
}

/**
 * Starts Azurite as a child process and resolves once it listens. `stop()` ends it and removes its
 * folder. A port taken between choosing and listening is retried on another one. `args` are added to
 * Azurite's (e.g. `--oauth basic --cert … --key …` for https with bearer tokens).
 */
async function startAzurite({ timeoutMs = 30_000, attempts = 3, args = [] } = {}) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const folder = mkdtempSync(join(tmpdir(), 'elevate-azurite-'));
    // The guard stops Azurite when this process goes away, even killed with SIGKILL (its stdin pipe closes).
    const guard = pathToFileURL(join(__dirname, 'dev-child-guard.mjs')).href;
    // azurite-whole-body.cjs: Azurite keeps multi-byte characters of long values intact, as Azure does (Azure/Azurite#2670).
    const wholeBody = join(__dirname, 'azurite-whole-body.cjs');
    const child = spawn(process.execPath, ['--import', guard, '--require', wholeBody, ...azuriteArgs(port), ...args], {
      cwd: folder,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stop = () => stopChild(child, folder);
    try {
      await waitForReady(child, timeoutMs);
      return { port, connectionString: connectionString(port), pid: child.pid, stop };
    } catch (error) {
      await stop();
      if (attempt >= attempts) throw error;
    }
  }
}

function waitForReady(child, timeoutMs) {
  return new Promise((resolve, reject) => {
    let output = '';
    let ready = false;
    const timer = setTimeout(() => reject(new Error(`Azurite did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      if (ready) return;
      output += chunk;
      if (!ready && READY.test(output)) {
        ready = true;
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited (${signal ?? `code ${code}`}) before it listened:\n${output}`));
    });
  });
}

function stopChild(child, folder) {
  return new Promise((resolve) => {
    const done = () => {
      rmSync(folder, { recursive: true, force: true });
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      done();
    });
    child.kill('SIGTERM');
  });
}

module.exports = { ACCOUNT, ACCOUNT_KEY, READY, azuriteArgs, connectionString, freePort, startAzurite };
