import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import pino from 'pino';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import type { TokenBroker } from '../../../../src/ports/token-broker.js';
import { SIGN_IN_EXPIRY_KIND, StepUpSignIn, type StepUpOptions } from '../../../../src/teams/sign-in/step-up.js';

const ADELE = 'a0000000-0000-4000-8000-00000000ade1';
const MINUTE = 60_000;

/** A token broker that records what the sign-in asked for and checks the PKCE pair like Entra. */
function broker() {
  const challenges = new Map<string, string>();
  const redeemed: { codeVerifier: string }[] = [];
  const tokens = {
    signInUrl: async (request: { state: string; codeChallenge: string; redirectUri: string }) => {
      challenges.set(request.state, request.codeChallenge);
      return `https://login.example/authorize?state=${encodeURIComponent(request.state)}`;
    },
    redeemSignIn: async (request: { code: string; codeVerifier: string }) => {
      const state = request.code.replace(/^code-for-/, '');
      const expected = challenges.get(state);
      const actual = createHash('sha256').update(request.codeVerifier).digest('base64url');
      if (expected !== actual) throw new Error('invalid_grant: PKCE verification failed');
      redeemed.push({ codeVerifier: request.codeVerifier });
      return { aadObjectId: ADELE, tenantId: 't' };
    },
    forget: () => undefined,
  } as unknown as TokenBroker;
  return { tokens, redeemed };
}

/** A store, its timers and a clock the test moves. */
function setup(verifierKey = 'key-from-the-client-secret') {
  const store = SqliteElevationStore.open(':memory:');
  let now = Date.parse('2026-11-22T08:00:00Z');
  const clock = { now: () => new Date(now), sleep: async (ms: number) => void (now += ms) };
  const timers = store.timers(clock);
  const options: StepUpOptions = { publicUrl: () => 'https://elevate.example', logger: pino({ level: 'silent' }), store, timers, clock, verifierKey };
  return { store, timers, clock, options, advance: (ms: number) => void (now += ms) };
}

const stateOf = (url: string): string => decodeURIComponent(new URL(url).searchParams.get('state') ?? '');
const command = (text: string) => ({ kind: 'command' as const, text, conversationId: 'a:1' });
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
const pendingOf = async (store: SqliteElevationStore) => (await store.getDocument<{ entries: unknown[] }>(`signins:${ADELE}`))?.value.entries ?? [];

describe('step-up sign-in state', () => {
  it('survives a restart (another instance over the same store), is single-use, and stores no verifier', async () => {
    const { store, options } = setup();
    const { tokens, redeemed } = broker();
    const before = new StepUpSignIn(tokens, options);
    const url = await before.url(ADELE, { kind: 'elevation', elevationId: 'elevation-1' });
    const state = stateOf(url);

    const after = new StepUpSignIn(tokens, options);
    const { user, continuation } = await after.complete(`code-for-${state}`, state);
    assert.equal(user.aadObjectId, ADELE);
    assert.deepEqual(continuation, { kind: 'elevation', elevationId: 'elevation-1' });
    await assert.rejects(after.complete(`code-for-${state}`, state), /already used/);

    const stored = JSON.stringify(await collect(store.documents()));
    assert.ok(!stored.includes(redeemed[0]!.codeVerifier), 'the PKCE verifier is not in the store');
    assert.ok(!stored.includes(state.split('.')[1]!), 'nor the random part of the state');
    assert.deepEqual(await collect(store.claims()), [], 'and no claim is needed for single use');
  });

  it('cannot be completed by an instance with another key, nor with an unknown state', async () => {
    const { options } = setup();
    const { tokens } = broker();
    const state = stateOf(await new StepUpSignIn(tokens, { ...options, verifierKey: 'ours' }).url(ADELE, command('status')));
    await assert.rejects(new StepUpSignIn(tokens, { ...options, verifierKey: 'theirs' }).complete(`code-for-${state}`, state), /PKCE/);
    await assert.rejects(new StepUpSignIn(tokens, { ...options, verifierKey: 'ours' }).complete('code-for-x', 'not-a-state'), /unknown, expired/);
  });

  it('keeps one document per user, whatever the number of links: at most five pending sign-ins, the newest', async () => {
    const { store, options } = setup();
    const { tokens } = broker();
    const stepUp = new StepUpSignIn(tokens, options);
    const states: string[] = [];
    for (let n = 0; n < 1000; n++) states.push(stateOf(await stepUp.url(ADELE, command(`status ${n}`))));

    const keys = (await collect(store.documents())).map((d) => d.key);
    assert.deepEqual(keys, [`signins:${ADELE}`]);
    assert.equal((await pendingOf(store)).length, 5);
    await assert.rejects(stepUp.complete(`code-for-${states[994]}`, states[994]!), /unknown, expired or already used/, 'the sixth newest was dropped');
    const newest = await stepUp.complete(`code-for-${states[999]}`, states[999]!);
    assert.deepEqual(newest.continuation, command('status 999'));
    assert.equal((await pendingOf(store)).length, 4);
  });

  it('keeps up with simultaneous messages of one user: every link is made, the five newest stay usable', async () => {
    const { store, options } = setup();
    const stepUp = new StepUpSignIn(broker().tokens, options);

    const urls = await Promise.all(Array.from({ length: 8 }, (_, n) => stepUp.url(ADELE, command(`status ${n}`))));

    assert.equal(urls.length, 8);
    assert.equal((await pendingOf(store)).length, 5);
  });

  it('lets exactly one of two simultaneous callbacks with the same state through', async () => {
    const { options } = setup();
    const { tokens } = broker();
    const stepUp = new StepUpSignIn(tokens, options);
    const state = stateOf(await stepUp.url(ADELE, command('status')));
    await stepUp.url(ADELE, command('deactivate'));

    const results = await Promise.allSettled([stepUp.complete(`code-for-${state}`, state), stepUp.complete(`code-for-${state}`, state)]);

    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  });

  it('refuses a link older than 15 minutes and drops expired entries at the next write', async () => {
    const { store, options, advance } = setup();
    const { tokens } = broker();
    const stepUp = new StepUpSignIn(tokens, options);
    const old = stateOf(await stepUp.url(ADELE, command('status')));
    advance(16 * MINUTE);

    await assert.rejects(stepUp.complete(`code-for-${old}`, old), /unknown, expired/);
    await stepUp.url(ADELE, command('retry'));
    assert.deepEqual(
      (await pendingOf(store)).map((e) => (e as { continuation: unknown }).continuation),
      [command('retry')],
    );
  });

  it('refuses a state of the earlier release (signin:<hash> documents) with the "start again" error, not a crash', async () => {
    const { store, options } = setup();
    const { tokens } = broker();
    const oldState = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
    await store.putDocument(`signin:${createHash('sha256').update(oldState).digest('hex')}`, { aadObjectId: ADELE, continuation: command('status'), at: 0 });

    await assert.rejects(new StepUpSignIn(tokens, options).complete(`code-for-${oldState}`, oldState), /unknown, expired or already used/);
  });

  it('removes the document with a durable timer once every entry expired, and follows the newest entry before that', async () => {
    const { store, timers, clock, options, advance } = setup();
    const stepUp = new StepUpSignIn(broker().tokens, options);
    await stepUp.url(ADELE, command('status'));
    advance(10 * MINUTE);
    await stepUp.url(ADELE, command('retry'));

    const [timer, ...others] = await timers.list(`signins:${ADELE}`);
    assert.equal(others.length, 0, 'one timer for the user, not one per link');
    assert.equal(timer?.kind, SIGN_IN_EXPIRY_KIND);
    assert.equal(timer?.dueAt, new Date(Date.parse('2026-11-22T08:15:00Z')).toISOString());

    advance(6 * MINUTE);
    const early = await stepUp.expire(timer!);
    assert.deepEqual(early, { retryAt: new Date(clock.now().getTime() - 6 * MINUTE + 15 * MINUTE) });
    assert.notEqual(await store.getDocument(`signins:${ADELE}`), undefined, 'the document stays while an entry lives');

    advance(10 * MINUTE);
    assert.equal(await stepUp.expire(timer!), 'done');
    assert.equal(await store.getDocument(`signins:${ADELE}`), undefined);
  });

  it('starts a new generation (and timer) when every entry expired, so an older timer never deletes newer links', async () => {
    const { store, timers, options, advance } = setup();
    const stepUp = new StepUpSignIn(broker().tokens, options);
    await stepUp.url(ADELE, command('status'));
    const [first] = await timers.list(`signins:${ADELE}`);
    advance(20 * MINUTE);
    const fresh = stateOf(await stepUp.url(ADELE, command('retry')));

    assert.equal(await stepUp.expire(first!), 'done');
    assert.equal((await pendingOf(store)).length, 1, "the first generation's timer left the new link alone");
    assert.equal((await timers.list(`signins:${ADELE}`)).length, 2);
    assert.deepEqual((await stepUp.complete(`code-for-${fresh}`, fresh)).continuation, command('retry'));
  });
});
