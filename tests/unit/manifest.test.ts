import AdmZip from 'adm-zip';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { PackageError, buildManifest, envArgument, packageApp, parseEnvFile, placeholders, validateManifest } from '../../scripts/package-app.js';
import { repoRoot } from '../harness/env.js';
import { TEAM, TENANT_ID, USERS } from '../simulator/tenant/seed.js';

const ROOT = repoRoot();
const TEMPLATE = readFileSync(path.join(ROOT, 'manifest', 'manifest.json'), 'utf8');
const LOCAL = parseEnvFile(readFileSync(path.join(ROOT, 'env', '.env.local'), 'utf8'));
const SCHEMAS = path.join(ROOT, 'node_modules', '@microsoft', 'app-manifest', 'build', 'json-schemas', 'teams');

interface Manifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  bots: { botId: string; scopes: string[]; supportsFiles: boolean; commandLists: { scopes: string[]; commands: { title: string }[] }[] }[];
  webApplicationInfo: { id: string; resource: string };
  validDomains: string[];
  name: { short: string };
}

const filled = (vars: Record<string, string | undefined> = LOCAL) => buildManifest(TEMPLATE, vars) as unknown as Manifest;

/** Width, height and RGBA pixels of a PNG whose scanlines all use filter 0 (as scripts/generate-icons.ts writes). */
function decodePng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  assert.deepEqual([...png.subarray(24, 26)], [8, 6], '8-bit RGBA');
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rows = Array.from({ length: height }, (_, y) => raw.subarray(y * (1 + width * 4), (y + 1) * (1 + width * 4)));
  assert.ok(
    rows.every((row) => row[0] === 0),
    'filter 0',
  );
  return { width, height, pixels: Buffer.concat(rows.map((row) => row.subarray(1))) };
}

describe('Teams app manifest', () => {
  it('uses the latest Teams schema that @microsoft/app-manifest bundles, 1.19 or later', () => {
    const versions = readdirSync(SCHEMAS)
      .filter((v) => /^v\d+\.\d+$/.test(v))
      .map((v) => v.slice(1));
    const latest = versions.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1])).at(-1);
    const manifest = filled();

    assert.equal(manifest.manifestVersion, latest);
    assert.ok(Number(manifest.manifestVersion.split('.')[1]) >= 19);
    assert.equal(manifest.$schema, `https://developer.microsoft.com/json-schemas/teams/v${latest}/MicrosoftTeams.schema.json`);
  });

  it('validates offline against the bundled schema with no errors once filled', async () => {
    assert.deepEqual(await validateManifest(buildManifest(TEMPLATE, LOCAL)), []);
  });

  it('reports schema errors, so validation really ran', async () => {
    const errors = await validateManifest({ ...buildManifest(TEMPLATE, LOCAL), accentColor: 'purple' });

    assert.ok(
      errors.some((e) => e.includes('/accentColor')),
      errors.join('\n'),
    );
  });

  it('has only the five documented placeholders', () => {
    assert.deepEqual(placeholders(TEMPLATE).sort(), ['AAD_APP_CLIENT_ID', 'APP_NAME_SUFFIX', 'BOT_DOMAIN', 'BOT_ID', 'TEAMS_APP_ID']);
  });

  it('declares the bot for personal, team and group chat, with SSO and valid domains', () => {
    const manifest = filled();
    const bot = manifest.bots[0];

    assert.equal(manifest.id, LOCAL['TEAMS_APP_ID']);
    assert.equal(bot?.botId, LOCAL['BOT_ID']);
    assert.deepEqual(bot?.scopes, ['personal', 'team', 'groupChat']);
    assert.equal(bot?.supportsFiles, false);
    assert.deepEqual(manifest.webApplicationInfo, { id: LOCAL['AAD_APP_CLIENT_ID'], resource: `api://botid-${LOCAL['BOT_ID']}` });
    assert.deepEqual(manifest.validDomains, ['token.botframework.com', LOCAL['BOT_DOMAIN']]);
    assert.equal(manifest.name.short, `Elevate${LOCAL['APP_NAME_SUFFIX']}`);
  });

  it('lists the commands per scope', () => {
    const lists = filled().bots[0]?.commandLists.map((l) => [l.scopes, l.commands.map((c) => c.title)]);

    assert.deepEqual(lists, [
      [['personal'], ['elevate me in', 'status', 'help']],
      [['team'], ['notify here', 'approvals here', 'help']],
    ]);
  });

  const missingCases = [
    { name: 'names a missing variable', vars: { ...LOCAL, BOT_ID: undefined }, expected: /No value for BOT_ID: set it/ },
    {
      name: 'names every missing variable',
      vars: { APP_NAME_SUFFIX: '' },
      expected: /No value for TEAMS_APP_ID, BOT_DOMAIN, BOT_ID, AAD_APP_CLIENT_ID: set them/,
    },
    { name: 'refuses an empty id', vars: { ...LOCAL, TEAMS_APP_ID: ' ' }, expected: /No value for TEAMS_APP_ID/ },
  ];
  for (const { name, vars, expected } of missingCases) {
    it(`${name}`, () => {
      assert.throws(
        () => buildManifest(TEMPLATE, vars),
        (error: unknown) => error instanceof PackageError && expected.test(error.message),
      );
    });
  }

  it('accepts an empty name suffix and escapes values for JSON', () => {
    assert.equal(filled({ ...LOCAL, APP_NAME_SUFFIX: '' }).name.short, 'Elevate');
    assert.equal(filled({ ...LOCAL, APP_NAME_SUFFIX: ' "q"\\' }).name.short, 'Elevate "q"\\');
  });
});

describe('app package', () => {
  let outDir = '';
  beforeEach(() => (outDir = mkdtempSync(path.join(os.tmpdir(), 'elevate-package-'))));
  afterEach(() => rmSync(outDir, { recursive: true, force: true }));

  it('zips exactly the filled manifest and the two icons', async () => {
    const zipPath = await packageApp({ env: 'local', root: ROOT, outDir, environment: {} });

    assert.equal(zipPath, path.join(outDir, 'appPackage.local.zip'));
    const zip = new AdmZip(zipPath);
    assert.deepEqual(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
      ['color.png', 'manifest.json', 'outline.png'],
    );
    const manifest = JSON.parse(zip.readAsText('manifest.json')) as Manifest;
    assert.equal(manifest.bots[0]?.botId, LOCAL['BOT_ID']);
    assert.ok(!zip.readAsText('manifest.json').includes('${{'));
  });

  it('lets the process environment override the env file', async () => {
    const zip = new AdmZip(await packageApp({ env: 'local', root: ROOT, outDir, environment: { BOT_DOMAIN: 'elevate.contoso.example' } }));

    assert.ok((JSON.parse(zip.readAsText('manifest.json')) as Manifest).validDomains.includes('elevate.contoso.example'));
  });

  it('fails on the dev template until it is filled in, naming what is missing', async () => {
    await assert.rejects(packageApp({ env: 'dev', root: ROOT, outDir, environment: {} }), /No value for TEAMS_APP_ID, BOT_DOMAIN, BOT_ID, AAD_APP_CLIENT_ID/);
    assert.equal(existsSync(path.join(outDir, 'appPackage.dev.zip')), false);
  });

  it('has a 192×192 colour icon and a 32×32 outline icon of white on transparent', () => {
    const color = decodePng(readFileSync(path.join(ROOT, 'manifest', 'color.png')));
    const outline = decodePng(readFileSync(path.join(ROOT, 'manifest', 'outline.png')));

    assert.deepEqual([color.width, color.height], [192, 192]);
    assert.deepEqual([outline.width, outline.height], [32, 32]);
    const alphas = new Set<number>();
    for (let i = 0; i < outline.pixels.length; i += 4) {
      assert.deepEqual([...outline.pixels.subarray(i, i + 3)], [255, 255, 255]);
      alphas.add(outline.pixels[i + 3] ?? -1);
    }
    assert.ok(alphas.has(0) && alphas.has(255), 'transparent background, opaque arrow');
  });

  const envFileCases: { text: string; expected: Record<string, string> }[] = [
    { text: '# comment\nA=1\n\n  B = two words  \nexport C="quoted"\nD=\'single\'\nE=', expected: { A: '1', B: 'two words', C: 'quoted', D: 'single', E: '' } },
    { text: 'URL=https://x.example/a=b#frag\r\nnot a line', expected: { URL: 'https://x.example/a=b#frag' } },
  ];
  for (const { text, expected } of envFileCases) {
    it(`reads env file lines ${JSON.stringify(text.split(/\r?\n/)[0])}...`, () => assert.deepEqual(parseEnvFile(text), expected));
  }

  it('takes --env from the command line, dev by default', () => {
    assert.equal(envArgument(['--env', 'local']), 'local');
    assert.equal(envArgument(['--env=local']), 'local');
    assert.equal(envArgument([]), 'dev');
  });
});

describe('Agents Playground config', () => {
  const config = parseYaml(readFileSync(path.join(ROOT, '.m365agentsplayground.yml'), 'utf8')) as {
    tenantId: string;
    currentUser: { id: string; aadObjectId: string; name: string; userPrincipleName: string };
    users: { id: string; aadObjectId: string; name: string; userPrincipleName: string }[];
    team: { id: string; aadGroupId: string; channels: { id: string }[] };
  };

  it('has the seed tenant, exactly five users besides the current one, and unique user ids', () => {
    assert.equal(config.tenantId, TENANT_ID);
    assert.equal(config.users.length, 5);
    const ids = [config.currentUser, ...config.users].map((u) => u.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('includes every demo user with their seed object id, name and UPN', () => {
    const people = [config.currentUser, ...config.users];
    for (const user of Object.values(USERS)) {
      const entry = people.find((p) => p.aadObjectId === user.id);
      assert.deepEqual([entry?.name, entry?.userPrincipleName, entry?.id], [user.name, user.upn, `29:${user.id}`]);
    }
  });

  it('puts the seed team and its security channel in the team', () => {
    assert.deepEqual([config.team.id, config.team.aadGroupId, config.team.channels.map((c) => c.id)], [TEAM.id, TEAM.aadGroupId, [TEAM.securityChannelId]]);
  });
});
