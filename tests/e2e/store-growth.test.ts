import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { TeamsClient, USERS, cardText, findAction, request, type BotProcess, type RecordedActivity, type Simulator } from '../harness/index.js';
import { followSignIn } from '../harness/browser-sign-in.js';
import { SUBMIT, eventually, hasVerb, isOAuth, openRequestCard, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';

const MESSAGES = 1000;
const TEXT = 'elevate me in Contoso Prod for 2h because INC0012345 broken flow';

/** Reads the bot's SQLite store beside the running bot (WAL lets a reader in). */
function query<T>(bot: BotProcess, sql: string, ...parameters: unknown[]): T[] {
  const db = new BetterSqlite3(bot.storePath, { readonly: true });
  try {
    return db.prepare(sql).all(...parameters) as T[];
  } finally {
    db.close();
  }
}

/** The interactive sign-in link of an OAuth card (its sign-in button). */
function signInLinkOf(record: RecordedActivity): string {
  const content = record.activity.attachments?.[0]?.content as { buttons?: { value?: string }[] } | undefined;
  const link = content?.buttons?.[0]?.value;
  assert.ok(link, 'the OAuth card has a sign-in link');
  return link;
}

describe('bounded store growth (issue #11): what messages leave behind', function () {
  this.timeout(180_000);
  let sim: Simulator;
  let bot: BotProcess;

  before(async () => {
    ({ sim, bot } = await startSimulatorAndBot());
    // A thousand replies in one chat are over Teams' rate limits; this test is about the store, not pacing.
    await sim.control.settings({ connectorRateScale: 0 });
  });
  after(() => stopBotAndSimulator(bot, sim));

  it(`keeps one sign-in document with at most five pending sign-ins for ${MESSAGES} messages of a user who never signs in`, async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    for (let sent = 0; sent < MESSAGES - 1; sent += 3) {
      const batch = await Promise.all(Array.from({ length: Math.min(3, MESSAGES - 1 - sent) }, () => adele.say(TEXT)));
      for (const result of batch) assert.equal(result.status, 200);
    }
    assert.equal((await adele.say(TEXT)).status, 200);

    const documents = query<{ key: string; value: string }>(bot, "SELECT key, value FROM documents WHERE key LIKE 'signin%'");
    assert.deepEqual(
      documents.map((d) => d.key),
      [`signins:${USERS.adele.id}`],
    );
    assert.equal((JSON.parse(documents[0]!.value) as { entries: unknown[] }).entries.length, 5);
    const oauthCards = (await adele.activities()).filter(isOAuth);
    assert.equal(oauthCards.length, MESSAGES, 'every message was answered with a sign-in card');

    // The oldest link was dropped ("start again"); the newest signs in and runs the command it came with.
    const oldest = await followSignIn(signInLinkOf(oauthCards[0]!), sim.ca, {});
    assert.equal((await request(oldest.redirectedTo.toString())).status, 400);
    const newest = await followSignIn(signInLinkOf(oauthCards.at(-1)!), sim.ca, {});
    assert.equal((await request(newest.redirectedTo.toString())).status, 200);
    await adele.waitFor((r) => hasVerb(r, SUBMIT), { timeoutMs: 20_000, what: 'the request card after signing in' });
    const [left] = query<{ value: string }>(bot, 'SELECT value FROM documents WHERE key = ?', `signins:${USERS.adele.id}`);
    assert.equal((JSON.parse(left!.value) as { entries: unknown[] }).entries.length, 4, 'the used sign-in is gone');
  });

  it('keeps a requester five unsubmitted requests, and answers a tap on a removed one with "this request expired"', async () => {
    const alex = new TeamsClient({ botUrl: bot.url, sim, user: USERS.alex });
    const first = await openRequestCard(alex, 'elevate me in Contoso Prod');
    for (let n = 0; n < 6; n++) await openRequestCard(alex, 'elevate me in Contoso Prod');
    const drafts = () => query<{ n: number }>(bot, "SELECT count(*) AS n FROM elevations WHERE requester = ? AND state = 'draft'", USERS.alex.id)[0]!.n;
    await eventually(async () => drafts() === 5, 'five drafts left');

    const tapped = await alex.tap(first, SUBMIT, { justification: 'Fix the broken approval flow INC0012345' });

    assert.equal(tapped.status, 200);
    assert.match(cardText(tapped.card), /This request expired/);
    assert.ok(findAction(tapped.card ?? {}, 'elevate.start'), 'with Start again');
    const again = await alex.tap(first, 'elevate.start');
    assert.ok(findAction(again.card ?? {}, SUBMIT), 'Start again gives a new request card for the same environment');
    assert.match(cardText(again.card), /Contoso Prod/);
    await eventually(async () => drafts() === 5, 'still five drafts');
  });
});
