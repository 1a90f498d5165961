import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  APPROVERS_GROUP_ID,
  ENVIRONMENTS,
  ROLES,
  SEED_SECRETS,
  TEAM,
  TeamsClient,
  USERS,
  assertNoSecretsIn,
  cardOf,
  cardText,
  findAction,
  startBot,
  startSimulator,
  type BotProcess,
  type RecordedActivity,
  type Simulator,
  type TeamsUser,
} from '../harness/index.js';
import {
  JUSTIFICATION,
  SUBMIT,
  activationRequests,
  applyAdminRoleCalls,
  eventually,
  hasVerb,
  isOAuth,
  openRequestCard,
  POLICY_CHANGES_AT_ONCE,
  startSimulatorAndBot,
  stopBotAndSimulator,
} from './support/flow.js';
import { ACTIVATE, APPROVE, EXTRA_APPROVERS, TEN_APPROVERS, twoOfTenRule } from './support/approvals.js';

const PIM_APPROVE = 'elevate.pimApprove';
const RETRY = 'elevate.retry';
const DENY = 'elevate.deny';
const CANCEL = 'elevate.cancel';

const POLICY = `
version: 1
defaults:
  approval:
    required: false
rules:
${twoOfTenRule(`    approvalsChannel: '${TEAM.approvalsChannelId}'\n`)}  - name: uat-one-of-two
    match:
      environmentIds: [${ENVIRONMENTS.contosoUat.id}]
    approval:
      required: true
      approverUserIds: [${USERS.megan.id}, ${USERS.nestor.id}]
      approvalsRequired: 1
      pendingTimeoutMinutes: 60
  # Approvers by group (transitive membership): cards go to the approvals channel only.
  - name: fabrikam-group
    match:
      environmentIds: [${ENVIRONMENTS.fabrikamSales.id}]
    approval:
      required: true
      approverGroupIds: [${APPROVERS_GROUP_ID}]
      approvalsRequired: 1
      pendingTimeoutMinutes: 60
  # No Elevate approval in Contoso Dev; the rule names who gets PIM approval cards.
  - name: dev-pim-approvers
    match:
      environmentIds: [${ENVIRONMENTS.contosoDev.id}]
    approval:
      required: false
      approverUserIds: [${USERS.megan.id}]
`;

const approvalsChannel = { type: 'channel' as const, teamId: TEAM.id, channelId: TEAM.approvalsChannelId, name: 'Approvals' };
const securityChannel = { type: 'channel' as const, teamId: TEAM.id, channelId: TEAM.securityChannelId, name: 'Security notifications' };

function requestIdOf(record: RecordedActivity, verb: string): string {
  const data = findAction(cardOf(record)!, verb)?.['data'] as { requestId?: string } | undefined;
  assert.ok(data?.requestId, `the card has ${verb} with a request id`);
  return data.requestId;
}

describe('approvals on cards: Elevate policy approvals, safe under races', function () {
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
  /** The approval card of `requestId` in this client's conversation (channel or 1:1). */
  const approvalCard = (c: TeamsClient, requestId: string) =>
    c.waitFor((r) => hasVerb(r, APPROVE) && requestIdOf(r, APPROVE) === requestId, { what: `the approval card in ${c.watchedConversationId}` });
  /** The latest version of a posted card, as the connector has it (after the bot's updates). */
  const latestText = async (c: TeamsClient, id: string) => cardText(cardOf(await c.recorded(id)));

  /** Adele submits a request in `environment` and gets the "waiting for approval" card. */
  async function requestApproval(adele: TeamsClient, environment: string, roleId: string): Promise<{ card: RecordedActivity; requestId: string }> {
    const card = await openRequestCard(adele, `elevate me in ${environment}`);
    const requestId = requestIdOf(card, SUBMIT);
    const submitted = await adele.tap(card, SUBMIT, { roleId, duration: 'PT1H', justification: JUSTIFICATION });
    assert.match(cardText(submitted.card), /Waiting for approval/);
    assert.ok(findAction(submitted.card!, CANCEL), 'the requester can cancel while waiting');
    assert.deepEqual(
      (submitted.card!['refresh'] as { userIds?: string[] } | undefined)?.userIds,
      [adele.user.id],
      "the requester's own answer keeps its refresh",
    );
    return { card, requestId };
  }

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'elevate-approvals-'));
    const policyFile = path.join(dir, 'policy.yaml');
    writeFileSync(policyFile, POLICY);
    ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_POLICY_FILE: policyFile, ...POLICY_CHANGES_AT_ONCE }));
    await sim.control.updateTenant<{ users: TeamsUser[] }>((tenant) => void tenant.users.push(...EXTRA_APPROVERS.map((u) => ({ ...u }))));
  });

  after(async () => {
    const output = bot?.output() ?? '';
    await stopBotAndSimulator(bot, sim);
    rmSync(dir, { recursive: true, force: true });
    assertNoSecretsIn(output, [...SEED_SECRETS, ...clients.flatMap((c) => c.tokens())]);
  });

  it('lets only the security team choose the approvals channel', async () => {
    const adeleThere = client(USERS.adele, approvalsChannel);
    await adeleThere.say('approvals here');
    await adeleThere.waitForText('Only members of the security team');
    const nestorThere = client(USERS.nestor, approvalsChannel);
    await nestorThere.say('approvals here');
    await nestorThere.waitForText('Elevate will post approval cards');
    const nestorSecurity = client(USERS.nestor, securityChannel);
    await nestorSecurity.say('notify here');
    await nestorSecurity.waitForText('Elevate will post every elevation');
  });

  it('2 of 10 approvers tapping at once: exactly two approvals, then one activation on the requester’s own tap', async () => {
    const adele = client(USERS.adele);
    const { card, requestId } = await requestApproval(adele, 'Contoso Prod', ROLES.powerPlatformAdministrator);

    const channel = client(USERS.nestor, approvalsChannel);
    const posted = await approvalCard(channel, requestId);
    const postedText = cardText(cardOf(posted));
    for (const expected of ['Adele Vance', 'Power Platform Administrator', 'Contoso Prod', JUSTIFICATION, 'Production']) {
      assert.ok(postedText.includes(expected), `the approval card shows ${expected}`);
    }
    const refresh = (cardOf(posted)!['refresh'] ?? {}) as { userIds?: string[] };
    assert.ok(refresh.userIds && refresh.userIds.length <= 60 && refresh.userIds.includes(USERS.megan.id), 'the card refreshes for the approvers');

    const approvers = TEN_APPROVERS.map((u) => client(u));
    const cards = await Promise.all(approvers.map((a) => approvalCard(a, requestId)));
    assert.equal(await activationRequests(sim), 0, 'nothing activated before approval');

    const taps = await Promise.all(approvers.map((a, i) => a.tap(cards[i]!, APPROVE)));
    const answers = taps.map((t) => cardText(t.card));
    assert.equal(answers.filter((a) => a.includes('You approved this')).length, 2, 'two approvals recorded');
    assert.equal(answers.filter((a) => a.includes('already decided')).length, 8, 'the other eight are told it was decided');
    for (const t of taps) assert.equal(findAction(t.card!, APPROVE), undefined, 'decided cards lose their buttons');

    // The requester is told, with Activate; nothing happened in the tenant yet.
    const approved = await adele.waitFor((r) => hasVerb(r, ACTIVATE), { what: 'the Approved — Activate card' });
    assert.match(cardText(cardOf(approved)), /Approved by .+ and .+: activate/);
    assert.equal(await activationRequests(sim), 0, 'approval alone activates nothing');

    // Every posted approval card ends up showing the decision, without buttons.
    await eventually(async () => (await latestText(channel, posted.id)).includes('Approved'), 'the channel card shows the approval');
    const channelCard = cardOf(await channel.recorded(posted.id))!;
    assert.equal(findAction(channelCard, APPROVE), undefined);
    assert.equal((cardText(channelCard).match(/ approved\n\{\{DATE\(/g) ?? []).length, 2, 'two votes on the card, each with its time');

    // Activation runs on Adele's own token, once, even if she taps twice.
    await eventually(async () => hasVerb(await adele.recorded(card.id), ACTIVATE), 'the request card offers Activate too');
    const requestCardNow = await adele.recorded(card.id);
    const [first, second] = await Promise.all([adele.tap(approved, ACTIVATE), adele.tap(requestCardNow, ACTIVATE)]);
    assert.ok([first, second].some((t) => /Activating|Make you System Administrator/i.test(cardText(t.card))));
    await adele.waitFor((r) => r.id === card.id && /Elevated in/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the elevation' });
    assert.equal(await activationRequests(sim), 1, 'one PIM activation');
    assert.equal(await applyAdminRoleCalls(sim, 200), 1, 'one applyAdminRole');
    const graphActivation = (await sim.control.requests('graph')).find((r) => r.method === 'POST' && r.path.endsWith('/roleAssignmentScheduleRequests'));
    assert.equal(graphActivation?.token?.oid, USERS.adele.id, "activated on the requester's own token");
    assert.equal(graphActivation?.token?.scp !== undefined, true, 'a delegated token, not an app token');

    const security = client(USERS.nestor, securityChannel);
    await eventually(
      async () => (await security.activities()).filter((r) => /Elevated|elevated/.test(cardText(cardOf(r))) && /Adele/.test(cardText(cardOf(r)))).length === 1,
      'one elevated post',
    );
    const posts = (await security.activities()).map((r) => cardText(cardOf(r)));
    assert.equal(posts.filter((p) => /approved Adele Vance's request/.test(p)).length, 2, 'each approval posted once');
  });

  it('a Deny racing an Approve ends in one outcome that every card shows', async () => {
    const adele = client(USERS.adele);
    const { card, requestId } = await requestApproval(adele, 'Contoso UAT', ROLES.powerPlatformAdministrator);
    const megan = client(USERS.megan);
    const nestor = client(USERS.nestor);
    const [meganCard, nestorCard] = await Promise.all([approvalCard(megan, requestId), approvalCard(nestor, requestId)]);

    const [denied, approvedTap] = await Promise.all([megan.tap(meganCard, DENY, { reason: 'Not during the release freeze' }), nestor.tap(nestorCard, APPROVE)]);
    const answers = [cardText(denied.card), cardText(approvedTap.card)];
    const outcome = answers.some((a) => a.includes('You denied this')) ? 'denied' : 'approved';
    assert.equal(answers.filter((a) => a.includes('already decided')).length, 1, 'the slower tap is refused');

    const expected = outcome === 'denied' ? /Denied by Megan Bowen: Not during the release freeze/ : /Approved/;
    const notExpected = outcome === 'denied' ? /✅ Approved/ : /Denied by/;
    for (const [c, id] of [
      [megan, meganCard.id],
      [nestor, nestorCard.id],
    ] as const) {
      await eventually(async () => expected.test(await latestText(c, id)), `${c.user.name}'s card shows ${outcome}`);
      assert.doesNotMatch(await latestText(c, id), notExpected);
    }
    if (outcome === 'denied') {
      await adele.waitFor((r) => r.id === card.id && /Not during the release freeze/.test(cardText(cardOf(r))), { what: 'the requester sees the denial' });
      assert.equal(findAction(cardOf(await adele.recorded(card.id))!, 'elevate.retry'), undefined, 'a denial cannot be retried');
    } else {
      await adele.waitFor((r) => r.id === card.id && hasVerb(r, ACTIVATE), { what: 'the requester sees the approval' });
    }
  });

  it("refuses and records the requester's own tap, a non-approver's tap and a tampered card", async () => {
    const adele = client(USERS.adele);
    const { requestId } = await requestApproval(adele, 'Contoso UAT', ROLES.dynamics365Administrator);
    const nestorChannel = client(USERS.nestor, approvalsChannel);
    const posted = await approvalCard(nestorChannel, requestId);

    const own = await client(USERS.adele, approvalsChannel).tap(posted, APPROVE);
    assert.match(cardText(own.card), /you cannot approve or deny your own request/);
    // Each tap from a fresh client: a client keeps showing the card its last tap answered with.
    const lee = () => client(USERS.lee, approvalsChannel);
    const stranger = await lee().tap(posted, APPROVE);
    assert.match(cardText(stranger.card), /not an approver of this request/);
    // A tampered payload: Lee claims to be Megan in the card data. Who taps comes from the activity.
    const tampered = await lee().tap(posted, APPROVE, { approverId: USERS.megan.id, decision: 'approve' }, { validate: false });
    assert.match(cardText(tampered.card), /not an approver of this request/);
    const unknown = await lee().tap(posted, APPROVE, { requestId: 'not-a-request' }, { validate: false });
    assert.match(cardText(unknown.card), /does not exist|not an approver/);

    // Refresh: Lee sees no buttons; Megan, an approver who has not voted, does.
    const leeView = await lee().refresh(posted);
    assert.equal(findAction(leeView.card!, APPROVE), undefined);
    const meganView = await client(USERS.megan, approvalsChannel).refresh(posted);
    assert.ok(findAction(meganView.card!, APPROVE), 'an approver who may still vote sees Approve');

    // Still pending: none of those taps counted.
    assert.match(await latestText(nestorChannel, posted.id), /0 of 1 approvals/);
    // A refused tap answers only the tapper: the card everyone else sees keeps its buttons.
    assert.ok(findAction(cardOf(await nestorChannel.recorded(posted.id))!, APPROVE), 'the shared card still offers Approve');
    assert.doesNotMatch(await latestText(nestorChannel, posted.id), /not an approver|you cannot approve/);
    const nestor = client(USERS.nestor);
    await nestor.say('audit 24h');
    const trail = cardText(cardOf(await nestor.waitForText('Audit trail')));
    assert.ok((trail.match(/· refusedTap ·/g) ?? []).length >= 3, 'the refusals are in the audit trail');
  });

  it("keeps the requester's card current: it refreshes to the approval when Teams shows it again", async () => {
    const adele = client(USERS.adele);
    const { card, requestId } = await requestApproval(adele, 'Contoso UAT', ROLES.powerPlatformAdministrator);
    await eventually(async () => cardOf(await adele.recorded(card.id))?.['refresh'] !== undefined, 'the waiting card, updated for everyone');
    const waiting = await adele.recorded(card.id);
    const refresh = cardOf(waiting)!['refresh'] as { userIds?: string[] } | undefined;
    assert.deepEqual(refresh?.userIds, [USERS.adele.id], 'refreshed for the requester only');

    const megan = client(USERS.megan);
    await megan.tap(await approvalCard(megan, requestId), APPROVE);
    const refreshed = await client(USERS.adele).refresh(waiting);
    assert.match(cardText(refreshed.card), /Approved by Megan Bowen/);
    assert.ok(findAction(refreshed.card!, ACTIVATE), 'the refreshed card offers Activate');
    const stranger = await client(USERS.lee).refresh(waiting);
    assert.match(cardText(stranger.card), /Refused/);
    await adele.tap(refreshed.card ? await adele.recorded(card.id) : card, CANCEL);
  });

  it('lets members of an approver group decide, nested groups too, checked by object id through Graph', async () => {
    const nested = 'a99a0e00-0000-4000-8000-0000000000aa';
    await sim.control.updateTenant<{ groups: { id: string; displayName: string; members: string[] }[] }>((tenant) => {
      tenant.groups.push({ id: nested, displayName: 'Regional approvers', members: [EXTRA_APPROVERS[0]!.id] });
      tenant.groups.find((g) => g.id === APPROVERS_GROUP_ID)!.members.push(nested);
    });
    const alex = client(USERS.alex);
    const { card, requestId } = await requestApproval(alex, 'Fabrikam Sales', ROLES.powerPlatformAdministrator);
    const channel = client(USERS.nestor, approvalsChannel);
    const posted = await approvalCard(channel, requestId);
    const refreshed = ((cardOf(posted)!['refresh'] as { userIds?: string[] } | undefined)?.userIds ?? []).map((id) => id.toLowerCase());
    assert.ok(refreshed.includes(USERS.megan.id) && refreshed.includes(EXTRA_APPROVERS[0]!.id), 'group members, nested ones too, get their own view');
    assert.ok(!refreshed.includes(USERS.lee.id));

    const lee = await client(USERS.lee, approvalsChannel).tap(posted, APPROVE);
    assert.match(cardText(lee.card), /not an approver of this request/, 'not in the group');
    const nestedMember = await client(EXTRA_APPROVERS[0]!, approvalsChannel).tap(posted, APPROVE);
    assert.match(cardText(nestedMember.card), /You approved this/, 'a member of a group inside the approver group');
    await alex.waitFor((r) => r.id === card.id && hasVerb(r, ACTIVATE), { what: 'the approval reaches the requester' });
    const checks = (await sim.control.requests('graph')).filter((r) => r.path.endsWith('/checkMemberGroups'));
    assert.ok(checks.length >= 2 && checks.every((r) => r.token?.idtyp === 'app'), "membership checked with Elevate's own identity");
  });

  it('the requester can cancel while waiting: the approval cards lose their buttons', async () => {
    const adele = client(USERS.adele);
    const { card, requestId } = await requestApproval(adele, 'Contoso UAT', ROLES.powerPlatformAdministrator);
    const megan = client(USERS.megan);
    const meganCard = await approvalCard(megan, requestId);
    const cancelled = await adele.tap(card, CANCEL, {}, { validate: false });
    assert.match(cardText(cancelled.card), /cancelled/i);
    await eventually(async () => /Cancelled by the requester/.test(await latestText(megan, meganCard.id)), 'the approver card shows the cancellation');
    const late = await megan.tap(meganCard, APPROVE, {}, { validate: false });
    assert.match(cardText(late.card), /already decided|cancel/i);
    assert.equal(findAction(late.card!, APPROVE), undefined);
  });

  it('PIM approvals: the PIM approver decides on a card with their own token, and the requester finishes with one tap', async () => {
    await sim.control.updateTenant<{ policies: { roleDefinitionId: string; approvalRequired: boolean; approverIds: string[] }[] }>((tenant) => {
      const policy = tenant.policies.find((p) => p.roleDefinitionId === ROLES.dynamics365Administrator)!;
      Object.assign(policy, { approvalRequired: true, approverIds: [USERS.megan.id] });
    });
    const adele = client(USERS.adele);
    const card = await openRequestCard(adele, 'elevate me in Contoso Dev');
    const requestId = requestIdOf(card, SUBMIT);
    await adele.tap(card, SUBMIT, { roleId: ROLES.dynamics365Administrator, duration: 'PT1H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === card.id && /approvers/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'PIM sent it to its approvers' });

    // Megan, the role's PIM approver in the Elevate policy, gets the PIM approval card 1:1.
    const megan = client(USERS.megan);
    const pimCard = await megan.waitFor((r) => hasVerb(r, PIM_APPROVE) && requestIdOf(r, PIM_APPROVE) === requestId, { what: 'the PIM approval card' });
    assert.match(cardText(cardOf(pimCard)), /PIM approval needed/);

    // Her first tap asks her to sign in: PIM approvals run on the approver's own token.
    const before = (await megan.activities()).length;
    const first = await megan.tap(pimCard, PIM_APPROVE);
    assert.match(cardText(first.card), /Signing you in/);
    await megan.waitUntil((records) => records.slice(before).find(isOAuth), { what: 'the sign-in card' });
    assert.equal((await megan.signIn()).status, 200);
    const decided = await client(USERS.megan).tap(await megan.recorded(pimCard.id), PIM_APPROVE);
    assert.match(cardText(decided.card), /You approved this PIM request/);
    const review = (await sim.control.requests('graph')).find((r) => r.method === 'PATCH' && r.path.includes('/roleAssignmentApprovals/'));
    assert.equal(review?.status, 204);
    assert.equal(review?.token?.oid, USERS.megan.id, "decided with the approver's own token");

    // Entra refuses a second decision (409): a clear answer, nothing changes.
    // (tapped on the card as it was before the decision: a second device that had not refreshed yet)
    const again = await client(USERS.megan).tap(pimCard, PIM_APPROVE);
    assert.match(cardText(again.card), /already decided|no longer waiting/);

    // Adele is told, and finishes with one tap: the role is active, so nothing is activated again.
    const finish = await adele.waitFor((r) => hasVerb(r, RETRY) && /PIM approved/.test(cardText(cardOf(r))), { what: 'the Finish card' });
    const activationsBefore = await activationRequests(sim);
    await adele.tap(finish, RETRY);
    await adele.waitFor((r) => r.id === card.id && /Elevated in Contoso Dev/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the elevation' });
    assert.equal(await activationRequests(sim), activationsBefore, 'no second PIM activation');
    await eventually(async () => /approved/.test(cardText(cardOf(await megan.recorded(pimCard.id)))), "Megan's card shows the decision");
    assert.equal(findAction(cardOf(await megan.recorded(pimCard.id))!, PIM_APPROVE), undefined, 'the decided card has no buttons');
  });
});

describe('approvals survive a crash of the bot', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let bot: BotProcess;
  let dir: string;
  const env = (policyFile: string) => ({ ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_POLICY_FILE: policyFile, ELEVATE_INSTANCE_ID: 'bot-1' });

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'elevate-approvals-crash-'));
    writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
    sim = await startSimulator();
    bot = await startBot({ sim, storePath: path.join(dir, 'elevate.db'), env: env(path.join(dir, 'policy.yaml')) });
  });
  after(async () => {
    await stopBotAndSimulator(bot, sim);
    rmSync(dir, { recursive: true, force: true });
  });

  it('after kill -9, the approver decides on the card posted before, every card follows, and the requester activates', async () => {
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso UAT');
    const requestId = (findAction(cardOf(card)!, SUBMIT)!['data'] as { requestId: string }).requestId;
    await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    const megan = new TeamsClient({ botUrl: bot.url, sim, user: USERS.megan });
    const posted = await megan.waitFor((r) => hasVerb(r, APPROVE) && requestIdOf(r, APPROVE) === requestId, { what: "Megan's approval card" });

    await bot.kill('SIGKILL');
    bot = await startBot({ sim, storePath: path.join(dir, 'elevate.db'), env: env(path.join(dir, 'policy.yaml')) });

    const decided = await new TeamsClient({ botUrl: bot.url, sim, user: USERS.megan }).tap(posted, APPROVE);
    assert.match(cardText(decided.card), /You approved this/);
    await megan.waitFor((r) => r.id === posted.id && /✅ Approved/.test(cardText(cardOf(r))), { what: 'the posted card, updated by the new process' });
    const approved = await adele.waitFor((r) => hasVerb(r, ACTIVATE), { what: 'the Activate card' });

    // Tokens live in memory: after the crash Adele signs in again, then activates (clients talk to the new process).
    const adeleNow = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const before = (await adeleNow.activities()).length;
    const first = await adeleNow.tap(approved, ACTIVATE);
    assert.match(cardText(first.card), /Signing you in/);
    await adeleNow.waitUntil((records) => records.slice(before).find(isOAuth), { what: 'the sign-in card' });
    assert.equal((await adeleNow.signIn()).status, 200);
    await new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele }).tap(approved, ACTIVATE);
    await adele.waitFor((r) => r.id === card.id && /Elevated in Contoso UAT/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the elevation' });
    assert.equal(await activationRequests(sim), 1);
  });
});
