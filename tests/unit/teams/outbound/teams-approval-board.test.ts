import assert from 'node:assert/strict';
import pino from 'pino';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import { PERMISSIVE_POLICY } from '../../../../src/domain/elevate-policy.js';
import type { ElevationRecord } from '../../../../src/domain/elevation.js';
import { ConversationDirectory } from '../../../../src/teams/channels/conversations.js';
import type { ChatAddress, Courier, OutboundMessage } from '../../../../src/teams/chat.js';
import { TeamsApprovalBoard } from '../../../../src/teams/outbound/teams-approval-board.js';
import { cardText } from '../../../harness/cards.js';

/** Remembers the 1:1 chats Elevate would open, and what it would say in each. */
class RecordingCourier implements Courier {
  readonly personal = new Map<string, { text: string; summary: string }>();
  async send(): Promise<void> {}
  async replace(): Promise<void> {}
  async startThread(): Promise<void> {}
  async openPersonalChat(target: { aadObjectId: string }, message: OutboundMessage): Promise<void> {
    const { card, summary } = message as { card: object; summary?: string };
    this.personal.set(target.aadObjectId, { text: cardText(card as never), summary: summary ?? '' });
  }
}

const ADELE = 'a0000000-0000-4000-8000-00000000ade1';
const MEGAN = 'b0000000-0000-4000-8000-00000000e6a0';
const NESTOR = 'b0000000-0000-4000-8000-00000000e570';
const ADELE_CHAT: ChatAddress = {
  conversationId: 'a:1adele-chat',
  serviceUrl: 'https://smba.example/',
  conversationType: 'personal',
  user: { id: '29:1adele', aadObjectId: ADELE, name: 'Adele Vance' },
};

function awaiting(): ElevationRecord {
  const at = '2026-03-02T09:00:00.000Z';
  return {
    id: 'elevation-1',
    state: 'awaitingApproval',
    requester: { aadObjectId: ADELE, name: 'Adele Vance', tenantId: 't' },
    environment: { id: 'env-1', displayName: 'Contoso Prod', type: 'Production' },
    options: [],
    roleName: 'Power Platform Administrator',
    duration: 'PT1H',
    card: { conversationId: ADELE_CHAT.conversationId, activityId: 'card-1' },
    approval: {
      policySource: 'prod',
      required: 1,
      approverGroupIds: [],
      approverUserIds: [MEGAN, NESTOR],
      votes: [],
      status: 'pending',
      expiresAt: '2026-03-02T10:00:00.000Z',
    },
    createdAt: at,
    updatedAt: at,
    history: [],
  } as unknown as ElevationRecord;
}

describe('1:1 approval cards to approvers: in the approver’s language, else the requester’s', () => {
  let store: SqliteElevationStore;
  let courier: RecordingCourier;
  let conversations: ConversationDirectory;
  beforeEach(() => {
    store = SqliteElevationStore.open(':memory:');
    courier = new RecordingCourier();
    conversations = new ConversationDirectory(store);
  });
  afterEach(() => store.close());

  const board = () => new TeamsApprovalBoard({ courier, tenantId: 't', store, conversations, policy: PERMISSIVE_POLICY, logger: pino({ level: 'silent' }) });

  it("uses the approver's own Teams locale when they wrote to Elevate 1:1, the requester's for one who never did", async () => {
    await conversations.remember({ ...ADELE_CHAT, locale: 'de-DE', timezone: 'Europe/Berlin' });
    // Nestor wrote to Elevate once, from a French Teams (his object id in upper case, as Teams may send it).
    await conversations.remember({
      conversationId: 'a:1nestor-chat',
      serviceUrl: 'https://smba.example/',
      user: { id: '29:1nestor', aadObjectId: NESTOR.toUpperCase() },
      locale: 'fr-FR',
    });

    await board().publish(awaiting());

    assert.match(courier.personal.get(MEGAN)?.summary ?? '', /^🔐 Genehmigung erforderlich/, 'Megan never wrote: the requester’s German');
    assert.match(courier.personal.get(MEGAN)?.text ?? '', /Antragsteller/);
    assert.match(courier.personal.get(NESTOR)?.summary ?? '', /^🔐 Approbation nécessaire/, 'Nestor: his own French');
    assert.match(courier.personal.get(NESTOR)?.text ?? '', /Rôle/);
  });

  it('is English when neither the approver nor the requester has a known locale', async () => {
    await conversations.remember(ADELE_CHAT);

    await board().publish(awaiting());

    assert.match(courier.personal.get(MEGAN)?.summary ?? '', /^🔐 Approval needed/);
  });

  it('remembers a reader only from 1:1 chats (a channel message carries no user of its own)', async () => {
    await conversations.remember({
      conversationId: '19:channel@thread.tacv2',
      serviceUrl: 'https://smba.example/',
      conversationType: 'channel',
      locale: 'de-DE',
    });
    await conversations.remember({ ...ADELE_CHAT, locale: 'fr-CA', timezone: 'America/Toronto' });

    assert.deepEqual(await conversations.readerOf(ADELE), { locale: 'fr-CA', timezone: 'America/Toronto' });
    assert.equal(await conversations.readerOf(MEGAN), undefined);
  });
});
