import assert from 'node:assert/strict';
import pino from 'pino';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import { PERMISSIVE_POLICY } from '../../../../src/domain/elevate-policy.js';
import { ConversationDirectory } from '../../../../src/teams/channels/conversations.js';
import { loadApprovalsChannel } from '../../../../src/teams/channels/approvals-channel.js';
import { loadSecurityChannel, SECURITY_CHANNEL_KEY } from '../../../../src/teams/channels/security-channel.js';
import { chatAddressOf, type ChatAddress, type Messenger, type OutboundMessage, type PostedMessage } from '../../../../src/teams/chat.js';
import { TeamsApprovalBoard } from '../../../../src/teams/outbound/teams-approval-board.js';
import { FakePim, FakePowerPlatform, fakeDeps, storedElevation, USER } from '../../use-cases/fakes.js';

/**
 * What the previous version stored: botbuilder's `TurnContext.getConversationReference(activity)` as
 * it was written to `conversation:<id>`, to the channel settings and to the approval-card posts.
 * This version reads every one of them (issue #10: no SDK shape in the store, no data lost on upgrade).
 */
const OLD_PERSONAL_REFERENCE = {
  activityId: 'f:1700000000001',
  user: { id: '29:1adele', name: 'Adele Vance', aadObjectId: USER },
  bot: { id: '28:00000000-0000-4000-8000-00000000b07a', name: 'Elevate' },
  conversation: { id: 'a:1adele-chat', conversationType: 'personal', tenantId: 'tenant-1', isGroup: false },
  channelId: 'msteams',
  locale: 'en-GB',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
};

const OLD_CHANNEL_REFERENCE = {
  bot: { id: '28:00000000-0000-4000-8000-00000000b07a', name: 'Elevate' },
  conversation: { id: '19:security@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-1', isGroup: true },
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
};

const PERSONAL_CHAT: ChatAddress = {
  conversationId: 'a:1adele-chat',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  tenantId: 'tenant-1',
  conversationType: 'personal',
  botId: '28:00000000-0000-4000-8000-00000000b07a',
  user: { id: '29:1adele', aadObjectId: USER, name: 'Adele Vance' },
  locale: 'en-GB',
};

/** Records what Elevate would send; sends nothing. */
class RecordingMessenger implements Messenger {
  readonly replaced: Array<{ chat: ChatAddress; messageId: string }> = [];
  async send(): Promise<string | undefined> {
    return 'm-1';
  }
  async replace(chat: ChatAddress, messageId: string): Promise<void> {
    this.replaced.push({ chat, messageId });
  }
  async startThread(channel: { chat: ChatAddress }, _message: OutboundMessage): Promise<PostedMessage> {
    return { chat: channel.chat, messageId: 'm-2' };
  }
  async openPersonalChat(): Promise<PostedMessage> {
    throw new Error('not in this test');
  }
}

describe('stored chat addresses: what earlier versions stored still works (issue #10)', () => {
  let store: SqliteElevationStore;
  beforeEach(() => {
    store = SqliteElevationStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('reads a Bot Framework conversation reference as a chat address, keeping ids, service URL, user and locale', () => {
    assert.deepEqual(chatAddressOf(OLD_PERSONAL_REFERENCE), PERSONAL_CHAT);
    assert.equal(chatAddressOf({ conversation: {} }), undefined);
    assert.equal(chatAddressOf('a:1adele-chat'), undefined);
  });

  it('finds a chat an earlier version remembered and rewrites the document once in the new shape', async () => {
    await store.putDocument('conversation:a:1adele-chat', OLD_PERSONAL_REFERENCE);
    const directory = new ConversationDirectory(store);

    assert.deepEqual(await directory.find('a:1adele-chat'), PERSONAL_CHAT);
    const rewritten = await store.getDocument<Record<string, unknown>>('conversation:a:1adele-chat');
    assert.deepEqual(rewritten?.value, PERSONAL_CHAT);
    assert.equal('conversation' in (rewritten?.value ?? {}), false, 'no Bot Framework shape is left in the store');
    assert.deepEqual(await directory.find('a:1adele-chat'), PERSONAL_CHAT);
  });

  it('replaces an old reference when the chat is seen again, and keeps the time zone Teams sends', async () => {
    await store.putDocument('conversation:a:1adele-chat', OLD_PERSONAL_REFERENCE);
    const directory = new ConversationDirectory(store);
    await directory.remember({ ...PERSONAL_CHAT, timezone: 'Europe/London' });
    assert.deepEqual(await directory.find('a:1adele-chat'), { ...PERSONAL_CHAT, timezone: 'Europe/London' });
  });

  it('loads a security channel and an approvals channel set by an earlier version (`reference` instead of `chat`)', async () => {
    const old = {
      teamId: '19:team@thread.tacv2',
      channelId: '19:security@thread.tacv2',
      channelName: 'Security',
      reference: OLD_CHANNEL_REFERENCE,
      configuredBy: { aadObjectId: USER, name: 'Adele Vance' },
      configuredAt: '2026-11-01T09:00:00.000Z',
    };
    await store.putDocument(SECURITY_CHANNEL_KEY, old);
    await store.putDocument('channel:approvals', { ...old, channelName: 'Approvals' });

    const security = await loadSecurityChannel(store);
    assert.equal(security?.chat.conversationId, '19:security@thread.tacv2');
    assert.equal(security?.chat.serviceUrl, 'https://smba.trafficmanager.net/emea/');
    assert.equal(security?.chat.conversationType, 'channel');
    assert.equal(security?.channelName, 'Security');
    const stored = await store.getDocument<Record<string, unknown>>(SECURITY_CHANNEL_KEY);
    assert.equal('reference' in (stored?.value ?? {}), false, 'rewritten without the Bot Framework reference');

    const approvals = await loadApprovalsChannel(store, undefined);
    assert.equal(approvals?.channelName, 'Approvals');
    assert.equal(approvals?.chat.conversationId, '19:security@thread.tacv2');
  });

  it('updates approval cards an earlier version posted (posts that hold a `reference`)', async () => {
    const deps = fakeDeps(new FakePim(), new FakePowerPlatform(), { store });
    const record = await storedElevation(deps, 'awaitingApproval');
    await store.putDocument(`approval-cards:${record.value.id}`, {
      posts: [
        { target: 'channel', activityId: '1700000000100', reference: OLD_CHANNEL_REFERENCE },
        { target: 'personal', userId: 'approver-1', activityId: '1700000000200', reference: OLD_PERSONAL_REFERENCE },
      ],
    });
    const messenger = new RecordingMessenger();
    const board = new TeamsApprovalBoard({
      messenger,
      tenantId: 'tenant-1',
      store,
      conversations: new ConversationDirectory(store),
      policy: PERMISSIVE_POLICY,
      logger: pino({ level: 'silent' }),
    });

    await board.refresh(record.value);

    assert.deepEqual(messenger.replaced.map((r) => [r.chat.conversationId, r.messageId]).sort(), [
      ['19:security@thread.tacv2', '1700000000100'],
      ['a:1adele-chat', '1700000000200'],
    ]);
  });
});
