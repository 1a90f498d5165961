/**
 * `npm run doctor`: checks a deployment's configuration against the tenant, one line per check
 * (src/cli/doctor/catalog.ts), each with what is wrong and the fix. A composition root of its own,
 * like src/main.ts: it reads the bot's environment with the bot's `loadConfig` and policy loader,
 * uses the bot's own identities (Elevate's app, the Bot Framework app) for what they can see, and an
 * operator's delegated device code sign-in for what only an administrator can read. It changes
 * nothing in the tenant and never adds a permission to Elevate's app.
 */
import { optionsOrUsage } from './cli/command-line.js';
import { botConnectorToken } from './adapters/identity/bot-connector-client.js';
import { CertificateFileError, msalClientCredential } from './adapters/identity/app-credential.js';
import { HttpClient } from './adapters/http/http-client.js';
import { MsalTokenBroker, POWER_PLATFORM_RESOURCE } from './adapters/identity/msal-token-broker.js';
import { loadPolicyFile } from './adapters/policy/policy-file.js';
import { DoctorContext, type DoctorDeps } from './cli/doctor/context.js';
import { exitCodeOf, formatLine, formatSummary, toJson } from './cli/doctor/format.js';
import { DeviceCodeOperator } from './cli/doctor/operator-session.js';
import { DOCTOR_USAGE, parseDoctorArgs, type DoctorOptions } from './cli/doctor/options.js';
import { renderPermissionTable } from './cli/doctor/permission-table.js';
import { configFailure, runChecks } from './cli/doctor/runner.js';
import type { CheckResult } from './cli/doctor/catalog.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { ElevateError } from './domain/errors.js';

export interface DoctorCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  now(): number;
}

/** The bot's identities and the operator, as in production (only base URLs and the trusted CA differ in tests). */
function productionDeps(config: Config, options: DoctorOptions, io: DoctorCliIo): DoctorDeps {
  const http = new HttpClient({ maxAttempts: 2, perAttemptTimeoutMs: 20_000, totalBudgetMs: 45_000 });
  const tokens = new MsalTokenBroker({
    clientId: config.aad.clientId,
    credential: msalClientCredential(config.aad.credential),
    tenantId: config.aad.tenantId,
    authorityHost: config.aad.authorityHost,
    ssoAudience: config.aad.ssoAudiences,
    http,
  });
  const botToken = config.bot.id ? botConnectorToken(config.bot) : undefined;
  const rbac = config.rbac
    ? new MsalTokenBroker({
        clientId: config.rbac.clientId,
        credential: msalClientCredential(config.rbac.credential),
        tenantId: config.aad.tenantId,
        authorityHost: config.aad.authorityHost,
        http,
      })
    : undefined;
  const operator = new DeviceCodeOperator({
    clientId: config.doctorClientId,
    tenantId: config.aad.tenantId,
    authorityHost: config.aad.authorityHost,
    graphResource: config.graphResource,
    prompt: (message) => io.stderr.write(`${message}\n`),
  });
  return {
    config,
    http,
    appToken: (resource) => tokens.forApp(resource),
    ...(rbac ? { rbacToken: rbac.forApp(POWER_PLATFORM_RESOURCE) } : {}),
    botToken: async () => {
      if (!botToken) throw new ElevateError('BOT_ID is empty: no connector token.', 'BotTokenFailed');
      return botToken();
    },
    ...(options.operator ? { operator } : {}),
    loadPolicy: loadPolicyFile,
    now: io.now,
  };
}

function operatorState(results: readonly CheckResult[]): 'signed-in' | 'skipped' | 'failed' {
  const status = results.find((r) => r.id === 'operator.sign-in')?.status;
  return status === 'pass' ? 'signed-in' : status === 'fail' ? 'failed' : 'skipped';
}

/** Resolves to the exit code: 0 nothing failed, 1 a check failed, 2 bad usage. */
export async function runDoctorCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: DoctorCliIo): Promise<number> {
  const options = optionsOrUsage('doctor', DOCTOR_USAGE, io.stderr, () => parseDoctorArgs(argv));
  if (!options) return 2;
  if (options.mode === 'help') return (io.stdout.write(DOCTOR_USAGE), 0);
  if (options.mode === 'permissions-table') return (io.stdout.write(`${renderPermissionTable()}\n`), 0);
  const print = (result: CheckResult) => {
    if (!options.json) io.stdout.write(`${formatLine(result)}\n`);
  };
  let results: CheckResult[];
  try {
    const config = loadConfig(env);
    results = await runChecks(new DoctorContext(productionDeps(config, options, io)), print);
  } catch (error) {
    const problem = error instanceof CertificateFileError ? new ConfigError('AAD_APP_CLIENT_CERTIFICATE_PATH', error.message) : error;
    if (!(problem instanceof ConfigError)) throw problem;
    results = configFailure(problem.message);
    results.forEach(print);
  }
  io.stdout.write(options.json ? toJson(results, operatorState(results)) : `\n${formatSummary(results, !options.operator)}\n`);
  return exitCodeOf(results);
}

if (require.main === module) {
  // eslint-disable-next-line no-restricted-properties -- this tool's composition root reads the bot's environment, as src/main.ts does.
  const env = process.env;
  runDoctorCli(process.argv.slice(2), env, { stdout: process.stdout, stderr: process.stderr, now: () => Date.now() }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`doctor: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
