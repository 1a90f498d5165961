/**
 * `npm run package -- --env local|dev` (default dev): fills the `${{NAME}}` placeholders of
 * `manifest/manifest.json` from `env/.env.<env>` (the process environment wins), validates the
 * result against the manifest's bundled JSON schema, and writes
 * `appPackage/build/appPackage.<env>.zip` with manifest.json, color.png and outline.png.
 */
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import AdmZip from 'adm-zip';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type ManifestJson = Record<string, unknown> & { $schema: string };

export class PackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageError';
  }
}

/** Placeholders that may be empty (an empty suffix is the production name). */
export const MAY_BE_EMPTY: readonly string[] = ['APP_NAME_SUFFIX'];
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ICONS = ['color.png', 'outline.png'] as const;

/**
 * `NAME=value` lines of a dotenv file: `#` comments and blank lines skipped, optional `export `,
 * values trimmed and unquoted. No interpolation, no multi-line values.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith('#')) continue;
    const [, name = '', value = ''] = match;
    vars[name] = value.replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

/** The placeholder names in `template`, in order of first appearance. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/**
 * The manifest with every `${{NAME}}` replaced by `vars[NAME]` (JSON-escaped). Throws PackageError
 * naming every placeholder without a value (missing, or empty where MAY_BE_EMPTY does not allow it).
 */
export function buildManifest(template: string, vars: Readonly<Record<string, string | undefined>>): ManifestJson {
  const missing = placeholders(template).filter((name) => {
    const value = vars[name];
    return value === undefined || (value.trim() === '' && !MAY_BE_EMPTY.includes(name));
  });
  if (missing.length > 0)
    throw new PackageError(`No value for ${missing.join(', ')}: set ${missing.length > 1 ? 'them' : 'it'} in the env file or the environment.`);
  const filled = template.replace(PLACEHOLDER, (_, name: string) => JSON.stringify(vars[name] ?? '').slice(1, -1));
  const manifest = JSON.parse(filled) as ManifestJson;
  if (typeof manifest.$schema !== 'string') throw new PackageError('manifest.json has no $schema');
  return manifest;
}

/** Schema errors of `manifest` against its `$schema` (the copy bundled with @microsoft/app-manifest: offline). */
export async function validateManifest(manifest: ManifestJson): Promise<string[]> {
  return AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest);
}

export interface PackageOptions {
  /** `local`, `dev`, ...: reads `env/.env.<env>`. */
  env: string;
  root: string;
  /** Wins over the env file. */
  environment?: Readonly<Record<string, string | undefined>>;
  /** Defaults to `<root>/appPackage/build`. */
  outDir?: string;
}

/** Builds, validates and zips the app package; returns the zip's path. */
export async function packageApp(options: PackageOptions): Promise<string> {
  if (!/^[A-Za-z0-9_-]+$/.test(options.env)) throw new PackageError(`Not an environment name: ${options.env}`);
  const envFile = path.join(options.root, 'env', `.env.${options.env}`);
  if (!existsSync(envFile)) throw new PackageError(`No env file ${envFile}`);
  const fileVars = parseEnvFile(readFileSync(envFile, 'utf8'));
  const vars: Record<string, string | undefined> = { ...fileVars };
  for (const [name, value] of Object.entries(options.environment ?? {})) if (value !== undefined) vars[name] = value;
  const manifestDir = path.join(options.root, 'manifest');
  const manifest = buildManifest(readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8'), vars);
  const errors = await validateManifest(manifest);
  if (errors.length > 0) throw new PackageError(`manifest.json does not match ${manifest.$schema}:\n  ${errors.join('\n  ')}`);
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
  for (const icon of ICONS) zip.addFile(icon, readFileSync(path.join(manifestDir, icon)));
  const outDir = options.outDir ?? path.join(options.root, 'appPackage', 'build');
  mkdirSync(outDir, { recursive: true });
  const target = path.join(outDir, `appPackage.${options.env}.zip`);
  zip.writeZip(target);
  return target;
}

/** `--env NAME`, `--env=NAME` or `-e NAME`; `dev` when absent. */
export function envArgument(argv: readonly string[]): string {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--env=')) return arg.slice('--env='.length);
    if (arg === '--env' || arg === '-e') return argv[i + 1] ?? '';
  }
  return 'dev';
}

if (require.main === module) {
  packageApp({ env: envArgument(process.argv.slice(2)), root: path.resolve(__dirname, '..'), environment: process.env })
    .then((zip) => console.log(`wrote ${path.relative(process.cwd(), zip)}`))
    .catch((error: unknown) => {
      console.error(error instanceof PackageError ? error.message : error);
      process.exitCode = 1;
    });
}
