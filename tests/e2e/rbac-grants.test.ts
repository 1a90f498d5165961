import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  SEED_SECRETS,
  TEAM,
  TeamsClient,
  USERS,
  assertNoSecretsIn,
  cardOf,
  cardText,
  findAction,
  startBot,
  type BotProcess,
  type RecordedActivity,
  type Simulator,
  type TeamsUser,
} from '../harness/index.js';
import { ELEVATE_RBAC_APP, ENVIRONMENT_GROUPS, PIPELINE_APP, RBAC_ROLES } from '../simulator/tenant/rbac-seed.js';
import { AAD_APP_CLIENT_ID, ENVIRONMENTS, TENANT_ID } from '../simulator/tenant/seed.js';
import { eventually, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';
import { walkCard } from '../harness/cards.js';
import { assignmentsOf, creates, nextCard, RBAC_ENV, RBAC_POLICY, sayAndWait, seen } from './support/grants.js';

const APPROVE = 'elevate.approve';
const END_NOW = 'elevate.deactivate';
const DENY = 'elevate.deny';
const CANCEL = 'elevate.cancel';
const securityChannel = { type: 'channel' as const, teamId: TEAM.id, channelId: TEAM.securityChannelId, name: 'Security notifications' };
const approvalsChannel = { type: 'channel' as const, teamId: TEAM.id, channelId: TEAM.approvalsChannelId, name: 'Approvals' };

/** The inputs of a card (id, value, choices). */
function walkInputs(card: unknown): Record<string, unknown>[] {
  return [...walkCard(card as Parameters<typeof walkCard>[0])]
    .map((v) => v.node as Record<string, unknown>)
    .filter((n) => String(n['type']).startsWith('Input.'));
}

describe('Power Platform RBAC grants through Teams (issue #14)', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let bot: BotProcess;
  let dir: string;
  const clients: TeamsClient[] = [];
  const client = (user: TeamsUser, conversation?: ConstructorParameters<typeof TeamsClient>[0]['conversation']) => {
    const c = new TeamsClient({ botUrl: bot.url, sim, user, ...(conversation ? { conversation } : {}) });
    clients.push(c);
    return c;
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'elevate-rbac-'));
    writeFileSync(path.join(dir, 'policy.yaml'), RBAC_POLICY);
    ({ sim, bot } = await startSimulatorAndBot({ ...RBAC_ENV, ELEVATE_POLICY_FILE: path.join(dir, 'policy.yaml') }));
    await client(USERS.nestor, securityChannel).say('notify here');
    await client(USERS.nestor, approvalsChannel).say('approvals here');
    await clients[1]!.waitForText('Elevate will post approval cards');
  });

  after(async () => {
    const output = bot?.output() ?? '';
    await stopBotAndSimulator(bot, sim);
    rmSync(dir, { recursive: true, force: true });
    assertNoSecretsIn(output, [...SEED_SECRETS, ...clients.flatMap((c) => c.tokens())]);
  });

  afterEach(async () => {
    // Each test starts from the RBAC identity's own standing assignment only.
    await sim.control.updateTenant<{ rbacAssignments: { principalObjectId: string }[] }>((t) => {
      t.rbacAssignments = t.rbacAssignments.filter((a) => a.principalObjectId === ELEVATE_RBAC_APP.servicePrincipalId);
    });
  });

  it("grants a user's own role at the tenant, environment group and environment scope, made by the RBAC identity", async () => {
    const adele = client(USERS.adele);
    const before = (await creates(sim)).length;
    const scopes = [
      ['tenant', `/tenants/${TENANT_ID}`],
      ['environment group Finance', `/tenants/${TENANT_ID}/environmentGroups/${ENVIRONMENT_GROUPS.finance.id}`],
      ['Contoso Dev', `/tenants/${TENANT_ID}/environments/${ENVIRONMENTS.contosoDev.id}`],
    ] as const;
    for (const [typed, scope] of scopes) {
      const card = await sayAndWait(adele, `grant me Power Platform reader on ${typed} for 2h because CHG-7 read the config`, /Granted/);
      assert.match(cardText(cardOf(card)), /Power Platform reader/);
      assert.ok(
        (await assignmentsOf(sim, USERS.adele.id)).some((a) => a.scope === scope && a.principalType === 'User' && a.roleDefinitionId === RBAC_ROLES.reader),
        scope,
      );
    }
    assert.deepEqual(
      (await creates(sim)).slice(before).map((c) => [c.status, c.appid]),
      scopes.map(() => [201, ELEVATE_RBAC_APP.clientId]),
      'three creates, each with the RBAC identity',
    );
    const security = client(USERS.nestor, securityChannel);
    await eventually(
      async () => (await security.activities()).filter((r) => /RBAC Granted.*Adele Vance/s.test(cardText(cardOf(r)))).length === 3,
      'three channel posts',
    );
    const groupListings = (await sim.control.requests('powerplatform')).filter(
      (r) => r.method === 'GET' && r.path.includes('/environmentmanagement/environmentGroups'),
    );
    assert.ok(groupListings.length > 0, 'the group named by the API, not by the Elevate policy');
    assert.ok(
      groupListings.every((r) => r.status === 200 && r.token?.appid === AAD_APP_CLIENT_ID),
      "listed with Elevate's own identity",
    );
  });

  it('resolves environment group names as environments are resolved: an ambiguous name gets the candidates, an unknown one near names', async () => {
    const lee = client(USERS.lee);
    const ambiguous = cardText(cardOf(await sayAndWait(lee, 'grant me reader on environment group Fin for 1h because CHG-10 read the flows', /Not granted/)));
    assert.match(ambiguous, /matches several scopes/);
    assert.match(ambiguous, /environment group Finance EMEA/);
    assert.match(ambiguous, /environment group Finance(?! EMEA)/);
    const unknown = cardText(cardOf(await sayAndWait(lee, 'grant me reader on environment group Finanse for 1h because CHG-10 read the flows', /Not granted/)));
    assert.match(unknown, /Did you mean one of these\?/);
    assert.match(unknown, /environment group Finance/);
    const emea = await sayAndWait(lee, 'grant me reader on environment group finance emea for 1h because CHG-10 read the flows', /Granted/);
    assert.match(cardText(cardOf(emea)), /environment group Finance EMEA/);
    assert.deepEqual(
      (await assignmentsOf(sim, USERS.lee.id)).map((a) => a.scope),
      [`/tenants/${TENANT_ID}/environmentGroups/${ENVIRONMENT_GROUPS.financeEmea.id}`],
    );
    // Ended again, so that Lee's later `deactivate` has one grant to end.
    assert.match(cardText((await lee.tap(emea, END_NOW)).card), /Ended: Power Platform reader on environment group Finance EMEA/);
  });

  it('asks on the request card for what "grant me" lacks, offers only what the policy allows, and re-checks the submission', async () => {
    const adele = client(USERS.adele);
    const megan = client(USERS.megan);
    const card = await sayAndWait(adele, 'grant me', /Request a Power Platform role/);
    const choices = (id: string) =>
      ((walkInputs(cardOf(card)).find((n) => n['id'] === id)?.['choices'] as { value: string }[] | undefined) ?? []).map((c) => c.value);
    assert.ok(choices('roleId').includes(RBAC_ROLES.reader) && choices('roleId').includes(RBAC_ROLES.owner), 'roles from the API the policy allows');
    assert.ok(choices('scope').includes('tenant') && choices('scope').includes(`environment:${ENVIRONMENTS.contosoDev.id}`));
    assert.equal(choices('duration').at(-1), 'PT8H', "up to the rule's maximum");
    const dev = `environment:${ENVIRONMENTS.contosoDev.id}`;

    const other = await megan.tap(card, 'elevate.grantSubmit', { roleId: RBAC_ROLES.reader, scope: dev, duration: 'PT1H', justification: 'not my card' });
    assert.match(cardText(other.card), /Only the person this card was made for/);
    const tooLong = await adele.tap(
      card,
      'elevate.grantSubmit',
      { roleId: RBAC_ROLES.reader, scope: dev, duration: 'PT10H', justification: 'read the flows' },
      { validate: false },
    );
    assert.match(cardText(tooLong.card), /at most 8 h/);
    const tenantOwner = await adele.tap(card, 'elevate.grantSubmit', {
      roleId: RBAC_ROLES.owner,
      scope: 'tenant',
      duration: 'PT1H',
      justification: 'take over the tenant',
    });
    assert.match(cardText(tenantOwner.card), /Owner at the tenant scope is never granted/);

    // Contributor: the first test left Adele's reader grant on Contoso Dev open in Elevate's store.
    const inputs = { roleId: RBAC_ROLES.contributor, scope: dev, duration: 'PT2H', justification: 'change the flows of CHG-8' };
    const [first, second] = await Promise.all([adele.tap(card, 'elevate.grantSubmit', inputs), adele.tap(card, 'elevate.grantSubmit', inputs)]);
    assert.ok(
      [first, second].every((t) => /Power Platform contributor on Contoso Dev/.test(cardText(t.card))),
      `both taps show the one grant: ${[first, second].map((t) => cardText(t.card).slice(0, 200)).join(' | ')}`,
    );
    await eventually(async () => (await assignmentsOf(sim, USERS.adele.id)).some((a) => a.roleDefinitionId === RBAC_ROLES.contributor), 'the assignment');
    assert.equal((await assignmentsOf(sim, USERS.adele.id)).length, 1, 'a double tap makes one assignment');

    const prefilled = await sayAndWait(
      adele,
      'grant me contributor on environment group Finance because CHG-9 tidy the flows',
      /Request a Power Platform role/,
    );
    const values = Object.fromEntries(walkInputs(cardOf(prefilled)).map((n) => [String(n['id']), n['value']]));
    assert.deepEqual(
      [values['roleId'], values['scope'], values['justification']],
      [RBAC_ROLES.contributor, `environmentGroup:${ENVIRONMENT_GROUPS.finance.id}`, 'CHG-9 tidy the flows'],
    );
    const cancelled = await adele.tap(prefilled, 'elevate.grantCancel');
    assert.match(cardText(cancelled.card), /Nothing requested/);
  });

  it("grants a service principal for its owner, refuses a non-owner, and never grants Elevate's own app", async () => {
    const adele = client(USERS.adele);
    const megan = client(USERS.megan);
    await sayAndWait(
      adele,
      `grant Power Platform contributor to app ${PIPELINE_APP.displayName} on Contoso Dev for 2h because release 42 of the pipeline`,
      /Granted/,
    );
    const refused = await sayAndWait(
      megan,
      `grant contributor to app ${PIPELINE_APP.clientId} on Contoso Dev for 2h because release 42 of the pipeline`,
      /Not granted/,
    );
    const own = await sayAndWait(adele, `grant reader to app ${ELEVATE_RBAC_APP.clientId} on tenant for 1h because nothing at all`, /Not granted/);

    assert.match(cardText(cardOf(refused)), /only its owners/);
    assert.match(cardText(cardOf(own)), /never grants roles to its own identities/);
    const made = await assignmentsOf(sim, PIPELINE_APP.servicePrincipalId);
    assert.deepEqual(
      made.map((a) => a.principalType),
      ['ApplicationUser'],
      'one assignment, for the app only',
    );
  });

  it('asks for approval of Owner: self-approval refused, racing approvers and a redelivered message make one assignment', async () => {
    const adele = client(USERS.adele);
    const before = (await creates(sim)).length;
    const waiting = await sayAndWait(
      adele,
      'grant me Power Platform owner on Contoso Prod for 1h because INC0012345 restore the solution',
      /Waiting for approval/,
    );
    await adele.resend();
    const channelAsAdele = client(USERS.adele, approvalsChannel);
    const posted = await channelAsAdele.waitFor((r) => findAction(cardOf(r)!, APPROVE) !== undefined && /Power Platform owner/.test(cardText(cardOf(r))), {
      what: 'the approval card',
    });
    const self = await channelAsAdele.tap(posted, APPROVE);
    assert.match(cardText(self.card), /cannot approve or deny your own request/);

    const [megan, alex] = [client(USERS.megan), client(USERS.alex)];
    const cards = await Promise.all([megan, alex].map((c) => c.waitFor((r) => findAction(cardOf(r)!, APPROVE) !== undefined, { what: 'a 1:1 approval card' })));
    const taps = await Promise.all([megan.tap(cards[0]!, APPROVE), alex.tap(cards[1]!, APPROVE)]);
    assert.equal(taps.filter((t) => /already decided/.test(cardText(t.card))).length, 1, 'one of the racing taps is refused');

    await nextCard(adele, new Set([waiting.id]), /Granted: Power Platform owner/);
    assert.equal((await assignmentsOf(sim, USERS.adele.id)).filter((a) => a.roleDefinitionId === RBAC_ROLES.owner).length, 1, 'one assignment');
    assert.equal((await creates(sim)).slice(before).filter((c) => c.status === 201).length, 1, 'one create');
  });

  it("updates every grant approval card in place after a decision, a cancel or a Deny, and refreshes each viewer's own view", async () => {
    const [adele, megan, alex, lee] = [client(USERS.adele), client(USERS.megan), client(USERS.alex), client(USERS.lee, approvalsChannel)];
    const channel = client(USERS.nestor, approvalsChannel);
    const grantIdOf = (card: RecordedActivity) => (findAction(cardOf(card)!, CANCEL)?.['data'] as { requestId: string }).requestId;
    const cardFor = (c: TeamsClient, id: string) =>
      c.waitFor((r) => (findAction(cardOf(r)!, APPROVE)?.['data'] as { requestId?: string } | undefined)?.requestId === id, {
        what: `the approval card of ${id}`,
      });
    const request = async (where: string) => {
      const waiting = await sayAndWait(
        adele,
        `grant me Power Platform owner on ${where} for 1h because INC0012345 restore the solution`,
        /Waiting for approval/,
      );
      const id = grantIdOf(waiting);
      return { waiting, id, cards: await Promise.all([megan, alex, channel].map((c) => cardFor(c, id))) };
    };
    /** The card as Teams now holds it (after the bot's updates) shows `pattern` and no Approve. */
    const settled = (c: TeamsClient, card: RecordedActivity, pattern: RegExp) =>
      c.waitFor((r) => r.id === card.id && pattern.test(cardText(cardOf(r))) && findAction(cardOf(r)!, APPROVE) === undefined, {
        what: `${String(pattern)} on ${card.id} in ${c.watchedConversationId}`,
      });

    // Approved by Megan: her card, Alex's card and the channel card all say so, without buttons.
    const approved = await request('Contoso UAT');
    const [meganView, leeView, adeleView] = await Promise.all([
      megan.refresh(approved.cards[0]!),
      lee.refresh(approved.cards[2]!),
      client(USERS.adele, approvalsChannel).refresh(approved.cards[2]!),
    ]);
    assert.ok(findAction(meganView.card!, APPROVE), 'a listed approver may still vote');
    assert.ok(!findAction(leeView.card!, APPROVE) && /not an approver/.test(cardText(leeView.card)), 'someone not listed sees no buttons');
    assert.ok(!findAction(adeleView.card!, APPROVE) && /You requested this/.test(cardText(adeleView.card)), 'the requester sees no buttons');
    await megan.tap(approved.cards[0]!, APPROVE);
    await Promise.all([megan, alex, channel].map((c, i) => settled(c, approved.cards[i]!, /Approved/)));
    const afterwards = await alex.refresh(approved.cards[1]!);
    assert.ok(!findAction(afterwards.card!, APPROVE), 'a refresh after the decision offers no vote');
    await nextCard(adele, new Set([approved.waiting.id]), /Granted: Power Platform owner on Contoso UAT/);
    const ownCard = (waiting: RecordedActivity, pattern: RegExp) =>
      adele.waitFor((r) => r.id === waiting.id && pattern.test(cardText(cardOf(r))), { what: `${String(pattern)} on the requester's own card` });
    await ownCard(approved.waiting, /Granted: Power Platform owner on Contoso UAT/);

    // Denied by Alex with a reason: everyone sees who and why; a tap on a card not yet updated is refused on the server.
    const denied = await request('Contoso Dev');
    await alex.tap(denied.cards[1]!, DENY, { reason: 'not during the release freeze' });
    const late = await megan.tap(denied.cards[0]!, APPROVE);
    assert.match(cardText(late.card), /already decided/);
    await Promise.all([megan, alex, channel].map((c, i) => settled(c, denied.cards[i]!, /Denied by Alex Wilber: not during the release freeze/)));
    await ownCard(denied.waiting, /Not granted: Power Platform owner on Contoso Dev.*Alex Wilber denied the request: not during the release freeze/s);

    // Cancelled by the requester while it waited.
    const cancelled = await request('Fabrikam Sales');
    const withdrawn = await adele.tap(cancelled.waiting, CANCEL);
    assert.match(cardText(withdrawn.card), /Cancelled: Power Platform owner/);
    await Promise.all([megan, alex, channel].map((c, i) => settled(c, cancelled.cards[i]!, /Cancelled by the requester/)));
    assert.deepEqual(
      (await assignmentsOf(sim, USERS.adele.id)).filter((a) => a.roleDefinitionId === RBAC_ROLES.owner).map((a) => a.scope),
      [`/tenants/${TENANT_ID}/environments/${ENVIRONMENTS.contosoUat.id}`],
      'only the approved grant was assigned',
    );
  });

  it('shows grant steps in the audit trail in their own words: role, scope, principal and requester', async () => {
    await sayAndWait(
      client(USERS.adele),
      `grant Power Platform reader to app ${PIPELINE_APP.displayName} on environment group Finance for 1h because audit check`,
      /Granted/,
    );
    const audit = cardText(cardOf(await sayAndWait(client(USERS.nestor), 'audit 24h', /Audit trail/)));
    assert.match(audit, /RBAC grant: Power Platform reader on environment group Finance to Contoso Deploy Pipeline \(app\) · requested by Adele Vance/);
    assert.match(
      audit,
      /decided · Megan Bowen · RBAC grant: Power Platform owner on environment Contoso UAT to Adele Vance \(user\) · requested by Adele Vance/,
    );
    assert.match(
      audit,
      /cancelled · Adele Vance · RBAC grant: Power Platform owner on environment Fabrikam Sales to Adele Vance \(user\) · requested by Adele Vance/,
    );
    assert.doesNotMatch(audit, /· Power Platform owner in Contoso/, 'not worded as an elevation');
  });

  it('leaves a pre-existing assignment in place, and ends a grant early with deactivate (404 on removal = already gone)', async () => {
    const lee = client(USERS.lee);
    await sim.control.updateTenant<{ rbacAssignments: unknown[] }>((t) => {
      t.rbacAssignments.push({
        roleAssignmentId: 'standing-1',
        principalObjectId: USERS.lee.id,
        principalType: 'User',
        roleDefinitionId: RBAC_ROLES.contributor,
        scope: `/tenants/${TENANT_ID}/environments/${ENVIRONMENTS.contosoUat.id}`,
        createdOn: '2025-01-01T00:00:00Z',
      });
    });
    await sayAndWait(lee, 'grant me contributor on Contoso UAT for 1h because CHG-9 change the flows', /Already assigned/);
    const before = await seen(lee);
    await lee.say('deactivate');
    await nextCard(lee, before, /Ended: Power Platform contributor/);
    assert.deepEqual(
      (await assignmentsOf(sim, USERS.lee.id)).map((a) => a.roleAssignmentId),
      ['standing-1'],
      'left in place',
    );

    const granted = await sayAndWait(lee, 'grant me reader on Contoso Prod for 1h because CHG-9 check the flows', /Granted/);
    await sim.control.updateTenant<{ rbacAssignments: { principalObjectId: string }[] }>((t) => {
      t.rbacAssignments = t.rbacAssignments.filter((a) => a.principalObjectId !== USERS.lee.id);
    });
    const ended = await lee.tap(granted, END_NOW);
    assert.match(cardText(ended.card), /already gone/);
  });

  it('shows the API answers in words: 403 without the RBAC role, 400 InvalidScope, a 5xx whose create happened (read back), 429 waited out', async () => {
    const alex = client(USERS.alex);
    await sim.control.fault({
      service: 'powerplatform',
      method: 'POST',
      pathIncludes: '/authorization/',
      status: 400,
      body: { error: { code: 'InvalidScope', message: 'The scope is not valid.' } },
    });
    const invalid = await sayAndWait(alex, 'grant me reader on Contoso Dev for 1h because check a scope', /Not granted/);
    assert.match(cardText(cardOf(invalid)), /not a valid scope \(400 InvalidScope\)/);

    await sim.control.fault({ service: 'powerplatform', method: 'POST', pathIncludes: '/authorization/', status: 504, afterHandling: true });
    await sayAndWait(alex, 'grant me reader on Contoso UAT for 1h because a lost answer', /Granted/);
    assert.equal((await assignmentsOf(sim, USERS.alex.id)).length, 1, 'read back: one assignment, no second create');

    await sim.control.fault({ service: 'powerplatform', method: 'POST', pathIncludes: '/authorization/', status: 429, retryAfterSeconds: 1 });
    await sayAndWait(alex, 'grant me reader on Fabrikam Sales for 1h because throttled once', /Granted/);

    await sim.control.updateTenant<{ rbacAssignments: unknown[] }>((t) => void (t.rbacAssignments = []));
    const forbidden = await sayAndWait(alex, 'grant me reader on tenant for 1h because no role any more', /Not granted/);
    assert.match(cardText(cardOf(forbidden)), /refused Elevate's RBAC identity \(403\)/);
    await sim.control.updateTenant<{ rbacAssignments: unknown[] }>((t) => {
      t.rbacAssignments = [
        {
          roleAssignmentId: '8ac00000-0000-4000-8000-000000000001',
          principalObjectId: ELEVATE_RBAC_APP.servicePrincipalId,
          principalType: 'ApplicationUser',
          roleDefinitionId: RBAC_ROLES.rbacAdministrator,
          scope: `/tenants/${TENANT_ID}`,
          createdOn: '2025-01-01T00:00:00Z',
        },
      ];
    });
  });

  it('says 400 PrincipalNotFound in words, and reads back after a 409 or a dropped connection whose create happened', async () => {
    const nestor = client(USERS.nestor);
    const fault = (extra: Record<string, unknown>) =>
      sim.control.fault({ service: 'powerplatform', method: 'POST', pathIncludes: '/authorization/', afterHandling: true, ...extra });
    await sim.control.fault({
      service: 'powerplatform',
      method: 'POST',
      pathIncludes: '/authorization/',
      status: 400,
      body: { error: { code: 'PrincipalNotFound', message: 'no such principal' } },
    });
    const missing = await sayAndWait(nestor, 'grant me reader on Contoso Dev for 1h because principal check', /Not granted/);
    assert.match(cardText(cardOf(missing)), /does not find Nestor Wilke in the tenant \(400 PrincipalNotFound\)/);

    await fault({ status: 409, body: { error: { code: 'RoleAssignmentAlreadyExists', message: 'exists' } } });
    await sayAndWait(nestor, 'grant me reader on Contoso UAT for 1h because conflict check', /Granted/);
    await fault({ dropConnection: true });
    await sayAndWait(nestor, 'grant me reader on Fabrikam Sales for 1h because timeout check', /Granted/);
    assert.equal((await assignmentsOf(sim, USERS.nestor.id)).length, 2, 'one assignment each, adopted after reading back');
  });

  it('reads back after a slow create that hit the client timeout: the one assignment made is adopted, never a second create', async function () {
    this.timeout(150_000);
    const lee = client(USERS.lee);
    const before = (await creates(sim)).length;
    // The answer takes longer than the HTTP client waits (30 s per attempt); the create itself happens.
    await sim.control.fault({ service: 'powerplatform', method: 'POST', pathIncludes: '/authorization/', delayMs: 35_000 });
    const card = await sayAndWait(lee, 'grant me reader on Contoso Dev for 1h because CHG-12 a slow answer', /Assigning/);
    await lee.waitFor((r) => r.id === card.id && /Granted: Power Platform reader on Contoso Dev/.test(cardText(cardOf(r))), {
      timeoutMs: 90_000,
      what: 'the card updated in place once the read-back found the assignment',
    });
    assert.equal((await assignmentsOf(sim, USERS.lee.id)).length, 1);
    assert.equal((await creates(sim)).length - before, 1, 'one create only');
  });

  it('says "not assigned" after repeated 5xx, each attempt read back first, and makes nothing', async function () {
    this.timeout(120_000);
    const lee = client(USERS.lee);
    const before = (await creates(sim)).length;
    await sim.control.fault({ service: 'powerplatform', method: 'POST', pathIncludes: '/authorization/', status: 500, times: 3 });
    const card = await sayAndWait(lee, 'grant me reader on Contoso UAT for 1h because CHG-13 a failing service', /Assigning/);
    const failed = await lee.waitFor((r) => r.id === card.id && /Not granted/.test(cardText(cardOf(r))), {
      timeoutMs: 90_000,
      what: 'the card updated in place after the last attempt',
    });
    assert.match(cardText(cardOf(failed)), /Power Platform failed \(500\) and Elevate found no assignment when it read back/);
    assert.deepEqual(
      (await creates(sim)).slice(before).map((c) => c.status),
      [500, 500, 500],
      'ELEVATE_RBAC_ASSIGN_ATTEMPTS (3) creates',
    );
    const readBacks = (await sim.control.requests('powerplatform')).filter(
      (r) => r.method === 'GET' && r.path.endsWith(`/environments/${ENVIRONMENTS.contosoUat.id}/roleAssignments`),
    );
    assert.ok(readBacks.length >= 4, `read back before the first create and after each failure (${readBacks.length})`);
    assert.equal((await assignmentsOf(sim, USERS.lee.id)).length, 0);
  });

  it('removes the assignment at expiry, also after the bot was killed (kill -9) and started again; cards updated in place', async function () {
    this.timeout(180_000);
    const megan = client(USERS.megan);
    // Waits for approval at most a minute (the rule's pendingTimeoutMinutes), across the restart.
    const waiting = await sayAndWait(megan, 'grant me rbac administrator on Contoso Dev for 30m because CHG-11 review the access', /Waiting for approval/);
    const granted = await sayAndWait(megan, 'grant me reader on Contoso Prod for 1m because expiry check', /Granted/);
    assert.equal((await assignmentsOf(sim, USERS.megan.id)).length, 1);
    const storePath = bot.storePath;
    await bot.kill('SIGKILL');
    bot = await startBot({ sim, storePath, env: { ...RBAC_ENV, ELEVATE_POLICY_FILE: path.join(dir, 'policy.yaml') } });
    await eventually(async () => (await assignmentsOf(sim, USERS.megan.id)).length === 0, 'the removal at expiry', 90_000);
    const restarted = new TeamsClient({ botUrl: bot.url, sim, user: USERS.megan });
    await restarted.waitForText(/Ended: Power Platform reader/, { timeoutMs: 15_000 });
    const onCard = (card: RecordedActivity, pattern: RegExp) =>
      restarted.waitFor((r) => r.id === card.id && pattern.test(cardText(cardOf(r))), { timeoutMs: 30_000, what: `${String(pattern)} in place` });
    await onCard(granted, /Ended: Power Platform reader on Contoso Prod/);
    await onCard(waiting, /Not granted: Power Platform role-based access control administrator.*No decision in time/s);
  });
});
