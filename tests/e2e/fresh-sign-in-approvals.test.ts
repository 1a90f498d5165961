import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
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
  request,
  walkCard,
  type BotProcess,
  type CardNode,
  type RecordedActivity,
  type Simulator,
  type TeamsUser,
} from '../harness/index.js';
import { followSignIn } from '../harness/browser-sign-in.js';
import { JUSTIFICATION, SUBMIT, activationRequests, eventually, hasVerb, openRequestCard, startSimulatorAndBot, stopBotAndSimulator } from './support/flow.js';
import { ACTIVATE, APPROVE } from './support/approvals.js';

const DENY = 'elevate.deny';
const approvalsChannel = { type: 'channel' as const, teamId: TEAM.id, channelId: TEAM.approvalsChannelId, name: 'Approvals' };
// The sign-in time follows on its own line, in each viewer's zone (DATE()/TIME(), issue #17).
const STRONG = /approved with strong sign-in \(c1\)\n\{\{DATE\(/g;

/** Contoso UAT: one of Megan and Nestor; Contoso Prod: both. Every Approve needs a fresh sign-in with context c1. */
const POLICY = `
version: 1
rules:
  - name: prod-fresh-two
    match:
      environmentIds: [${ENVIRONMENTS.contosoProd.id}]
    approval:
      required: true
      approverUserIds: [${USERS.megan.id}, ${USERS.nestor.id}]
      approvalsRequired: 2
      pendingTimeoutMinutes: 60
      freshSignIn:
        authenticationContext: c1
  - name: uat-fresh-one
    match:
      environmentIds: [${ENVIRONMENTS.contosoUat.id}]
    approval:
      required: true
      approverUserIds: [${USERS.megan.id}, ${USERS.nestor.id}]
      approvalsRequired: 1
      pendingTimeoutMinutes: 60
      freshSignIn:
        authenticationContext: c1
    approvalsChannel: '${TEAM.approvalsChannelId}'
  # Global Administrator approved on cards without a fresh sign-in: allowed, with a start-up warning.
  - name: fabrikam-ga-plain
    match:
      environmentIds: [${ENVIRONMENTS.fabrikamSales.id}]
      roleIds: [${ROLES.globalAdministrator}]
    approval:
      required: true
      approverUserIds: [${USERS.megan.id}]
      approvalsRequired: 1
      pendingTimeoutMinutes: 60
`;

function requestIdOf(record: RecordedActivity, verb: string): string {
  const data = findAction(cardOf(record)!, verb)?.['data'] as { requestId?: string } | undefined;
  assert.ok(data?.requestId, `the card has ${verb} with a request id`);
  return data.requestId;
}

function signInUrlOf(card: CardNode | undefined): string | undefined {
  for (const { node } of walkCard(card ?? {})) {
    if (node.type === 'Action.OpenUrl' && node['title'] === 'Sign in') return String(node['url']);
  }
  return undefined;
}

describe('approvals that keep MFA: an Approve counts only after a fresh strong sign-in', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let bot: BotProcess;
  let dir: string;
  const clients: TeamsClient[] = [];
  const client = (user: TeamsUser, conversation?: typeof approvalsChannel) => {
    const c = new TeamsClient({ botUrl: bot.url, sim, user, ...(conversation ? { conversation } : {}) });
    clients.push(c);
    return c;
  };
  const approvalCard = (c: TeamsClient, requestId: string) =>
    c.waitFor((r) => hasVerb(r, APPROVE) && requestIdOf(r, APPROVE) === requestId, { what: `${c.user.name}'s approval card` });
  const latestText = async (c: TeamsClient, id: string) => cardText(cardOf(await c.recorded(id)));

  async function submit(adele: TeamsClient, environment: string): Promise<{ card: RecordedActivity; requestId: string }> {
    const card = await openRequestCard(adele, `elevate me in ${environment}`);
    const requestId = requestIdOf(card, SUBMIT);
    const submitted = await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    assert.match(cardText(submitted.card), /Waiting for approval/);
    return { card, requestId };
  }

  /** The approver taps Approve and gets the sign-in card: its URL asks Entra for the authentication context. */
  async function tapForSignIn(approver: TeamsClient, card: RecordedActivity): Promise<string> {
    const tap = await approver.tap(card, APPROVE);
    assert.match(cardText(tap.card), /Strong sign-in needed to approve/);
    assert.match(cardText(tap.card), /Nothing is recorded yet/);
    const url = signInUrlOf(tap.card);
    assert.ok(url, 'the answer has a Sign in button');
    const claims = JSON.parse(new URL(url).searchParams.get('claims') ?? '{}') as { access_token?: { acrs?: unknown } };
    assert.deepEqual(claims.access_token?.acrs, { essential: true, value: 'c1' }, 'the claims challenge asks for acrs c1');
    return url;
  }

  async function auditLines(userId: string): Promise<string> {
    const nestor = client(USERS.nestor);
    const before = (await nestor.activities()).length;
    await nestor.say(`audit ${userId}`);
    const trail = await nestor.waitUntil((records) => records.slice(before).find((r) => /Audit trail/.test(cardText(cardOf(r)))), { what: 'the audit trail' });
    return cardText(cardOf(trail));
  }

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'elevate-fresh-sign-in-'));
    const policyFile = path.join(dir, 'policy.yaml');
    writeFileSync(policyFile, POLICY);
    ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200', ELEVATE_POLICY_FILE: policyFile }));
    const nestorThere = client(USERS.nestor, approvalsChannel);
    await nestorThere.say('approvals here');
    await nestorThere.waitForText('Elevate will post approval cards');
  });

  after(async () => {
    const output = bot?.output() ?? '';
    await stopBotAndSimulator(bot, sim);
    rmSync(dir, { recursive: true, force: true });
    assertNoSecretsIn(output, [...SEED_SECRETS, ...clients.flatMap((c) => c.tokens())]);
  });

  it('warns at start about Global Administrator approvals without a fresh sign-in, and only those', () => {
    const warnings = bot
      .output()
      .split('\n')
      .filter((line) => line.includes('"policyWarning"'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /rule \\"fabrikam-ga-plain\\" approves Global Administrator requests on cards without approval.freshSignIn/);
  });

  it('answers the tap with the sign-in, waits, then counts the vote once with how it was proved; the requester activates as before', async () => {
    const adele = client(USERS.adele);
    const { card, requestId } = await submit(adele, 'Contoso UAT');
    const megan = client(USERS.megan);
    const meganCard = await approvalCard(megan, requestId);
    const channel = client(USERS.nestor, approvalsChannel);
    const posted = await approvalCard(channel, requestId);

    const url = await tapForSignIn(megan, meganCard);
    assert.match(await latestText(megan, meganCard.id), /0 of 1 approvals/, 'the vote waits for the sign-in');
    assert.equal(hasVerb(await adele.recorded(card.id), ACTIVATE), false);

    const { redirectedTo } = await followSignIn(url, sim.ca, { mfa: true });
    const callback = await request(redirectedTo.toString());
    assert.equal(callback.status, 200, String(callback.text));
    assert.match(String(callback.text), /Approval recorded/);
    assert.doesNotMatch(String(callback.text), /eyJ|code=/, 'the page echoes neither a token nor the code');

    await eventually(async () => /✅ Approved/.test(await latestText(megan, meganCard.id)), "Megan's card shows the approval");
    const shown = await latestText(megan, meganCard.id);
    assert.equal((shown.match(STRONG) ?? []).length, 1, 'the card says how Megan proved it');
    const approved = await adele.waitFor((r) => hasVerb(r, ACTIVATE), { what: 'the Approved — Activate card' });
    await eventually(async () => /✅ Approved/.test(await latestText(channel, posted.id)), 'the channel card shows the approval');
    const everyone = await latestText(channel, posted.id);
    assert.equal((everyone.match(STRONG) ?? []).length, 1, 'the channel card says how Megan proved it');
    assert.doesNotMatch(everyone, /You approved/, "the channel card is everyone's, not Megan's view");

    // The sign-in was for one vote: replaying its redirect, or tapping again, records nothing more.
    assert.equal((await request(redirectedTo.toString())).status, 400);
    const again = await client(USERS.megan).tap(meganCard, APPROVE, {}, { validate: false });
    assert.match(cardText(again.card), /already decided|already decided on this request/);
    assert.equal((await latestText(megan, meganCard.id)).match(STRONG)?.length, 1);

    const trail = await auditLines(USERS.megan.id);
    assert.match(trail, /· decided · Adele Vance · .*Megan Bowen: strong sign-in \(acrs c1, token issued 20\d\d-\d\d-\d\dT/);

    // The requester's own activation is unchanged: her tap, her token, PIM's own rules.
    await adele.tap(approved, ACTIVATE);
    await adele.waitFor((r) => r.id === card.id && /Elevated in Contoso UAT/.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'the elevation' });
    assert.equal(await activationRequests(sim), 1);
  });

  it("refuses another user's sign-in, a token without the authentication context and a token issued before the tap; Deny needs no sign-in", async () => {
    const adele = client(USERS.adele);
    const { card, requestId } = await submit(adele, 'Contoso UAT');
    const megan = client(USERS.megan);
    const meganCard = await approvalCard(megan, requestId);

    // Nestor signs in on the link Megan got by tapping the card in the approvals channel.
    const channelMegan = client(USERS.megan, approvalsChannel);
    const posted = await approvalCard(channelMegan, requestId);
    const otherUser = await followSignIn(await tapForSignIn(channelMegan, posted), sim.ca, { mfa: true, userId: USERS.nestor.id });
    const byNestor = await request(otherUser.redirectedTo.toString());
    assert.equal(byNestor.status, 403);
    assert.match(String(byNestor.text), /another user/);
    const shared = await latestText(channelMegan, posted.id);
    assert.match(shared, /0 of 1 approvals/);
    assert.doesNotMatch(shared, /another user|⛔/, "the channel's card does not show Megan's refusal to everyone");

    // Megan edits the link: no claims challenge, so Entra signs her in with a password only (no acrs).
    const stripped = new URL(await tapForSignIn(client(USERS.megan), meganCard));
    stripped.searchParams.delete('claims');
    const weak = await followSignIn(stripped.toString(), sim.ca, { mfa: false });
    const noAcrs = await request(weak.redirectedTo.toString());
    assert.equal(noAcrs.status, 403);
    assert.match(String(noAcrs.text), /did not satisfy the strong sign-in/);
    await eventually(async () => /did not satisfy the strong sign-in/.test(await latestText(megan, meganCard.id)), "Megan's card says why");

    // A token Entra issued ten minutes before the tap (its clock is behind: the token is older than the tap).
    const early = await tapForSignIn(client(USERS.megan), meganCard);
    // Entra's clock is behind for the whole sign-in, the code's redemption included (codes live 60 s on its clock).
    await sim.control.settings({ clockOffsetMs: -10 * 60_000 });
    let stale;
    try {
      const older = await followSignIn(early, sim.ca, { mfa: true });
      stale = await request(older.redirectedTo.toString());
    } finally {
      await sim.control.settings({ clockOffsetMs: 0 });
    }
    assert.equal(stale.status, 403);
    assert.match(String(stale.text), /older than your tap/);

    assert.match(await latestText(megan, meganCard.id), /0 of 1 approvals/, 'none of them counted');
    const trail = await auditLines(USERS.megan.id);
    for (const reason of ['another user', 'does not carry the authentication context', 'issued before the tap'])
      assert.ok(trail.includes(`signInRefused`) && trail.includes(reason), `the audit trail records the refusal: ${reason}`);

    // Deny: no sign-in, decided at once.
    const nestor = client(USERS.nestor);
    const denied = await nestor.tap(await approvalCard(nestor, requestId), DENY, { reason: 'Not during the release freeze' });
    assert.match(cardText(denied.card), /You denied this/);
    assert.equal(signInUrlOf(denied.card), undefined);
    await adele.waitFor((r) => r.id === card.id && /Not during the release freeze/.test(cardText(cardOf(r))), { what: 'the requester sees the denial' });
  });

  it('two approvers racing, one fresh and one not: one recorded vote and one sign-in card; the second counts after its own sign-in', async () => {
    const adele = client(USERS.adele);
    const { requestId } = await submit(adele, 'Contoso Prod');
    const megan = client(USERS.megan);
    const nestor = client(USERS.nestor);
    const [meganCard, nestorCard] = await Promise.all([approvalCard(megan, requestId), approvalCard(nestor, requestId)]);
    const meganBack = await followSignIn(await tapForSignIn(megan, meganCard), sim.ca, { mfa: true });

    const [fresh, notFresh] = await Promise.all([request(meganBack.redirectedTo.toString()), nestor.tap(nestorCard, APPROVE)]);
    assert.equal(fresh.status, 200, "Megan's fresh vote is recorded");
    assert.match(cardText(notFresh.card), /Strong sign-in needed to approve/, 'Nestor gets the sign-in card');
    const nestorUrl = signInUrlOf(notFresh.card);
    assert.ok(nestorUrl);
    await eventually(async () => /1 of 2 approvals/.test(await latestText(megan, meganCard.id)), 'one vote recorded');
    assert.equal((await latestText(megan, meganCard.id)).match(STRONG)?.length, 1);

    const nestorBack = await followSignIn(nestorUrl, sim.ca, { mfa: true });
    assert.equal((await request(nestorBack.redirectedTo.toString())).status, 200);
    await eventually(async () => /✅ Approved/.test(await latestText(nestor, nestorCard.id)), 'approved by both');
    const both = await latestText(nestor, nestorCard.id);
    assert.equal(both.match(STRONG)?.length, 2, 'each approver shows how they proved it');
    assert.ok(both.includes('Megan Bowen approved with strong sign-in') && both.includes('Nestor Wilke approved with strong sign-in'));
    await adele.waitFor((r) => hasVerb(r, ACTIVATE) && /Nestor Wilke/.test(cardText(cardOf(r))), { what: 'the requester is told' });
    const trail = await auditLines(USERS.nestor.id);
    assert.match(trail, /· decided · Adele Vance · .*Nestor Wilke: strong sign-in \(acrs c1/);
  });
});
