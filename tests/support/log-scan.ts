import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { developmentAuditKey } from '../../src/config.js';
import { describeFindings, findFragments, type LogLine } from '../harness/secret-fragments.js';
import { BOT_LOG_VARIABLE, SECRETS_FILE_VARIABLE, type RecordedBotLine } from '../harness/suite-record.js';
import { AAD_APP_CLIENT_SECRET, BOT_PASSWORD } from '../simulator/tenant/seed.js';
import { ROTATED_AUDIT_KEY, TEST_AUDIT_KEY } from './audit-keys.js';

/**
 * Mocha root hooks (loaded by .mocharc.json for every run): every bot the harness starts appends its
 * output to one file, and every token the harness mints or the simulator issues is recorded
 * (tests/harness/suite-record.ts, tests/simulator/issued-log.ts). After the last test, no fragment
 * of 16 or more characters of any of them, or of the seed's secrets, may appear in any bot's
 * output: the run fails naming the test file whose bot wrote it.
 */
export const MIN_FRAGMENT = 16;

let folder: string | undefined;

/** The seed's secrets in every form the bot holds them: passwords, and the keys derived from them. */
export function seedSecrets(): string[] {
  const keys = [TEST_AUDIT_KEY.secret, ROTATED_AUDIT_KEY.secret, developmentAuditKey(AAD_APP_CLIENT_SECRET).secret];
  // main.ts derives the PKCE verifier key from the client secret (step-up sign-in).
  const verifierKey = createHash('sha256').update(`elevate step-up pkce\u0000${AAD_APP_CLIENT_SECRET}`).digest('hex');
  return [BOT_PASSWORD, AAD_APP_CLIENT_SECRET, verifierKey, ...keys.flatMap((key) => [key.toString('base64'), key.toString('base64url'), key.toString('hex')])];
}

function readLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
}

function* botLines(file: string): Generator<LogLine> {
  for (const text of readLines(file)) {
    if (text.trim() === '') continue;
    yield JSON.parse(text) as RecordedBotLine;
  }
}

export const mochaHooks = {
  beforeAll(): void {
    if (process.env[BOT_LOG_VARIABLE]) return;
    folder = mkdtempSync(path.join(os.tmpdir(), 'elevate-log-scan-'));
    const secrets = path.join(folder, 'secrets.txt');
    const bots = path.join(folder, 'bots.jsonl');
    writeFileSync(secrets, '', { mode: 0o600 });
    writeFileSync(bots, '', { mode: 0o600 });
    process.env[SECRETS_FILE_VARIABLE] = secrets;
    process.env[BOT_LOG_VARIABLE] = bots;
  },
  afterAll(): void {
    const secretsFile = process.env[SECRETS_FILE_VARIABLE];
    const botsFile = process.env[BOT_LOG_VARIABLE];
    if (!folder || !secretsFile || !botsFile) return;
    try {
      const secrets = new Set([...readLines(secretsFile).filter((s) => s !== ''), ...seedSecrets()]);
      const lines = [...botLines(botsFile)];
      const findings = findFragments(lines, secrets, MIN_FRAGMENT);
      if (findings.length > 0) {
        throw new Error(`Bot logs hold fragments (${MIN_FRAGMENT}+ characters) of tokens or secrets the tests used:\n${describeFindings(findings)}`);
      }
      const bytes = lines.reduce((sum, l) => sum + Buffer.byteLength(l.line) + 1, 0);
      const bots = new Set(lines.map((l) => l.origin)).size;
      console.log(
        `  log scan: ${lines.length} lines (${(bytes / 1024 / 1024).toFixed(1)} MB) written by the bots of ${bots} test file(s), checked against ${secrets.size} tokens and secrets: no fragment of ${MIN_FRAGMENT}+ characters`,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
      delete process.env[SECRETS_FILE_VARIABLE];
      delete process.env[BOT_LOG_VARIABLE];
      folder = undefined;
    }
  },
};
