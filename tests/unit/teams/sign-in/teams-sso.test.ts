import assert from 'node:assert/strict';
import pino from 'pino';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import type { TokenBroker } from '../../../../src/ports/token-broker.js';
import type { OutboundMessage } from '../../../../src/teams/chat.js';
import { SignIn } from '../../../../src/teams/sign-in/teams-sso.js';
import type { Turn } from '../../../../src/teams/turn.js';

const ADELE = 'a0000000-0000-4000-8000-00000000ade1';
const TEAMS_ID = '29:adele';

/** A token broker per instance: sessions live in its memory, as in MsalTokenBroker. */
function broker(): TokenBroker & { sessions: Set<string> } {
  const sessions = new Set<string>();
  return {
    sessions,
    hasSession: (oid: string) => sessions.has(oid),
    acceptSsoToken: async (token: string, oid?: string) => {
      if (token !== 'sso-token-of-adele' || oid !== ADELE) throw new Error('not this user’s token');
      sessions.add(ADELE);
      return { aadObjectId: ADELE, tenantId: 't' };
    },
  } as unknown as TokenBroker & { sessions: Set<string> };
}

function turn(overrides: Partial<Turn> = {}): Turn & { sent: OutboundMessage[]; responses: number[] } {
  const sent: OutboundMessage[] = [];
  const responses: number[] = [];
  return {
    type: 'message',
    name: undefined,
    text: 'elevate me in Contoso Prod',
    value: undefined,
    activityId: 'activity-1',
    replyToId: undefined,
    from: { id: TEAMS_ID, aadObjectId: ADELE, name: 'Adele' },
    chat: { conversationId: 'a:adele', serviceUrl: 'https://smba.example/' },
    team: undefined,
    utcOffsetMinutes: 0,
    send: async (message) => (sent.push(message), 'sent-1'),
    update: async () => undefined,
    respond: async (status) => void responses.push(status),
    sent,
    responses,
    ...overrides,
  };
}

const exchange = (id = 'exchange-1', token = 'sso-token-of-adele') =>
  turn({ type: 'invoke', name: 'signin/tokenExchange', value: { id, connectionName: 'sso', token } });

/** Two bot instances: one store, each its own memory. */
function twoInstances() {
  const store = SqliteElevationStore.open(':memory:');
  const make = () => {
    const tokens = broker();
    const signIn = new SignIn(tokens, { store, fallbackLink: async () => 'https://elevate.example/auth/start', logger: pino({ level: 'silent' }) });
    return { tokens, signIn };
  };
  return { a: make(), b: make() };
}

describe('Teams SSO across instances (the message, its token exchange and the next tap may reach different instances)', () => {
  it('replays the message that asked for sign-in on the instance that gets the exchange', async () => {
    const { a, b } = twoInstances();
    const message = turn();

    assert.equal(await a.signIn.ensureSignedIn(message, message.text), false);
    const outcome = await b.signIn.exchange(exchange());

    assert.equal(message.sent.length, 1, 'instance A sent the sign-in card');
    assert.deepEqual(outcome.pending?.text, 'elevate me in Contoso Prod');
    assert.equal(outcome.user?.aadObjectId, ADELE);
    assert.ok(b.tokens.sessions.has(ADELE));
  });

  it('replays it once when Teams sends the same exchange to both instances, while both keep the token', async () => {
    const { a, b } = twoInstances();
    await a.signIn.ensureSignedIn(turn(), 'elevate me in Contoso Prod');

    const outcomes = await Promise.all([a.signIn.exchange(exchange()), b.signIn.exchange(exchange())]);

    assert.equal(outcomes.filter((o) => o.pending).length, 1);
    assert.ok(a.tokens.sessions.has(ADELE) && b.tokens.sessions.has(ADELE));
  });

  it('binds the object id to the Teams user that signed in, for every instance (turn-gate.ts)', async () => {
    const { a, b } = twoInstances();
    assert.equal(await b.signIn.boundTeamsUserId(ADELE), undefined);

    await a.signIn.exchange(exchange());

    assert.equal(await b.signIn.boundTeamsUserId(ADELE), TEAMS_ID, 'instance B refuses another Teams user claiming Adele');
  });

  it('answers 412 and replays nothing for a token that is not the sender’s', async () => {
    const { a, b } = twoInstances();
    await a.signIn.ensureSignedIn(turn(), 'elevate me in Contoso Prod');
    const refused = exchange('exchange-1', 'someone-else');

    const outcome = await b.signIn.exchange(refused);

    assert.deepEqual([refused.responses, outcome], [[412], {}]);
    assert.equal((await a.signIn.exchange(exchange('exchange-2'))).pending?.text, 'elevate me in Contoso Prod', 'still waiting for a good exchange');
  });

  it('keeps a card tap that needed the sign-in, to replay that tap (not a fresh request card) wherever the exchange lands', async () => {
    const { a, b } = twoInstances();
    const data = { requestId: 'r-1', roleId: 'role', duration: 'PT1H', justification: 'Fix the broken flow INC1' };
    const tap = turn({
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: 'card-1',
      value: { action: { type: 'Action.Execute', verb: 'elevate.submit', data } },
    });
    await a.signIn.ensureSignedIn(tap, 'elevate me in env-1');

    const { pending } = await b.signIn.exchange(exchange());

    assert.deepEqual(pending?.action, { verb: 'elevate.submit', data, replyToId: 'card-1' });
    assert.equal(pending?.text, 'elevate me in env-1', 'the text replay stays the fallback');
  });

  it('does not keep a tap whose data is not an object or is oversized (the text replay still runs)', async () => {
    for (const data of ['text', [1, 2], { blob: 'x'.repeat(10_000) }]) {
      const { a, b } = twoInstances();
      const tap = turn({ type: 'invoke', name: 'adaptiveCard/action', replyToId: 'card-1', value: { action: { verb: 'elevate.submit', data } } });
      await a.signIn.ensureSignedIn(tap, 'status');

      const { pending } = await b.signIn.exchange(exchange());

      assert.deepEqual([pending?.text, pending?.action], ['status', undefined]);
    }
  });
});
