import assert from 'node:assert/strict';
import pino from 'pino';
import { ConversationDirectory } from '../../../../src/teams/channels/conversations.js';
import type { ChatAddress, OutboundMessage } from '../../../../src/teams/chat.js';
import { onMessage } from '../../../../src/teams/routes/messages.js';
import { tellTurnFailure } from '../../../../src/teams/routes/turn-failure.js';
import type { TeamsServices } from '../../../../src/teams/services.js';
import type { Turn } from '../../../../src/teams/turn.js';
import { FakePim, FakePowerPlatform, fakeDeps, USER } from '../../use-cases/fakes.js';

/**
 * Routes run on Elevate's own `Turn` (src/teams/turn.ts): no TurnContext, no adapter, no HTTP. The
 * host makes the turn from the SDK's; these tests make it by hand (issue #10).
 */
class FakeTurn implements Turn {
  readonly sent: OutboundMessage[] = [];
  readonly responses: Array<{ status: number; body?: unknown }> = [];
  readonly type: string;
  readonly name: string | undefined;
  readonly text: string;
  readonly value: unknown = undefined;
  readonly activityId: string | undefined;
  readonly replyToId = undefined;
  readonly from = { id: '29:1adele', aadObjectId: USER, name: 'Adele Vance' };
  readonly chat: ChatAddress;
  readonly team: Turn['team'];
  readonly utcOffsetMinutes = 0;
  constructor(options: { text?: string; id?: string; channel?: boolean; invoke?: string; locale?: string }) {
    this.type = options.invoke ? 'invoke' : 'message';
    this.name = options.invoke;
    this.text = options.text ?? '';
    this.activityId = options.id;
    this.chat = options.channel
      ? { conversationId: '19:general@thread.tacv2', serviceUrl: 'https://smba.example/', conversationType: 'channel', tenantId: 'tenant-1' }
      : {
          conversationId: 'a:1adele-chat',
          serviceUrl: 'https://smba.example/',
          conversationType: 'personal',
          tenantId: 'tenant-1',
          ...(options.locale ? { locale: options.locale, timezone: 'Europe/Berlin' } : {}),
        };
    this.team = options.channel ? { teamId: '19:team@thread.tacv2', channelId: '19:general@thread.tacv2' } : undefined;
  }
  async send(message: OutboundMessage): Promise<string> {
    this.sent.push(message);
    return `m-${this.sent.length}`;
  }
  async update(): Promise<void> {}
  async respond(status: number, body?: unknown): Promise<void> {
    this.responses.push({ status, body });
  }
}

const titleOf = (message: OutboundMessage | undefined): string => {
  const card = message && 'card' in message ? (message.card as { body?: Array<{ text?: string }> }) : undefined;
  return JSON.stringify(card?.body ?? message);
};

describe('routes run on Elevate turns, without the Bot Framework (issue #10)', () => {
  function services(): TeamsServices {
    const elevation = fakeDeps(new FakePim(), new FakePowerPlatform());
    return {
      elevation,
      conversations: new ConversationDirectory(elevation.store),
      logger: pino({ level: 'silent' }),
    } as unknown as TeamsServices;
  }

  it('answers `help` with the help card and remembers the chat for later messages', async () => {
    const s = services();
    const turn = new FakeTurn({ text: 'help', id: 'f:1' });
    await onMessage(s, turn);
    assert.equal(turn.sent.length, 1);
    assert.match(titleOf(turn.sent[0]), /elevate me in/i);
    assert.equal((await s.conversations.find('a:1adele-chat'))?.serviceUrl, 'https://smba.example/');
  });

  it('asks "Which environment?" for "elevate me" with no environment, not "I did not understand that"', async () => {
    const s = services();
    const turn = new FakeTurn({ text: 'elevate me', id: 'f:env' });
    await onMessage(s, turn);
    assert.equal(turn.sent.length, 1);
    assert.match(titleOf(turn.sent[0]), /Which environment\?/);
    assert.doesNotMatch(titleOf(turn.sent[0]), /did not understand/);
  });

  it("answers in the language of the Teams locale, and reads that language's command words (German, French)", async () => {
    const s = services();
    const help = new FakeTurn({ text: 'Hilfe', id: 'f:de1', locale: 'de-DE' });
    await onMessage(s, help);
    assert.match(titleOf(help.sent[0]), /Administratorrechte just in time/);
    assert.match(titleOf(help.sent[0]), /erhöhe mich in/);
    const which = new FakeTurn({ text: 'erhöhe mich', id: 'f:de2', locale: 'de-DE' });
    await onMessage(s, which);
    assert.match(titleOf(which.sent[0]), /Welche Umgebung\?/);
    const unknown = new FakeTurn({ text: 'quel temps fait-il', id: 'f:fr1', locale: 'fr-FR' });
    await onMessage(s, unknown);
    assert.match(titleOf(unknown.sent[0]), /Je n’ai pas compris/);
    assert.equal((await s.conversations.find('a:1adele-chat'))?.locale, 'fr-FR', 'the locale is kept with the chat for later proactive messages');
  });

  it('explains a grant command it could not read in the reader’s language, without a backtick', async () => {
    const s = services();
    const english = new FakeTurn({ text: 'grant me Power Platform owner on tenant for 2 fortnights', id: 'f:g1' });
    await onMessage(s, english);
    const german = new FakeTurn({ text: 'grant me Power Platform owner on tenant for 2 fortnights', id: 'f:g2', locale: 'de-DE' });
    await onMessage(s, german);
    const said = [JSON.stringify(english.sent[0]), JSON.stringify(german.sent[0])];
    assert.match(said[0]!, /I could not read the duration/);
    assert.match(said[1]!, /Die Dauer konnte ich nicht lesen/);
    for (const text of said) assert.doesNotMatch(text, /`/);
  });

  it('handles a redelivered activity once (same activity id in the same chat)', async () => {
    const s = services();
    const first = new FakeTurn({ text: 'help', id: 'f:2' });
    const again = new FakeTurn({ text: 'help', id: 'f:2' });
    await onMessage(s, first);
    await onMessage(s, again);
    assert.equal(first.sent.length, 1);
    assert.equal(again.sent.length, 0);
  });

  it('keeps personal commands out of channels: `status` in a channel is answered with "in private" only', async () => {
    const s = services();
    const turn = new FakeTurn({ text: 'status', id: 'f:3', channel: true });
    await onMessage(s, turn);
    assert.equal(turn.sent.length, 1);
    assert.match(titleOf(turn.sent[0]), /in private/);
  });

  it('answers a failed card action with a card in place of the tapped one, and a failed message with a new card, naming no internals', async () => {
    const s = services();
    const tap = new FakeTurn({ invoke: 'adaptiveCard/action' });
    await tellTurnFailure(s, tap, new Error('connect ECONNREFUSED 10.0.0.7:443'));
    assert.equal(tap.responses[0]?.status, 200);
    assert.doesNotMatch(JSON.stringify(tap.responses[0]?.body), /ECONNREFUSED|10\.0\.0\.7/);
    assert.match(JSON.stringify(tap.responses[0]?.body), /Something went wrong/);

    const other = new FakeTurn({ invoke: 'signin/tokenExchange' });
    await tellTurnFailure(s, other, new Error('boom'));
    assert.deepEqual(other.responses, [{ status: 500, body: undefined }]);

    const message = new FakeTurn({ text: 'status' });
    await tellTurnFailure(s, message, new Error('boom'));
    assert.match(titleOf(message.sent[0]), /Something went wrong/);
  });
});
