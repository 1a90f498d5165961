import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ROLES,
  SECURITY_GROUP_ID,
  SEED_SECRETS,
  TEAM,
  TeamsClient,
  USERS,
  assertNoSecretsIn,
  cardOf,
  cardText,
  choices,
  findAction,
  type BotProcess,
  type RecordedActivity,
  type Simulator,
  type TeamsUser,
} from '../harness/index.js';
import { SUBMIT, activationRequests, eventually, hasVerb, openRequestCard, sayAndSignIn, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';

const ACKNOWLEDGE = 'elevate.breakGlassAcknowledge';
/** The on-call group lists a nested group that Adele is in: membership is transitive. */
const ON_CALL_GROUP_ID = '0ca11000-0000-4000-8000-000000000010';
const PLATFORM_ON_CALL_GROUP_ID = '0ca11000-0000-4000-8000-000000000011';
const TAG = { id: 'dGFnLWVsZXZhdGUtc2VjdXJpdHk=', name: 'Security team' };
const INCIDENT = 'INC0099999 payments flow down, customers cannot pay';

// Production needs one approver in Elevate's policy: break glass skips exactly that.
const POLICY = `
version: 1
defaults:
  approval:
    required: false
  maximumDuration: PT8H
rules:
  - name: prod-admin
    match:
      environmentTypes: [Production]
    approval:
      required: true
      approverUserIds: [${USERS.megan.id}]
      approvalsRequired: 1
      pendingTimeoutMinutes: 60
breakGlass:
  onCallGroupIds: [${ON_CALL_GROUP_ID}]
  maximumDuration: PT1H
  mentionTag:
    id: ${TAG.id}
    name: ${TAG.name}
`;

const securityChannel = { type: 'channel' as const, teamId: TEAM.id, channelId: TEAM.securityChannelId, name: 'Security notifications' };

describe('break glass: on call, now, reviewed by the security team', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let bot: BotProcess;
  let dir: string;
  const clients: TeamsClient[] = [];
  const client = (user: TeamsUser, conversation?: ConstructorParameters<typeof TeamsClient>[0]['conversation']) => {
    const c = new TeamsClient({ botUrl: bot.url, sim, user, ...(conversation ? { conversation } : {}) });
    clients.push(c);
    return c;
  };
  const reviewCards = async (channel: TeamsClient, requestId: string): Promise<RecordedActivity[]> =>
    (await channel.activities()).filter((r) => /Break glass/.test(cardText(cardOf(r))) && cardText(cardOf(r)).includes(requestId));
  async function auditTrail(userId: string): Promise<string> {
    const nestor = client(USERS.nestor);
    const before = (await nestor.activities()).length;
    await nestor.say(`audit ${userId}`);
    const trail = await nestor.waitUntil((records) => records.slice(before).find((r) => /Audit trail/.test(cardText(cardOf(r)))), { what: 'the audit trail' });
    return cardText(cardOf(trail));
  }
  /** Adele breaks glass in `environment` and submits the request card; the request id. */
  async function breakGlass(adele: TeamsClient, environment: string): Promise<{ card: RecordedActivity; requestId: string }> {
    const card = await openRequestCard(adele, `elevate me in ${environment} now because ${INCIDENT}`);
    const requestId = (findAction(cardOf(card)!, SUBMIT)?.['data'] as { requestId: string }).requestId;
    const submitted = await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: INCIDENT });
    assert.doesNotMatch(cardText(submitted.card), /Waiting for approval/, 'no Elevate approval');
    return { card, requestId };
  }

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'elevate-break-glass-'));
    const policyFile = path.join(dir, 'policy.yaml');
    writeFileSync(policyFile, POLICY);
    ({ sim, bot } = await startSimulatorAndBot({
      ELEVATE_ACTIVATION_POLL_MS: '200',
      ELEVATE_POLICY_FILE: policyFile,
      ELEVATE_BREAK_GLASS_REPOST_INTERVAL: '4s',
    }));
    // Adele is on call (through a nested group) and, to show that nobody acknowledges their own use, in the security team too.
    await sim.control.updateTenant<{ groups: { id: string; displayName: string; members: string[] }[] }>((tenant) => {
      tenant.groups.push(
        { id: ON_CALL_GROUP_ID, displayName: 'On call', members: [PLATFORM_ON_CALL_GROUP_ID] },
        { id: PLATFORM_ON_CALL_GROUP_ID, displayName: 'Platform on call', members: [USERS.adele.id] },
      );
      tenant.groups.find((g) => g.id === SECURITY_GROUP_ID)!.members.push(USERS.adele.id);
    });
    const nestorThere = client(USERS.nestor, securityChannel);
    await nestorThere.say('notify here');
    await nestorThere.waitForText('Elevate will post every elevation');
  });

  after(async () => {
    const output = bot?.output() ?? '';
    await stopBotAndSimulator(bot, sim);
    rmSync(dir, { recursive: true, force: true });
    assertNoSecretsIn(output, [...SEED_SECRETS, ...clients.flatMap((c) => c.tokens())]);
  });

  it('elevates an on-call member in Production without Elevate approval, for at most the break-glass maximum, and posts a review that mentions the security team', async () => {
    const adele = client(USERS.adele);
    const card = await openRequestCard(adele, `elevate me in Contoso Prod now because ${INCIDENT}`);
    const request = cardOf(card)!;
    assert.match(cardText(request), /Break glass: no Elevate approval/);
    assert.deepEqual(
      choices(request, 'duration').map((c) => c.value),
      ['PT30M', 'PT1H'],
      'durations stop at the break-glass maximum (PIM allows 8 h, the policy 8 h)',
    );
    const requestId = (findAction(request, SUBMIT)?.['data'] as { requestId: string }).requestId;

    // Card data is never trusted: a longer duration typed into the submission is refused, nothing activated.
    const tooLong = await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT4H', justification: INCIDENT });
    assert.match(cardText(tooLong.card), /Choose at most 1 h: Elevate policy allows no more/);
    assert.equal(await activationRequests(sim), 0);

    const submitted = await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: INCIDENT });
    assert.doesNotMatch(cardText(submitted.card), /Waiting for approval/, 'Elevate approval skipped');
    await adele.waitFor((r) => r.id === card.id && /Elevated in Contoso Prod/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the elevation' });
    const activation = (await sim.control.requests('graph')).find((r) => r.method === 'POST' && r.path.endsWith('/roleAssignmentScheduleRequests'));
    assert.equal(activation?.token?.oid, USERS.adele.id, "PIM activation on the requester's own token");
    assert.equal((activation?.body as { scheduleInfo?: { expiration?: { duration?: string } } }).scheduleInfo?.expiration?.duration, 'PT1H');
    assert.equal(
      (await sim.control.requests('graph')).filter((r) => r.path.includes('/approvals') || r.path.includes('roleAssignmentApprovals')).length,
      0,
      'no approval asked anywhere',
    );

    const security = client(USERS.nestor, securityChannel);
    const review = await security.waitFor((r) => hasVerb(r, ACKNOWLEDGE) && cardText(cardOf(r)).includes(requestId), { what: 'the review card' });
    const reviewCard = cardOf(review)!;
    const text = cardText(reviewCard);
    for (const expected of ['Break glass: Adele Vance in Contoso Prod', `<at>${TAG.name}</at>`, INCIDENT, 'Power Platform Administrator', '1 h']) {
      assert.ok(text.includes(expected), `the review card says ${expected}`);
    }
    const entities = (reviewCard['msteams'] as { entities?: { type: string; text: string; mentioned: { id: string; name: string; type?: string } }[] })
      .entities;
    assert.deepEqual(entities, [{ type: 'mention', text: `<at>${TAG.name}</at>`, mentioned: { id: TAG.id, name: TAG.name, type: 'tag' } }]);

    const trail = await auditTrail(USERS.adele.id);
    assert.match(trail, /breakGlassUsed/);
  });

  it('refuses the acknowledgement of the requester, takes another security member’s once (card updated in place), and a double tap is harmless', async () => {
    const adele = client(USERS.adele);
    const { requestId } = await breakGlass(adele, 'Contoso UAT');
    const security = client(USERS.nestor, securityChannel);
    const review = await security.waitFor((r) => hasVerb(r, ACKNOWLEDGE) && cardText(cardOf(r)).includes(requestId), { what: 'the review card' });

    const own = await client(USERS.adele, securityChannel).tap(review, ACKNOWLEDGE);
    assert.match(cardText(own.card), /You used this break glass/);
    assert.ok(findAction(own.card!, ACKNOWLEDGE), 'still open');

    const megan = await client(USERS.megan, securityChannel).tap(review, ACKNOWLEDGE);
    assert.match(cardText(megan.card), /Only members of the security team/);

    // Nestor taps twice at once (a double tap, or two instances answering): one acknowledgement.
    const [first, second] = await Promise.all([security.tap(review, ACKNOWLEDGE), security.tap(review, ACKNOWLEDGE)]);
    for (const answer of [first, second]) {
      assert.match(cardText(answer.card), /Acknowledged by Nestor Wilke/);
      assert.equal(findAction(answer.card!, ACKNOWLEDGE), undefined, 'no button once acknowledged');
    }
    await eventually(
      async () => /Acknowledged by Nestor Wilke/.test(cardText(cardOf(await security.recorded(review.id)))),
      'the posted card is updated in place',
    );

    const trail = await auditTrail(USERS.adele.id);
    const acknowledged = trail.split('\n').filter((line) => line.includes('breakGlassAcknowledged'));
    assert.equal(acknowledged.length, 1, 'one acknowledgement in the audit trail');
    assert.match(trail, /refusedTap/);
  });

  it('posts an unacknowledged review again each interval until someone acknowledges it, and every post shows the acknowledgement', async () => {
    const adele = client(USERS.adele);
    const { requestId } = await breakGlass(adele, 'Contoso Dev');
    const security = client(USERS.nestor, securityChannel);
    const posted = async () => (await security.activities()).filter((r) => hasVerb(r, ACKNOWLEDGE) && cardText(cardOf(r)).includes(requestId));
    await eventually(async () => (await posted()).length >= 2, 'the review posted again', 20_000);
    const again = (await posted()).find((r) => /Posted again \(round 1\): still not acknowledged/.test(cardText(cardOf(r))));
    assert.ok(again, 'the re-post says it was not acknowledged');

    await security.tap(again, ACKNOWLEDGE);
    const count = (await reviewCards(security, requestId)).length;
    await eventually(async () => {
      const cards = (await security.activities()).filter((r) => cardText(cardOf(r)).includes(requestId) && /Break glass/.test(cardText(cardOf(r))));
      return cards.every((r) => /Acknowledged by Nestor Wilke/.test(cardText(cardOf(r))));
    }, 'every posted review card shows the acknowledgement');
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    assert.ok((await reviewCards(security, requestId)).length <= count + 1, 'no more re-posts once acknowledged (one may have been on its way)');
    assert.match(await auditTrail(USERS.adele.id), /breakGlassReposted/);
  });

  it('refuses "now" to someone who is not on call, with a clear answer in the audit trail, and activates nothing', async () => {
    const alex = client(USERS.alex);
    const before = (await alex.activities()).length;
    const activations = await activationRequests(sim);
    await sayAndSignIn(alex, `elevate me in Contoso Prod now because ${INCIDENT}`);
    const answer = await alex.waitUntil((records) => records.slice(before).find((r) => /on-call group/.test(cardText(cardOf(r)))), { what: 'the refusal' });
    assert.match(cardText(cardOf(answer)), /Only the on-call group can break glass/);
    assert.equal(hasVerb(answer, SUBMIT), false, 'no request card');
    assert.equal(await activationRequests(sim), activations);
    assert.match(await auditTrail(USERS.alex.id), /breakGlassRefused/);
  });
});
