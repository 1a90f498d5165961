import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { judgeTurn, type TurnVerdict } from '../../../../src/teams/host/turn-gate.js';

const TENANT = '4d3c2b1a-0f9e-4d8c-b7a6-958473625140';
const ADELE = 'a0000000-0000-4000-8000-00000000ade1';
const teams = (changes: Partial<Activity> = {}): Partial<Activity> => ({
  type: 'message',
  channelId: 'msteams',
  channelData: { tenant: { id: TENANT } },
  from: { id: '29:adele', aadObjectId: ADELE, name: 'Adele' },
  ...changes,
});

describe('judgeTurn: which inbound activities Elevate acts on', () => {
  const cases: [string, Partial<Activity>, string | undefined, TurnVerdict][] = [
    ['a Teams activity in the tenant', teams(), undefined, { ok: true }],
    ['the signed-in Teams user again', teams(), '29:adele', { ok: true }],
    ['the tenant id in other letter case', teams({ channelData: { tenant: { id: TENANT.toUpperCase() } } }), undefined, { ok: true }],
    ['a Web Chat activity', teams({ channelId: 'webchat' }), undefined, { ok: false, reason: 'channel' }],
    ['a Direct Line activity', teams({ channelId: 'directline' }), undefined, { ok: false, reason: 'channel' }],
    [
      'no channelData tenant (only conversation.tenantId)',
      teams({ channelData: {}, conversation: { tenantId: TENANT } as Activity['conversation'] }),
      undefined,
      { ok: false, reason: 'tenant' },
    ],
    ['another tenant', teams({ channelData: { tenant: { id: 'other' } } }), undefined, { ok: false, reason: 'tenant' }],
    [
      "another Teams user claiming Adele's object id",
      teams({ from: { id: '29:mallory', aadObjectId: ADELE, name: 'x' } }),
      '29:adele',
      { ok: false, reason: 'identity' },
    ],
    ['a proactive turn of Elevate itself', { type: 'event', name: 'ContinueConversation', channelId: 'msteams' }, undefined, { ok: true }],
  ];
  for (const [name, activity, bound, expected] of cases) {
    it(`${expected.ok ? 'accepts' : 'refuses'} ${name}`, () => {
      assert.deepEqual(judgeTurn({ activity, tenantId: TENANT, boundTeamsUserId: () => bound }), expected);
    });
  }
});
