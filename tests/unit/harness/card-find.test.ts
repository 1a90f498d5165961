import assert from 'node:assert/strict';
import { cardOf, latestCard, oauthCardOf } from '../../harness/card-find.js';
import type { RecordedActivity } from '../../harness/control.js';

const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'v2' }] };
const oauth = {
  contentType: 'application/vnd.microsoft.card.oauth',
  content: { text: 'Sign in', connectionName: 'graph', tokenExchangeResource: { id: '5d4c-elevate' }, buttons: [] },
};

function record(activity: RecordedActivity['activity']): RecordedActivity {
  return { id: '1', conversationId: 'a:1-x', activity, updates: [], deleted: false };
}

describe('harness: finding cards in what the bot sent', () => {
  it('takes the latest version of a recorded activity', () => {
    const rec = record({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });
    assert.equal(cardOf(rec), card);
  });

  it('reads a plain activity and an invoke response card', () => {
    assert.equal(cardOf({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] }), card);
    assert.equal(cardOf({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card }), card);
    assert.equal(cardOf({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Done' }), undefined);
  });

  it('throws from latestCard when there is no Adaptive Card, showing what there was', () => {
    assert.throws(() => latestCard(record({ type: 'message', text: 'just text' })), /no Adaptive Card in .*just text/);
    assert.throws(() => latestCard(undefined), /no Adaptive Card/);
  });

  it('reads the SSO part of an OAuth card', () => {
    assert.deepEqual(oauthCardOf(record({ type: 'message', attachments: [oauth] })), { id: '5d4c-elevate', connectionName: 'graph' });
    assert.equal(oauthCardOf(record({ type: 'message', attachments: [{ ...oauth, content: { connectionName: 'graph' } }] })), undefined);
  });

  it('reads the SSO part of a Universal Actions login request', () => {
    const body = {
      statusCode: 401,
      type: 'application/vnd.microsoft.activity.loginRequest',
      value: { text: 'Please sign in', connectionName: 'graph', tokenExchangeResource: { id: 'x-1', uri: 'api://botid-1' } },
    };
    assert.deepEqual(oauthCardOf(body), { id: 'x-1', connectionName: 'graph', uri: 'api://botid-1' });
  });
});
