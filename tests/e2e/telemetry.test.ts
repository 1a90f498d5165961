import assert from 'node:assert/strict';
import {
  assertNoSecretsIn,
  cardOf,
  cardText,
  request,
  ROLES,
  SEED_SECRETS,
  startBot,
  startBreezeReceiver,
  startSimulator,
  TeamsClient,
  USERS,
  type BotProcess,
  type BreezeReceiver,
  type Envelope,
  type Simulator,
} from '../harness/index.js';
import { JUSTIFICATION, SUBMIT, openRequestCard } from './support/flow.js';

const SIGN_IN_CODE = 'sign-in-code-0123456789abcdef';

function baseData(envelope: Envelope): Record<string, unknown> {
  return envelope.data?.baseData ?? {};
}

function ofType(envelopes: Envelope[], baseType: string): Envelope[] {
  return envelopes.filter((e) => e.data?.baseType === baseType);
}

function metricNames(envelopes: Envelope[]): Set<string> {
  const names = new Set<string>();
  for (const e of ofType(envelopes, 'MetricData')) for (const m of (baseData(e)['metrics'] as { name: string }[] | undefined) ?? []) names.add(m.name);
  return names;
}

describe('telemetry: an elevation reaches Application Insights (a local Breeze receiver) as one trace, metrics and correlated logs, without secrets', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let bot: BotProcess;
  let receiver: BreezeReceiver;
  let adele: TeamsClient;

  before(async () => {
    sim = await startSimulator();
    receiver = await startBreezeReceiver(sim.caPath);
    bot = await startBot({
      sim,
      env: {
        APPLICATIONINSIGHTS_CONNECTION_STRING: receiver.connectionString,
        NODE_EXTRA_CA_CERTS: receiver.caBundle,
        // Statsbeat reports the SDK's own health to Microsoft's endpoint: not reachable here.
        APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
        ELEVATE_ACTIVATION_POLL_MS: '200',
      },
    });
    adele = new TeamsClient({ botUrl: bot.url, sim, user: USERS.adele });
    const card = await openRequestCard(adele, 'elevate me in Contoso Prod');
    await adele.tap(card, SUBMIT, { roleId: ROLES.powerPlatformAdministrator, duration: 'PT1H', justification: JUSTIFICATION });
    await adele.waitFor((r) => r.id === card.id && /System Administrator until/.test(cardText(cardOf(r))), { timeoutMs: 30_000, what: 'the success card' });
    // A sign-in callback with a code in its query (refused: no such sign-in), as a browser would send it.
    await request(`${bot.url}/auth/callback?code=${SIGN_IN_CODE}&state=unknown-state`);
    // SIGTERM flushes spans, metrics and logs before the process exits.
    const exit = await bot.stop();
    assert.equal(exit.code, 0);
  });

  after(async () => {
    await receiver?.close();
    await sim?.stop();
  });

  it('starts telemetry only when configured and says so', () => {
    assert.ok(bot.logs().some((e) => e['event'] === 'telemetry'));
    assert.ok(receiver.envelopes.length > 0, 'envelopes arrived');
    assert.ok(receiver.envelopes.every((e) => e.iKey === undefined || e.iKey.includes('00000000-0000-4000-8000-0000000000a1')));
  });

  it('puts the Graph, Power Platform, Dataverse and connector calls of the elevation in one trace under its elevation span', () => {
    const elevationSpans = ofType(receiver.envelopes, 'RemoteDependencyData').filter((e) => baseData(e)['name'] === 'elevate.elevation');
    assert.equal(elevationSpans.length, 1, 'one elevation run');
    const operationId = elevationSpans[0]!.tags?.['ai.operation.id'];
    assert.ok(operationId);
    const urls = ofType(receiver.envelopes, 'RemoteDependencyData')
      .filter((e) => e.tags?.['ai.operation.id'] === operationId)
      .map((e) => String(baseData(e)['data'] ?? ''));
    for (const [service, part] of [
      ['Graph (PIM activation)', '/graph/v1.0/roleManagement/directory/roleAssignmentScheduleRequests'],
      ['Power Platform (applyAdminRole)', '/applyAdminRole'],
      ['Dataverse', '/dataverse/'],
      ['the connector (card update)', '/connector/v3/conversations/'],
    ]) {
      assert.ok(
        urls.some((u) => u.includes(part!)),
        `${service} in the elevation's trace: ${urls.join(', ')}`,
      );
    }
    assert.ok(
      ofType(receiver.envelopes, 'RequestData').some((e) => e.tags?.['ai.operation.id'] === operationId),
      "the Submit tap's request is the trace's root",
    );
  });

  it('sends the requests, elevations-by-outcome and time-to-elevated metrics', () => {
    const names = metricNames(receiver.envelopes);
    for (const name of ['elevate.requests', 'elevate.elevations', 'elevate.time_to_elevated'])
      assert.ok(names.has(name), `${name} in [${[...names].join(', ')}]`);
  });

  it("correlates the bot's log lines with the trace they were written in", () => {
    const elevationOperation = ofType(receiver.envelopes, 'RemoteDependencyData').find((e) => baseData(e)['name'] === 'elevate.elevation')?.tags?.[
      'ai.operation.id'
    ];
    const messages = ofType(receiver.envelopes, 'MessageData');
    assert.ok(messages.length > 0, 'log lines arrived');
    assert.ok(
      messages.some((m) => m.tags?.['ai.operation.id'] === elevationOperation),
      'a log line carries the operation id of the elevation',
    );
  });

  it('carries no token, secret or sign-in code in any attribute', () => {
    const everything = receiver.bodies.join('\n');
    assert.ok(everything.includes('/auth/callback'), 'the callback request was traced');
    assert.ok(!everything.includes(SIGN_IN_CODE), 'the sign-in code is not in the telemetry');
    assertNoSecretsIn(everything, [...SEED_SECRETS, ...adele.tokens()]);
    assert.doesNotMatch(everything, /eyJ[A-Za-z0-9_-]{10,}\.eyJ/, 'no JWT anywhere');
  });
});
