import assert from 'node:assert/strict';
import pino from 'pino';
import { VERBS } from '../../../../src/teams/cards/verbs.js';
import { CARD_ACTIONS } from '../../../../src/teams/routes/card-actions.js';
import type { TeamsServices } from '../../../../src/teams/services.js';
import type { Turn } from '../../../../src/teams/turn.js';
import { cardText, findAction } from '../../../harness/cards.js';
import { FakePim, FakePowerPlatform, USER, fakeDeps } from '../../use-cases/fakes.js';

/** A tap by Adele in her 1:1 chat; nobody is signed in (the sign-in would be asked first otherwise). */
function tap(): Turn {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    text: '',
    value: undefined,
    activityId: 'tap-1',
    replyToId: 'card-1',
    from: { id: '29:1adele', aadObjectId: USER, name: 'Adele Vance' },
    chat: { conversationId: 'a:1adele-chat', serviceUrl: 'https://smba.example/', conversationType: 'personal', tenantId: 'tenant-1' },
    team: undefined,
    utcOffsetMinutes: 0,
    send: async () => undefined,
    update: async () => undefined,
    respond: async () => undefined,
  };
}

function services(): TeamsServices {
  const elevation = fakeDeps(new FakePim(), new FakePowerPlatform());
  const signIn = { ensureSignedIn: async () => assert.fail('an expired request needs no sign-in') };
  return { elevation, signIn, logger: pino({ level: 'silent' }) } as unknown as TeamsServices;
}

const PRUNED = '5b1d0c2e-8f4a-4c3b-9e7d-2a6f1b0c9d8e';

describe('request card taps on a request that housekeeping removed', () => {
  for (const verb of [VERBS.submit, VERBS.cancel]) {
    it(`answers ${verb} with "this request expired" and a Start again button for the same environment`, async () => {
      const card = await CARD_ACTIONS[verb]!(services(), tap(), { requestId: PRUNED, environmentId: 'env-1', justification: 'x' });

      assert.match(cardText(card), /This request expired/);
      assert.match(cardText(card), /elevate me in <environment>/);
      assert.deepEqual(findAction(card, VERBS.start)?.data, { environmentId: 'env-1' });
    });
  }

  it('says the same without a button on a card of an earlier version (no environment id in its data)', async () => {
    const card = await CARD_ACTIONS[VERBS.submit]!(services(), tap(), { requestId: PRUNED });

    assert.match(cardText(card), /This request expired/);
    assert.equal(findAction(card, VERBS.start), undefined);
  });

  it('says "not found", not "expired", for an id Elevate never hands out (a tampered card)', async () => {
    for (const requestId of [undefined, 'pruned-draft', '../../etc', { id: PRUNED }, `${PRUNED}x`]) {
      const card = await CARD_ACTIONS[VERBS.submit]!(services(), tap(), { requestId, environmentId: 'env-1' });

      assert.match(cardText(card), /Request not found/, JSON.stringify(requestId));
      assert.equal(findAction(card, VERBS.start), undefined);
    }
  });
});
