import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import pino from 'pino';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import type { TokenBroker } from '../../../../src/ports/token-broker.js';
import { StepUpSignIn } from '../../../../src/teams/sign-in/step-up.js';

const ADELE = 'a0000000-0000-4000-8000-00000000ade1';

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

const stateOf = (url: string): string => decodeURIComponent(new URL(url).searchParams.get('state') ?? '');

describe('step-up sign-in state', () => {
  it('survives a restart (another instance over the same store), is single-use, and stores no verifier', async () => {
    const store = SqliteElevationStore.open(':memory:');
    const { tokens, redeemed } = broker();
    const options = { publicUrl: () => 'https://elevate.example', logger: pino({ level: 'silent' }), store, verifierKey: 'key-from-the-client-secret' };
    const before = new StepUpSignIn(tokens, options);
    const url = await before.url(ADELE, { kind: 'elevation', elevationId: 'elevation-1' });
    const state = stateOf(url);

    const after = new StepUpSignIn(tokens, options);
    const { user, continuation } = await after.complete(`code-for-${state}`, state);
    assert.equal(user.aadObjectId, ADELE);
    assert.deepEqual(continuation, { kind: 'elevation', elevationId: 'elevation-1' });
    await assert.rejects(after.complete(`code-for-${state}`, state), /already used/);

    const stored = JSON.stringify(await store.getDocument(`signin:${createHash('sha256').update(state).digest('hex')}`));
    assert.ok(!stored.includes(redeemed[0]!.codeVerifier), 'the PKCE verifier is not in the store');
    assert.ok(!stored.includes(state), 'nor the state itself');
  });

  it('cannot be completed by an instance with another key, nor with an unknown state', async () => {
    const store = SqliteElevationStore.open(':memory:');
    const { tokens } = broker();
    const base = { publicUrl: () => 'https://elevate.example', logger: pino({ level: 'silent' }), store };
    const state = stateOf(
      await new StepUpSignIn(tokens, { ...base, verifierKey: 'ours' }).url(ADELE, { kind: 'command', text: 'status', conversationId: 'a:1' }),
    );
    await assert.rejects(new StepUpSignIn(tokens, { ...base, verifierKey: 'theirs' }).complete(`code-for-${state}`, state), /PKCE/);
    await assert.rejects(new StepUpSignIn(tokens, { ...base, verifierKey: 'ours' }).complete('code-for-x', 'not-a-state'), /unknown or expired/);
  });
});
