import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config.js';
import { repoRoot } from '../../harness/index.js';

/**
 * The deployment files cannot be compiled or deployed here (no Bicep CLI, no Azure): this checks what
 * can be checked. infra/app-settings.json (loaded by main.bicep with loadJsonContent) sets only
 * variables src/config.ts reads, sets every one a deployment needs, and main.bicep sets each of them;
 * parameters are named like the variables, none holds a secret; m365agents.yml names files that exist.
 */
const ROOT = repoRoot();
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface AppSettings {
  static: Record<string, string>;
  fromParameters: Record<string, string>;
  fromResources: Record<string, string>;
  keyVaultReferences: Record<string, string>;
  platform: Record<string, string>;
}

const settings = JSON.parse(read('infra/app-settings.json')) as AppSettings;
const bicep = read('infra/main.bicep');
const parameters = (JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, { value: string }> }).parameters;

/** The keys of src/config.ts's zod schema (as tests/unit/readme.test.ts reads them). */
function configVariables(): string[] {
  const source = read('src/config.ts');
  const start = source.indexOf('const schema = z.object({');
  return [...source.slice(start, source.indexOf('});', start)).matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
}

const camel = (variable: string) => variable.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A plausible value per variable, as the deployment would give it. */
function sample(variable: string): string {
  if (variable === 'ELEVATE_STORE') return 'azuretables:https://elevatestore.table.core.windows.net/';
  if (variable === 'ELEVATE_PUBLIC_URL') return 'https://elevate-bot.azurewebsites.net';
  if (variable === 'APPLICATIONINSIGHTS_CONNECTION_STRING') return 'InstrumentationKey=00000000-0000-4000-8000-000000000000';
  if (variable === 'AAD_APP_ID_URI') return 'api://botid-a1d0e5a1-0000-4000-8000-00000000a1d0';
  if (variable === 'ELEVATE_ROLES') return '';
  if (variable === 'ELEVATE_REMINDER_MINUTES') return '15,5';
  if (variable === 'ELEVATE_AUDIT_KEYS') return `2026-01:${Buffer.alloc(32, 1).toString('base64')}`;
  if (variable === 'ELEVATE_SIGNIN_KEY') return Buffer.alloc(32, 2).toString('base64');
  return 'a1d0e5a1-0000-4000-8000-00000000a1d0';
}

describe('infra: the App Service settings and the Agents Toolkit lifecycle', () => {
  const configured = [
    ...Object.keys(settings.static),
    ...Object.keys(settings.fromParameters),
    ...Object.keys(settings.fromResources),
    ...Object.keys(settings.keyVaultReferences),
  ];

  it('sets only variables that src/config.ts reads (platform settings apart)', () => {
    const known = new Set(configVariables());
    assert.deepEqual(
      configured.filter((v) => !known.has(v)),
      [],
    );
    assert.ok(
      Object.keys(settings.platform).every((v) => v.startsWith('WEBSITE_') || v.startsWith('SCM_')),
      'platform settings are App Service own',
    );
  });

  it('is a configuration the bot starts with: every required variable is set (the audit keys through Key Vault)', () => {
    const env = { ...settings.static, ...Object.fromEntries(configured.filter((v) => !(v in settings.static)).map((v) => [v, sample(v)])) };
    const config = loadConfig(env);
    assert.equal(config.bot.type, 'UserAssignedMSI');
    assert.equal(config.aad.credential.kind, 'federatedManagedIdentity');
    assert.equal(config.store.startsWith('azuretables:https://'), true);
    for (const required of ['AAD_APP_CLIENT_ID', 'SECURITY_GROUP_ID', 'BOT_ID', 'ELEVATE_AUDIT_KEYS', 'ELEVATE_PUBLIC_URL']) {
      const without = { ...env };
      delete without[required as keyof typeof without];
      assert.throws(() => loadConfig(without), new RegExp(required), `${required} is needed, and set by the deployment`);
    }
  });

  it('has main.bicep load the file and set every parameter and resource setting by name', () => {
    assert.match(bicep, /loadJsonContent\('app-settings\.json'\)/);
    assert.match(bicep, /union\(settings\.static, settings\.platform,/);
    for (const variable of [...Object.keys(settings.fromParameters), ...Object.keys(settings.fromResources), ...Object.keys(settings.keyVaultReferences)]) {
      assert.match(bicep, new RegExp(`^\\s+${variable}: `, 'm'), `main.bicep sets ${variable}`);
    }
    for (const [variable, parameter] of Object.entries(settings.keyVaultReferences)) {
      assert.match(bicep, new RegExp(`${variable}: '@Microsoft\\.KeyVault\\(SecretUri=\\$\\{${parameter}\\}\\)'`), `${variable} is a Key Vault reference`);
    }
  });

  it('names each parameter like its variable and fills it from env/.env.<name>, with no secret in any parameter file', () => {
    for (const [variable, parameter] of Object.entries(settings.fromParameters)) {
      assert.equal(parameter, camel(variable), `${variable} → ${camel(variable)}`);
      assert.match(bicep, new RegExp(`^param ${parameter} `, 'm'));
      assert.equal(parameters[parameter]?.value, `\${{${variable}}}`);
    }
    for (const [name, { value }] of Object.entries(parameters)) {
      assert.match(value, /^\$\{\{[A-Z0-9_]+\}\}$/, `${name} is a placeholder, not a value`);
      assert.doesNotMatch(name, /secret(?!Uri)|password|key(?!s?SecretUri)/i, `${name} is not a secret`);
    }
    assert.doesNotMatch(bicep, /@secure\(\)/, 'no secure parameter: nothing secret is passed in');
  });

  it('has m365agents.yml name files that exist, and the Bicep outputs it uses', () => {
    const lifecycle = parse(read('m365agents.yml')) as Record<string, { uses: string; with?: Record<string, unknown> }[]>;
    const files: string[] = [];
    for (const stage of ['provision', 'deploy', 'publish']) {
      assert.ok(Array.isArray(lifecycle[stage]), `${stage} stage`);
      for (const step of lifecycle[stage]!) {
        for (const key of ['manifestPath', 'ignoreFile']) if (typeof step.with?.[key] === 'string') files.push(step.with[key] as string);
        for (const template of (step.with?.['templates'] as { path: string; parameters: string }[] | undefined) ?? [])
          files.push(template.path, template.parameters);
      }
    }
    assert.ok(files.length >= 4);
    for (const file of files) assert.ok(existsSync(path.join(ROOT, file)), `${file} exists`);
    assert.ok(existsSync(path.join(ROOT, 'env', '.env.dev')), 'env/.env.dev (environmentFolderPath ./env)');
    const yaml = read('m365agents.yml');
    for (const output of [...yaml.matchAll(/\$\{\{(BOT_AZURE_APP_SERVICE_RESOURCE_ID)\}\}/g)].map((m) => m[1]!)) {
      assert.match(bicep, new RegExp(`^output ${output} `, 'm'), `main.bicep outputs ${output}`);
    }
  });

  it('builds a Dockerfile that runs as a non-root user on Node 20 with production dependencies only', () => {
    const dockerfile = read('Dockerfile');
    assert.match(dockerfile, /^FROM node:20-/m);
    assert.match(dockerfile, /npm ci --omit=dev/);
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /^CMD \["node", "--disable-warning=DEP0111", "dist\/src\/main\.js"\]$/m);
    assert.match(read('.dockerignore'), /^node_modules$/m);
  });
});
