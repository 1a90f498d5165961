import assert from 'node:assert/strict';
import {
  ENVIRONMENTS,
  ROLES,
  SEED_SECRETS,
  TeamsClient,
  USERS,
  assertNoSecretsIn,
  cardOf,
  actionTitles,
  cardText,
  choices,
  findAction,
  inputIds,
  startBot,
  startSimulator,
  type AuthMode,
  type BotProcess,
  type RecordedActivity,
  type Simulator,
} from '../harness/index.js';

import { JUSTIFICATION, SUBMIT, openRequestCard, sayAndSignIn } from './support/flow.js';

function requestIdOf(record: RecordedActivity): string {
  const data = findAction(cardOf(record)!, SUBMIT)?.['data'] as { requestId?: string } | undefined;
  assert.ok(data?.requestId, 'the request card carries a request id');
  return data.requestId;
}

describe('walking skeleton: "elevate me in <env>" end to end against the simulated tenant', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;
  const clients: TeamsClient[] = [];
  const client = (user: (typeof USERS)[keyof typeof USERS], conversation?: ConstructorParameters<typeof TeamsClient>[0]['conversation']) => {
    const c = new TeamsClient({ botUrl: bot.url, sim, user, ...(conversation ? { conversation } : {}) });
    clients.push(c);
    return c;
  };
  const channel = { type: 'channel' as const, teamId: '19:security-team@thread.tacv2', channelId: '19:security-alerts@thread.tacv2', name: 'Security alerts' };

  before(async () => {
    sim = await startSimulator();
    bot = await startBot({ sim, env: { ELEVATE_ACTIVATION_POLL_MS: '200' } });
  });

  after(async () => {
    const tokens = clients.flatMap((c) => c.tokens());
    const output = bot?.output() ?? '';
    await bot?.stop();
    await sim?.stop();
    assertNoSecretsIn(output, [...SEED_SECRETS, ...tokens]);
  });

  it('lets the security team choose the notification channel, and refuses anyone else', async () => {
    const adeleInChannel = client(USERS.adele, channel);
    await adeleInChannel.say('notify here');
    await adeleInChannel.waitForText('Only members of the security team');

    const nestor = client(USERS.nestor, channel);
    await nestor.say('notify here');
    await nestor.waitForText('Elevate will post');
  });

  it('elevates a requester: PIM selfActivate on their own token, applyAdminRole on their own token, card updated, channel told', async () => {
    const adele = client(USERS.adele);
    const request = await openRequestCard(adele, 'elevate me in Contoso Prod');
    const card = cardOf(request)!;
    assert.deepEqual(inputIds(card).sort(), ['duration', 'justification', 'roleId']);
    const roleIds = choices(card, 'roleId').map((c) => c.value);
    assert.deepEqual(roleIds.sort(), [ROLES.dynamics365Administrator, ROLES.powerPlatformAdministrator].sort(), 'only the roles Adele is eligible for');
    assert.ok(
      choices(card, 'duration').some((c) => c.value === 'PT8H'),
      'durations reach the policy maximum of 8 h',
    );
    assert.ok(!choices(card, 'duration').some((c) => c.value === 'PT9H' || c.value === 'PT12H'), 'and not beyond');

    const tap = await adele.tap(request, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT2H', justification: JUSTIFICATION });
    assert.equal(tap.status, 200);
    assert.match(cardText(tap.card), /Activating|Elevating/i, 'the card says the work started at once');

    const done = await adele.waitFor((r) => r.id === request.id && /System Administrator/.test(cardText(cardOf(r))) && /until/i.test(cardText(cardOf(r))), {
      timeoutMs: 30_000,
      what: 'the success card',
    });
    assert.match(cardText(cardOf(done)), /Contoso Prod/);

    const graph = await sim.control.requests('graph');
    const activations = graph.filter((r) => r.method === 'POST' && r.path.endsWith('/roleAssignmentScheduleRequests'));
    assert.equal(activations.length, 1, 'one PIM request');
    const body = activations[0]!.body as { [key: string]: unknown; scheduleInfo?: { expiration?: { type?: string; duration?: string } } };
    assert.equal(body['action'], 'selfActivate');
    assert.equal(body['principalId'], USERS.adele.id);
    assert.equal(body['roleDefinitionId'], ROLES.powerPlatformAdministrator);
    assert.equal(body['directoryScopeId'], '/');
    assert.equal(body['justification'], JUSTIFICATION);
    assert.equal(String(body['scheduleInfo']?.expiration?.type).toLowerCase(), 'afterduration');
    assert.equal(body['scheduleInfo']?.expiration?.duration, 'PT2H');
    assert.equal(activations[0]!.token?.oid, USERS.adele.id, "PIM activation ran on Adele's own token");
    assert.equal(activations[0]!.token?.idtyp, 'user');

    const pp = (await sim.control.requests('powerplatform')).filter((r) => r.path.includes('/applyAdminRole'));
    assert.equal(pp.length, 1, 'one Power Platform call');
    assert.equal(pp[0]!.status, 200);
    assert.equal(pp[0]!.token?.aud, 'https://api.powerplatform.com');
    assert.equal(pp[0]!.token?.oid, USERS.adele.id, "the elevation ran on Adele's on-behalf-of token");
    assert.equal(pp[0]!.token?.idtyp, 'user', 'not an app token');
    assert.ok(pp[0]!.path.includes(ENVIRONMENTS.contosoProd.id));

    const nestor = clients.find((c) => c.user.id === USERS.nestor.id)!;
    const post = await nestor.waitForText('Adele Vance', { timeoutMs: 10_000 });
    const postText = cardText(cardOf(post));
    for (const expected of ['Contoso Prod', 'Power Platform Administrator', JUSTIFICATION])
      assert.ok(postText.includes(expected), `channel card mentions ${expected}`);
  });

  const badTokens: AuthMode[] = ['none', 'forged', 'tampered', 'unsigned', 'expired', 'wrong-audience', 'wrong-service-url'];
  for (const mode of badTokens) {
    it(`answers 401 and changes nothing for an activity with a ${mode} JWT`, async () => {
      const adele = client(USERS.adele, { id: `a:1-jwt-${mode}` });
      const before = { graph: (await sim.control.requests('graph')).length, posted: (await sim.control.activities()).length };
      const result = await adele.say('elevate me in Contoso Prod', { auth: mode });
      assert.equal(result.status, 401);
      assert.equal((await sim.control.requests('graph')).length, before.graph, 'no Graph call');
      assert.equal((await sim.control.activities()).length, before.posted, 'nothing posted');
    });
  }

  it('reads the PIM activation policies at most once a minute, not for every request card (ELEVATE_PIM_POLICY_CACHE_SECONDS, 60 by default)', async () => {
    const adele = client(USERS.adele);
    const lastSeq = async () => (await sim.control.requests('graph')).at(-1)?.seq ?? 0;
    const policyReads = async (since: number) =>
      (await sim.control.requests('graph', since)).filter((r) => r.method === 'GET' && r.path.endsWith('/policies/roleManagementPolicyAssignments'));
    const from = await lastSeq();
    const cards = ['elevate me in Contoso Prod', 'elevate me in Contoso Dev', 'elevate me in Contoso Prod'];
    for (const text of cards) {
      const card = cardOf(await openRequestCard(adele, text))!;
      assert.ok(
        choices(card, 'duration').some((c) => c.value === 'PT8H'),
        'each card offers what the policy allows',
      );
    }
    // Without the cache every card reads the policy of each of Adele's roles (each role read 3 times); with it, a
    // role's policy is read again only when its minute ran out between two cards (twice at most).
    const perRole = new Map<string, number>();
    for (const read of await policyReads(from)) perRole.set(String(read.query['$filter']), (perRole.get(String(read.query['$filter'])) ?? 0) + 1);
    assert.ok(
      [...perRole.values()].every((n) => n <= 2),
      `policy reads per role for ${cards.length} request cards: ${[...perRole.values()].join(', ')}`,
    );
    assert.ok((await sim.control.requests('graph', from)).length >= cards.length, 'while each card read the eligibilities again');
  });

  it('ignores activities from another tenant', async () => {
    const stranger = new TeamsClient({
      botUrl: bot.url,
      sim,
      user: USERS.adele,
      tenantId: '00000000-0000-4000-8000-0000000f0e19',
      conversation: { id: 'a:1-foreign' },
    });
    const before = (await sim.control.requests('graph')).length;
    const result = await stranger.say('elevate me in Contoso Prod');
    assert.equal(result.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(await stranger.activities(), [], 'no answer');
    assert.equal((await sim.control.requests('graph')).length, before, 'no Graph call');
  });

  describe('card data is never trusted', () => {
    let adele: TeamsClient;
    let request: RecordedActivity;
    const activationCount = async () =>
      (await sim.control.requests('graph')).filter((r) => r.method === 'POST' && r.path.endsWith('/roleAssignmentScheduleRequests')).length;

    before(async () => {
      adele = client(USERS.adele, { id: 'a:1-tamper' });
      request = await openRequestCard(adele, 'elevate me in Contoso UAT');
    });

    it("refuses a duration over the role's PIM maximum", async () => {
      const before = await activationCount();
      const tap = await adele.tap(
        request,
        SUBMIT,
        { roleId: ROLES.dynamics365Administrator, duration: 'PT8H', justification: JUSTIFICATION },
        { validate: true },
      );
      assert.equal(tap.status, 200);
      assert.match(cardText(tap.card), /4 h|longer than|maximum/i);
      assert.equal(await activationCount(), before, 'no PIM request');
    });

    it('refuses a role the user is not eligible for', async () => {
      const before = await activationCount();
      const tap = await adele.tap(request, SUBMIT, { roleId: ROLES.globalAdministrator, duration: 'PT1H', justification: JUSTIFICATION }, { validate: true });
      assert.match(cardText(tap.card), /cannot activate that role|choose one of the roles/i);
      assert.equal(await activationCount(), before);
    });

    it("refuses another user's request id", async () => {
      const before = await activationCount();
      const alex = client(USERS.alex, { id: 'a:1-alex-tamper' });
      await openRequestCard(alex, 'elevate me in Contoso Prod');
      const result = await alex
        .invoke<{ value?: unknown }>('adaptiveCard/action', {
          action: {
            type: 'Action.Execute',
            verb: SUBMIT,
            data: { requestId: requestIdOf(request), roleId: ROLES.dynamics365Administrator, duration: 'PT1H', justification: JUSTIFICATION },
          },
          trigger: 'manual',
        })
        .catch(() => undefined);
      assert.ok(result);
      assert.match(cardText(cardOf(result.body as never)), /Only the person who started this request/);
      assert.equal(await activationCount(), before);
    });
  });

  it('tells a user with no eligible role so, instead of showing an empty card', async () => {
    const lee = client(USERS.lee);
    await sayAndSignIn(lee, 'elevate me in Contoso Dev');
    const answer = await lee.waitForText('No eligible administrator role');
    assert.equal(findAction(cardOf(answer)!, SUBMIT), undefined);
  });

  it('suggests the closest environments the requester may elevate in for an unknown name, and tells a user with no eligible role nothing about environments', async () => {
    const adele = client(USERS.adele, { id: 'a:1-unknown-env' });
    await sayAndSignIn(adele, 'elevate me in Contso Prod');
    const answer = await adele.waitForText('I could not find');
    assert.ok(actionTitles(cardOf(answer)!).includes('Contoso Prod'), 'Contoso Prod is offered, though Adele holds no role there');
    // Lee is eligible for no administrator role: no environment is confirmed or suggested to him.
    const lee = client(USERS.lee, { id: 'a:1-hidden-env' });
    await sayAndSignIn(lee, 'elevate me in Fabrikam Sales');
    const refused = await lee.waitForText('No eligible administrator role');
    assert.doesNotMatch(JSON.stringify(refused.activity), /fabrikamsales|e0000000-0000-4000-8000-000000000004/i);
    assert.deepEqual(actionTitles(cardOf(refused)!), [], 'no environment is suggested');
  });

  it('explains the commands on help', async () => {
    const lee = client(USERS.lee, { id: 'a:1-help' });
    await lee.say('help');
    const help = await lee.waitForText('elevate me in');
    assert.match(cardText(cardOf(help)), /status/);
  });
});
