import assert from 'node:assert/strict';
import pino from 'pino';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import type { RbacGrantRecord } from '../../../../src/domain/rbac-grant.js';
import { ConversationDirectory } from '../../../../src/teams/channels/conversations.js';
import type { ChatAddress, Courier, OutboundMessage, QueueOptions } from '../../../../src/teams/chat.js';
import { GRANT_APPROVAL_POST_HOOK, TeamsGrantNotices } from '../../../../src/teams/outbound/teams-grant-notices.js';
import { createGrant, swapGrant } from '../../../../src/use-cases/grants/grant-store.js';
import { cardText, type CardNode } from '../../../harness/cards.js';
import { sampleApproval, sampleOwnerGrant } from '../../../support/grant-card-samples.js';

/** Remembers what would go to Teams. */
class RecordingCourier implements Courier {
  readonly replaced: { chat: ChatAddress; messageId: string; card: object }[] = [];
  readonly personal: { userId: string; options?: QueueOptions }[] = [];
  readonly sent: { chat: ChatAddress; card: object }[] = [];
  async send(chat: ChatAddress, message: OutboundMessage): Promise<void> {
    if ('card' in message && message.card) this.sent.push({ chat, card: message.card });
  }
  async replace(chat: ChatAddress, messageId: string, card: object): Promise<void> {
    this.replaced.push({ chat, messageId, card });
  }
  async startThread(): Promise<void> {}
  async openPersonalChat(target: { aadObjectId: string }, _message: OutboundMessage, options?: QueueOptions): Promise<void> {
    this.personal.push({ userId: target.aadObjectId, ...(options ? { options } : {}) });
  }
}

const MEGAN_CHAT: ChatAddress = { conversationId: 'a:1megan-chat', serviceUrl: 'https://smba.example/', locale: 'de-DE' };
const ALEX_CHAT: ChatAddress = { conversationId: 'a:1alex-chat', serviceUrl: 'https://smba.example/' };

describe('Teams grant notices: approval cards remembered and updated in place', () => {
  let store: SqliteElevationStore;
  beforeEach(() => {
    store = SqliteElevationStore.open(':memory:');
  });
  afterEach(() => store.close());

  async function setUp(): Promise<{ courier: RecordingCourier; notices: TeamsGrantNotices; grant: RbacGrantRecord }> {
    const courier = new RecordingCourier();
    const conversations = new ConversationDirectory(store);
    await conversations.remember({ conversationId: 'a:1adele-chat', serviceUrl: 'https://smba.example/' } as ChatAddress);
    const notices = new TeamsGrantNotices({ courier, store, conversations, tenantId: 't', logger: pino({ level: 'silent' }) });
    const { grant } = await createGrant(store, sampleOwnerGrant(sampleApproval('pending')));
    return { courier, notices, grant };
  }

  it('queues each approver’s card with the hook that remembers where Teams put it', async () => {
    const { courier, notices, grant } = await setUp();
    await notices.publishApproval(grant);
    assert.deepEqual(
      courier.personal.map((p) => [p.userId, p.options?.after?.hook, p.options?.after?.data['grantId'], p.options?.after?.data['target']]),
      grant.approval!.approverUserIds.map((id) => [id, GRANT_APPROVAL_POST_HOOK, grant.id, 'personal']),
    );
  });

  it('updates every remembered card to the newest stored grant, each in its chat’s language, and none of another grant', async () => {
    const { courier, notices, grant } = await setUp();
    const data = { grantId: grant.id, stamp: 'as-posted', target: 'personal' };
    await notices.recordPost({ chat: MEGAN_CHAT, messageId: '100' }, { ...data, userId: 'megan' });
    await notices.recordPost({ chat: ALEX_CHAT, messageId: '200' }, { ...data, userId: 'alex' });
    courier.replaced.length = 0;
    await swapGrant(store, grant.id, (g) => ({
      ...g,
      state: 'failed',
      approval: sampleApproval('denied', [{ approverId: 'alex', approverName: 'Alex Wilber', decision: 'deny', reason: 'Freeze', at: g.createdAt }]),
    }));

    await notices.refreshApproval(grant);
    await notices.refreshApproval({ ...grant, id: 'g-other' });

    const byChat = Object.fromEntries(courier.replaced.map((r) => [`${r.chat.conversationId}#${r.messageId}`, cardText(r.card as CardNode)]));
    assert.deepEqual(Object.keys(byChat).sort(), ['a:1alex-chat#200', 'a:1megan-chat#100']);
    assert.match(byChat['a:1alex-chat#200']!, /Denied by Alex Wilber: Freeze/);
    assert.match(byChat['a:1megan-chat#100']!, /Abgelehnt von Alex Wilber: Freeze/);
    for (const text of Object.values(byChat)) assert.doesNotMatch(text, /Approve/);
  });

  it('updates a card at once when the grant changed while it waited in the outbox', async () => {
    const { courier, notices, grant } = await setUp();
    await swapGrant(store, grant.id, (g) => ({ ...g, state: 'cancelled' }));
    await notices.recordPost({ chat: ALEX_CHAT, messageId: '300' }, { grantId: grant.id, stamp: 'awaitingApproval|pending|0|1', target: 'personal' });
    assert.equal(courier.replaced.length, 1);
    assert.match(cardText(courier.replaced[0]!.card as CardNode), /Cancelled by the requester/);
  });

  describe("the requester's own grant card", () => {
    const ADELE_CARD = { conversationId: 'a:1adele-chat', activityId: 'typed-1', messageId: 'reply-7' };
    type Step = [string, Partial<RbacGrantRecord>, boolean];
    const steps: Step[] = [
      ['denied', { state: 'failed', approval: sampleApproval('denied'), failure: { code: 'Denied', message: 'Alex Wilber denied the request: Freeze' } }, true],
      [
        'approval expired',
        { state: 'failed', approval: sampleApproval('expired'), failure: { code: 'ApprovalExpired', message: 'No decision in time.' } },
        true,
      ],
      ['approved and assigned', { state: 'active', approval: sampleApproval('approved'), activeUntil: '2026-11-22T10:00:00Z', assignmentId: 'ra-1' }, true],
      ['cancelled', { state: 'cancelled' }, false],
      [
        'ended at expiry',
        { state: 'ended', ending: { reason: 'expired', at: '2026-11-22T10:00:00Z', removed: true, note: 'Elevate removed the role assignment.' } },
        true,
      ],
      [
        'ended by deactivate',
        { state: 'ended', ending: { reason: 'deactivated', at: '2026-11-22T09:00:00Z', removed: true, note: 'Elevate removed the role assignment.' } },
        false,
      ],
    ];
    for (const [name, change, newMessage] of steps) {
      it(`is updated in place when the grant is ${name}${newMessage ? ', and a new message tells the requester' : ', without a new message'}`, async () => {
        const { courier, notices, grant } = await setUp();
        await swapGrant(store, grant.id, (g) => ({ ...g, ...change, card: ADELE_CARD, history: [...g.history, { at: g.createdAt, state: change.state! }] }));
        const stored = { ...grant, ...change, card: ADELE_CARD } as RbacGrantRecord;

        await notices.tellRequester(stored);

        const own = courier.replaced.filter((r) => r.messageId === 'reply-7');
        assert.equal(own.length, 1, 'the card Elevate posted for the request, not the typed message');
        assert.equal(own[0]!.chat.conversationId, 'a:1adele-chat');
        assert.doesNotMatch(cardText(own[0]!.card as CardNode), /Waiting for approval/);
        assert.equal(courier.sent.length, newMessage ? 1 : 0);
      });
    }

    it('is left alone without a known card message, and the requester gets a new message instead', async () => {
      const { courier, notices, grant } = await setUp();
      const stored = { ...grant, state: 'cancelled', card: { conversationId: 'a:1adele-chat', activityId: 'typed-1' } } as RbacGrantRecord;
      await notices.tellRequester(stored);
      assert.deepEqual([courier.replaced.length, courier.sent.length], [0, 1]);
    });
  });
});
