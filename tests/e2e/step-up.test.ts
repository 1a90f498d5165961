import assert from 'node:assert/strict';
import { ROLES, TeamsClient, USERS, cardOf, cardText, request, walkCard, type BotProcess, type RecordedActivity, type Simulator } from '../harness/index.js';
import { followSignIn } from '../harness/browser-sign-in.js';
import type { TenantModel } from '../simulator/tenant/model.js';
import {
  JUSTIFICATION,
  SUBMIT,
  activationRequests,
  openRequestCard,
  POLICY_CHANGES_AT_ONCE,
  startSimulatorAndBot,
  stopBotAndSimulator,
} from './support/flow.js';

const SUCCESS = /System Administrator until|Elevated in/;

function signInUrlOf(record: RecordedActivity): string | undefined {
  for (const { node } of walkCard(cardOf(record) ?? {})) {
    if (node.type === 'Action.OpenUrl' && node['title'] === 'Sign in') return String(node['url']);
  }
  return undefined;
}

describe('step-up: MFA demanded by PIM leads to a sign-in, and the request continues where it stopped', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let bot: BotProcess;

  before(async () => ({ sim, bot } = await startSimulatorAndBot({ ELEVATE_ACTIVATION_POLL_MS: '200', ...POLICY_CHANGES_AT_ONCE })));
  after(() => stopBotAndSimulator(bot, sim));

  it("asks for an MFA sign-in when the role's policy requires it, then activates once with an MFA token", async () => {
    await sim.control.updateTenant<TenantModel>((tenant) => {
      tenant.policies.find((p) => p.roleDefinitionId === ROLES.globalAdministrator)!.enabledRules = ['Justification', 'MultiFactorAuthentication'];
    });
    const alex = new TeamsClient({ botUrl: bot.url, sim, user: USERS.alex });
    const card = await openRequestCard(alex, 'elevate me in Contoso Prod as global admin');
    await alex.tap(card, SUBMIT, { roleId: ROLES.globalAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    const failed = await alex.waitFor((r) => r.id === card.id && signInUrlOf(r) !== undefined, { timeoutMs: 20_000, what: 'the sign-in button' });
    assert.match(cardText(cardOf(failed)), /MfaRule|multi-factor/i);
    assert.equal(await activationRequests(sim), 0, 'PIM refused the request without MFA');

    const { redirectedTo } = await followSignIn(signInUrlOf(failed)!, sim.ca, { mfa: true });
    assert.equal(`${redirectedTo.origin}${redirectedTo.pathname}`, `${bot.url}/auth/callback`);
    const callback = await request(redirectedTo.toString());
    assert.equal(callback.status, 200);
    assert.doesNotMatch(String(callback.text ?? ''), /eyJ|code=/, 'the page echoes neither a token nor the code');

    await alex.waitFor((r) => r.id === card.id && SUCCESS.test(cardText(cardOf(r))), { timeoutMs: 20_000, what: 'success after step-up' });
    const activation = (await sim.control.requests('graph')).filter(
      (r) => r.method === 'POST' && r.path.endsWith('/roleAssignmentScheduleRequests') && r.status === 201,
    );
    assert.equal(activation.length, 1);
    assert.ok(activation[0]!.token?.amr?.includes('mfa'), 'the activation ran on a token with MFA');
  });

  it('asks for consent with an interactive sign-in when the on-behalf-of exchange needs it, then runs the command', async () => {
    await sim.control.updateTenant<TenantModel>((tenant) => {
      tenant.users.find((u) => u.id === USERS.adele.id)!.consentMissing = true;
    });
    const adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    await adele.say('elevate me in Contoso Prod');
    await adele.signIn();
    const asked = await adele.waitFor((r) => signInUrlOf(r) !== undefined, { what: 'the consent sign-in card' });
    assert.match(cardText(cardOf(asked)), /consent/i);
    const { redirectedTo } = await followSignIn(signInUrlOf(asked)!, sim.ca, {});
    assert.equal((await request(redirectedTo.toString())).status, 200);
    const card = await adele.waitFor((r) => /Elevate in Contoso Prod/.test(cardText(cardOf(r))), { timeoutMs: 15_000, what: 'the request card after consent' });
    assert.ok(card);
  });

  it('refuses a sign-in callback with an unknown state', async () => {
    const callback = await request(`${bot.url}/auth/callback?code=forged&state=not-ours`);
    assert.equal(callback.status, 400);
  });

  it('answers the browser in its own language (Accept-Language), and in English when it asks for none Elevate has', async () => {
    const german = await request(`${bot.url}/auth/callback?code=forged&state=not-ours`, { headers: { 'Accept-Language': 'de-CH,de;q=0.9,en;q=0.5' } });
    assert.equal(german.status, 400);
    assert.equal(german.headers['content-language'], 'de');
    assert.match(german.text, /<html lang="de">.*Anmeldung konnte nicht verwendet werden/s);

    const french = await request(`${bot.url}/auth/callback`, { headers: { 'Accept-Language': 'es;q=1, fr-FR;q=0.8' } });
    assert.match(french.text, /<html lang="fr">.*La connexion n’a pas abouti/s);

    const other = await request(`${bot.url}/auth/callback?code=forged&state=not-ours`, { headers: { 'Accept-Language': 'ja-JP' } });
    assert.match(other.text, /<html lang="en">.*Sign-in could not be used/s);
  });
});
