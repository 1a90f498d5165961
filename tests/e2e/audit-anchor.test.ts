import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { TEAM, TeamsClient, USERS, cardOf, cardText, repoRoot, startBot, startSimulator, type BotProcess, type Simulator } from '../harness/index.js';
import { auditKeysEnv } from '../support/audit-keys.js';
import { writeLegacyAuditStore } from '../support/legacy-audit-store.js';
import { eventually, stopBotAndSimulator } from './support/flow.js';

const KEYS = { ELEVATE_AUDIT_KEYS: auditKeysEnv() };
const ANCHOR = /--anchor (\d+:[0-9a-f]{64})/;

/** The compiled `npm run audit` as a child process. */
function auditCli(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(repoRoot(), 'dist/src/audit-cli.js'), ...args],
      { env: { PATH: process.env.PATH ?? '', ...KEYS }, timeout: 30_000 },
      (error, stdout) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        if (typeof code !== 'number') reject(error ?? new Error('no exit code'));
        else resolve({ code, stdout });
      },
    );
  });
}

describe('audit anchors in the security channel', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess | undefined;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'elevate-anchor-e2e-'));
    sim = await startSimulator();
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });
  after(async () => {
    await stopBotAndSimulator(bot, sim);
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts an anchor on demand that `npm run audit -- --verify --anchor` checks, and that finds an emptied log', async () => {
    bot = await startBot({ sim, storePath: join(dir, 'elevate.db'), env: { ...KEYS, ELEVATE_TIMER_POLL_SECONDS: '1' } });
    const url = bot.url;
    const security = new TeamsClient({
      botUrl: url,
      sim,
      user: USERS.nestor,
      conversation: { type: 'channel', teamId: TEAM.id, channelId: TEAM.securityChannelId },
    });
    await security.say('notify here');
    await security.waitForText('Elevate will post every elevation');
    const nestor = new TeamsClient({ botUrl: url, sim, user: USERS.nestor });

    await nestor.say('audit anchor');

    const reply = cardText(cardOf(await nestor.waitForText('Audit anchor published')));
    const posts = async () => (await security.activities()).map((r) => cardText(cardOf(r))).filter((text) => /Audit anchor: entry #/.test(text));
    await eventually(async () => (await posts()).length === 1, 'the anchor post in the security channel');
    const [post = ''] = await posts();
    const anchor = ANCHOR.exec(post)?.[1] ?? '';
    assert.match(post, /Elevate verified its audit log: 1 entry up to #1 sealed with key "test-1"\. Published on request of Nestor Wilke\./);
    assert.equal(ANCHOR.exec(reply)?.[1], anchor, 'the reply and the post carry the same anchor');

    await bot?.stop();
    bot = undefined;
    const store = join(dir, 'elevate.db');
    const intact = await auditCli(['--store', store, '--verify', '--anchor', anchor]);
    const db = new BetterSqlite3(store);
    db.exec('DROP TRIGGER audit_no_delete; DELETE FROM audit;');
    db.close();
    const emptied = await auditCli(['--store', store, '--verify', '--anchor', anchor]);

    assert.deepEqual(intact, { code: 0, stdout: `chain intact: 1 entry, anchor #1 matches (record --anchor ${anchor} to detect later truncation)\n` });
    assert.deepEqual(emptied, { code: 1, stdout: 'broken at entry #1: anchored entry is missing: the log is empty (entries were deleted)\n' });
  });

  it('seals at start the audit log of a store written before audit keys, which then verifies against an old anchor', async () => {
    const store = join(dir, 'legacy.db');
    const fixture = writeLegacyAuditStore(store);

    bot = await startBot({ sim, storePath: store, env: KEYS });
    const sealed = await bot.waitForLog((entry) => entry['event'] === 'auditSealed');
    await bot.stop();
    bot = undefined;
    const verified = await auditCli(['--store', store, '--verify', '--anchor', `5:${fixture.rows[4]?.hash}`]);

    assert.deepEqual([sealed['unkeyed'], sealed['seq']], [5, 6]);
    assert.equal(verified.code, 0);
    assert.match(
      verified.stdout,
      /^chain intact: 6 entries, the first 5 written before audit keys and sealed by #6, anchor #5 matches \(record --anchor 6:[0-9a-f]{64} /,
    );
  });
});
