import assert from 'node:assert/strict';
import { conversationIdFor, installActivity, invokeActivity, messageActivity, type ActivityContext, type ConversationSpec } from '../../harness/activities.js';
import { BOT_ID, TENANT_ID, USERS } from '../../harness/tenant.js';

function context(conversation: ConversationSpec = { type: 'personal' }): ActivityContext {
  return {
    serviceUrl: 'https://127.0.0.1:9443/connector/',
    user: USERS.adele,
    conversation,
    conversationId: conversationIdFor(USERS.adele, conversation),
    tenantId: TENANT_ID,
    botId: BOT_ID,
    botName: 'Elevate',
  };
}

const channel: ConversationSpec = {
  type: 'channel',
  teamId: '19:team@thread.tacv2',
  channelId: '19:security@thread.tacv2',
  name: 'Security',
  threadId: '1700000000000',
};

describe('harness: Teams-shaped activities', () => {
  it('builds a personal message as Teams sends it', () => {
    const activity = messageActivity(context(), 'elevate me in Contoso Prod');
    assert.equal(activity.type, 'message');
    assert.equal(activity['channelId'], 'msteams');
    assert.equal(activity['serviceUrl'], 'https://127.0.0.1:9443/connector/');
    assert.equal(activity['text'], 'elevate me in Contoso Prod');
    assert.deepEqual(activity['from'], { id: `29:${USERS.adele.id}`, name: 'Adele Vance', aadObjectId: USERS.adele.id });
    assert.deepEqual(activity['recipient'], { id: `28:${BOT_ID}`, name: 'Elevate' });
    assert.deepEqual(activity['conversation'], { id: `a:1-${USERS.adele.id}`, conversationType: 'personal', tenantId: TENANT_ID });
    assert.deepEqual(activity['channelData'], { tenant: { id: TENANT_ID } });
    assert.equal(activity['locale'], 'en-US');
    assert.deepEqual(activity['entities'], [{ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/London' }]);
    assert.ok(!Number.isNaN(Date.parse(String(activity['timestamp']))));
  });

  it('gives every activity its own id', () => {
    const ids = new Set(Array.from({ length: 50 }, () => messageActivity(context(), 'x').id));
    assert.equal(ids.size, 50);
    assert.match(invokeActivity(context(), 'signin/tokenExchange', {}).id, /^f:[0-9a-f-]{36}$/);
  });

  it('mentions the bot in a channel message, with team and channel in channelData', () => {
    const activity = messageActivity(context(channel), 'audit');
    assert.equal(activity['text'], '<at>Elevate</at> audit');
    assert.deepEqual((activity['entities'] as unknown[])[1], { type: 'mention', text: '<at>Elevate</at>', mentioned: { id: `28:${BOT_ID}`, name: 'Elevate' } });
    assert.deepEqual(activity['conversation'], {
      id: '19:security@thread.tacv2;messageid=1700000000000',
      conversationType: 'channel',
      isGroup: true,
      tenantId: TENANT_ID,
      name: 'Security',
    });
    assert.deepEqual(activity['channelData'], {
      teamsChannelId: '19:security@thread.tacv2',
      teamsTeamId: '19:team@thread.tacv2',
      channel: { id: '19:security@thread.tacv2', name: 'Security' },
      team: { id: '19:team@thread.tacv2' },
      tenant: { id: TENANT_ID },
    });
  });

  it('builds invokes with name, value and replyToId', () => {
    const activity = invokeActivity(
      context(),
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: 'submit', data: {} }, trigger: 'manual' },
      '42',
    );
    assert.equal(activity.type, 'invoke');
    assert.equal(activity['name'], 'adaptiveCard/action');
    assert.equal(activity['replyToId'], '42');
    assert.equal('replyToId' in invokeActivity(context(), 'signin/tokenExchange', {}), false);
  });

  it('builds the install conversationUpdate with the bot and the user added', () => {
    const activity = installActivity(context(channel));
    assert.equal(activity.type, 'conversationUpdate');
    assert.deepEqual(activity['membersAdded'], [{ id: `28:${BOT_ID}` }, { id: `29:${USERS.adele.id}`, aadObjectId: USERS.adele.id }]);
    assert.equal((activity['channelData'] as Record<string, unknown>)['eventType'], 'teamMemberAdded');
  });
});
