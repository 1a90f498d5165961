import assert from 'node:assert/strict';
import { activityProblem } from '../../../../src/teams/host/inbound-activity.js';

type Body = Record<string, unknown>;

/** A Teams message as msteams-docs conversation-basics.md shows it. */
const message = (changes: Body = {}): Body => ({
  type: 'message',
  id: '1485983408511',
  timestamp: '2026-01-01T10:00:00.000Z',
  localTimestamp: '2026-01-01T11:00:00.000+01:00',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  channelId: 'msteams',
  from: {
    id: '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw',
    name: 'Adele Vance',
    aadObjectId: 'a0000000-0000-4000-8000-00000000ade1',
  },
  conversation: { id: 'a:17I0kl8EkpE1O9PH5TWrzrLqxPnjbWdsY4rCGbN7jc1U', conversationType: 'personal', tenantId: 'tenant' },
  recipient: { id: '28:bot', name: 'Elevate' },
  entities: [{ type: 'clientInfo', locale: 'en-US' }],
  channelData: { tenant: { id: 'tenant' } },
  text: 'help',
  ...changes,
});
const without = (field: string): Body => {
  const body = message();
  delete body[field];
  return body;
};

describe('activityProblem: the shape of an inbound activity, checked before any work', () => {
  const accepted: [string, Body][] = [
    ['a Teams message', message()],
    [
      'a channel message that @mentions the bot',
      message({ text: '<at>Elevate</at> help', entities: [{ type: 'mention', text: '<at>Elevate</at>', mentioned: { id: '28:bot', name: 'Elevate' } }] }),
    ],
    ['an invoke with any value', message({ type: 'invoke', name: 'adaptiveCard/action', value: 'anything', text: undefined })],
    ['a conversationUpdate', message({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot' }], text: undefined })],
    ['a message with attachments', message({ attachments: [{ contentType: 'text/html', content: '<p>hi</p>' }] })],
    ['a message without text or entities', { ...without('text'), entities: undefined }],
  ];
  for (const [name, body] of accepted) {
    it(`accepts ${name}`, () => assert.equal(activityProblem(body), undefined));
  }

  const refused: [string, unknown, RegExp][] = [
    ['an empty object', {}, /type/],
    ['an array', [message()], /JSON object/],
    ['a string', 'message', /JSON object/],
    ['null', null, /JSON object/],
    ['a non-text type', message({ type: 42 }), /type/],
    ['an empty type', message({ type: '' }), /type/],
    ['no channelId', without('channelId'), /channelId/],
    ['no serviceUrl', without('serviceUrl'), /serviceUrl/],
    ['a serviceUrl that is not a URL', message({ serviceUrl: 'not a url' }), /serviceUrl/],
    ['a javascript: serviceUrl', message({ serviceUrl: 'javascript:alert(1)' }), /serviceUrl/],
    ['no conversation', without('conversation'), /conversation/],
    ['a conversation without id', message({ conversation: { conversationType: 'personal' } }), /conversation.id/],
    ['no from', without('from'), /from/],
    ['a from id that is not text', message({ from: { id: 7 } }), /from.id/],
    ['an aadObjectId that is not text', message({ from: { id: '29:x', aadObjectId: ['a'] } }), /aadObjectId/],
    ['an aadObjectId that is not a GUID', message({ from: { id: '29:x', aadObjectId: 'null' } }), /aadObjectId must be a GUID/],
    ['an activity id with a lone surrogate', message({ id: '\ud800' }), /id must be printable/],
    ['a replyToId with non-ASCII text', message({ replyToId: '🔥' }), /replyToId/],
    ['no recipient', without('recipient'), /recipient/],
    ['a non-string text', message({ text: 42 }), /text/],
    ['a null text', message({ text: null }), /text/],
    ['entities that are not a list', message({ entities: { type: 'mention' } }), /entities/],
    ['an entity without type', message({ entities: [{ text: 'x' }] }), /entity/],
    ['an entity that is not an object', message({ entities: ['mention'] }), /entity/],
    ['a mention without mentioned', message({ entities: [{ type: 'mention', text: '<at>x</at>' }] }), /mention/],
    ['a mention without text', message({ entities: [{ type: 'Mention', mentioned: { id: '28:bot' } }] }), /mention/],
    [
      'a mention in an activity without text',
      message({ text: undefined, entities: [{ type: 'mention', text: '<at>x</at>', mentioned: { id: '28:bot' } }] }),
      /needs text/,
    ],
    ['a conversation id with a line break', message({ conversation: { id: 'a:1\r\nx-injected: 1' } }), /conversation.id/],
    ['a conversation id with a control character', message({ conversation: { id: 'a:1\u0000' } }), /conversation.id/],
    ['attachments that are not objects', message({ attachments: ['x'] }), /attachments/],
    ['channelData that is not an object', message({ channelData: 'tenant' }), /channelData/],
    ['a name that is not text', message({ type: 'invoke', name: { verb: 'x' } }), /name/],
    ['a replyToId that is not text', message({ replyToId: 5 }), /replyToId/],
    ['a huge id', message({ id: 'x'.repeat(5000) }), /id/],
  ];
  for (const [name, body, problem] of refused) {
    it(`refuses ${name}`, () => assert.match(activityProblem(body) ?? 'accepted', problem));
  }
});
