import assert from 'node:assert/strict';
import pino from 'pino';
import { SqliteElevationStore } from '../../../../src/adapters/store/sqlite-elevation-store.js';
import type { ElevationRecord } from '../../../../src/domain/elevation.js';
import { failure } from '../../../../src/domain/failures.js';
import { said } from '../../../../src/domain/record-text.js';
import { saveSecurityChannel, securityChannelFrom } from '../../../../src/teams/channels/security-channel.js';
import type { ChatAddress, Courier, OutboundMessage, QueueOptions } from '../../../../src/teams/chat.js';
import { TeamsNotifier } from '../../../../src/teams/outbound/teams-notifier.js';
import type { Turn } from '../../../../src/teams/turn.js';
import { cardText } from '../../../harness/cards.js';

/** Remembers the threads that would start in the security channel. */
class RecordingCourier implements Courier {
  readonly threads: { card: object; summary: string; key: string }[] = [];
  async send(): Promise<void> {}
  async replace(): Promise<void> {}
  async startThread(_channel: unknown, message: OutboundMessage, options?: QueueOptions): Promise<void> {
    const { card, summary } = message as { card: object; summary?: string };
    this.threads.push({ card, summary: summary ?? '', key: options?.key ?? '' });
  }
  async openPersonalChat(): Promise<void> {}
}

const NOW = new Date('2026-03-02T09:00:00.000Z');
const clock = { now: () => NOW, sleep: async () => {} };

/** `@Elevate notify here` said in the channel by a member whose Teams runs in `locale` (none: Teams sent no locale). */
function notifyHereBy(locale: string | undefined, name: string): Turn {
  const chat: ChatAddress = {
    conversationId: '19:security@thread.tacv2;messageid=1',
    serviceUrl: 'https://smba.example/',
    conversationType: 'channel',
    ...(locale ? { locale, timezone: 'Europe/Berlin' } : {}),
  };
  return {
    from: { id: `29:${name}`, aadObjectId: `oid-${name}`, name },
    chat,
    team: { teamId: '19:team@thread.tacv2', channelId: '19:security@thread.tacv2', channelName: 'Security' },
  } as unknown as Turn;
}

function record(changes: Partial<ElevationRecord>): ElevationRecord {
  return {
    id: 'elevation-1',
    state: 'failed',
    requester: { aadObjectId: 'oid-adele', name: 'Adele Vance', tenantId: 't' },
    environment: { id: 'env-1', displayName: 'Contoso Prod', type: 'Production' },
    options: [],
    roleName: 'Power Platform Administrator',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    history: [],
    ...changes,
  } as ElevationRecord;
}

const TIMED_OUT = record({ failure: failure('PimActivationTimeout', [said('activationTimeout', { minutes: 5 })], [said('activationTimeoutHint')]) });

describe('security channel notices: in the language of the member who said notify here', () => {
  let store: SqliteElevationStore;
  let courier: RecordingCourier;
  let notifier: TeamsNotifier;
  beforeEach(() => {
    store = SqliteElevationStore.open(':memory:');
    courier = new RecordingCourier();
    notifier = new TeamsNotifier(courier, store, clock, pino({ level: 'silent' }));
  });
  afterEach(() => store.close());

  async function configuredBy(locale: string | undefined, name = 'Megan'): Promise<void> {
    await saveSecurityChannel(store, securityChannelFrom(notifyHereBy(locale, name), NOW)!);
  }

  const posted = (n = -1) => {
    const thread = courier.threads.at(n)!;
    return { text: cardText(thread.card as never), summary: thread.summary };
  };

  it('posts a failed elevation, its failure and its summary in German when a German member chose the channel', async () => {
    await configuredBy('de-DE');

    assert.equal(await notifier.elevationChanged(TIMED_OUT), true);

    const { text, summary } = posted();
    assert.match(text, /Fehlgeschlagen/);
    assert.match(text, /PIM hat die Anfrage angenommen, aber die Rolle war nach 5 Minuten nicht aktiv\./);
    assert.equal(summary, 'Elevate: Fehlgeschlagen: Adele Vance in Contoso Prod');
  });

  it('posts alerts, audit anchors and audit alerts in German too', async () => {
    await configuredBy('de-AT');

    await notifier.alert(record({ state: 'active' }), { kind: 'cleanupFailing', attempts: 5, error: 'HTTP 403' });
    await notifier.auditAnchor({ seq: 12, hash: 'ab'.repeat(32), count: 12, keyId: 'k1' });
    await notifier.auditAlert({ key: 'broken', kind: 'verifyFailed', seq: 3, reason: 'hash mismatch' });
    await notifier.auditAlert({ key: 'sealed', kind: 'sealed', unkeyed: 4, seq: 5, keyId: 'k1', brokenAt: { seq: 2, reason: 'gap' } });
    await notifier.deliveryFailing({ id: 'o1', conversation: 'a:other', op: 'replace', status: 403, attempts: 6 });

    const texts = courier.threads.map((t) => `${t.summary}\n${cardText(t.card as never)}`);
    assert.match(
      texts[0]!,
      /Elevate braucht Aufmerksamkeit[\s\S]*Elevate konnte Adele Vance in Contoso Prod nach 5 Versuchen den Systemadministrator nicht entziehen \(HTTP 403\)/,
    );
    assert.match(texts[1]!, /Audit-Anker: Eintrag #12[\s\S]*12 Einträge bis #12, versiegelt mit dem Schlüssel "k1"\./);
    assert.match(texts[1]!, /npm run audit -- --verify --anchor 12:/, 'the command stays as it is');
    assert.match(texts[2]!, /Prüfung des Audit-Protokolls fehlgeschlagen[\s\S]*Eintrag #3: hash mismatch\./);
    assert.match(texts[3]!, /Kette unterbrochen bei #2: gap/);
    assert.match(texts[4]!, /Eine Kartenaktualisierung in einer Unterhaltung ist 6-mal fehlgeschlagen \(Teams antwortete 403\)/);
    for (const text of texts) assert.doesNotMatch(text, /Elevate (could|verified|sealed|keeps)|Audit anchor:|needs attention/, text);
  });

  it('posts approval steps and PIM decisions in French when a French member chose the channel', async () => {
    await configuredBy('fr-FR');
    const vote = { approverId: 'oid-megan', approverName: 'Megan Bowen', decision: 'approve' as const, at: NOW.toISOString() };
    const approval = {
      policySource: 'p',
      required: 2,
      approverGroupIds: [],
      approverUserIds: [],
      votes: [vote],
      status: 'pending' as const,
      expiresAt: NOW.toISOString(),
    };

    await notifier.approvalChanged(record({ state: 'awaitingApproval', approval } as Partial<ElevationRecord>));
    await notifier.approvalChanged(
      record({
        pimDecision: { approverId: 'oid-nestor', name: 'Nestor Wilke', decision: 'deny', reason: 'Gel des changements', at: NOW.toISOString() },
        failure: failure('PimApprovalDenied', [said('pimApprovalDenied', { name: 'Nestor Wilke', reason: 'Gel des changements' })]),
      } as Partial<ElevationRecord>),
    );

    assert.match(posted(0).text, /Megan Bowen a approuvé la demande de Adele Vance pour Power Platform Administrator dans Contoso Prod \(1 sur 2\)\./);
    assert.equal(posted(0).summary, 'Approbation Elevate : Adele Vance');
    assert.match(posted(1).text, /L’approbateur PIM Nestor Wilke a refusé l’activation PIM .* \(Gel des changements\)\./);
  });

  it('posts each extension of an active elevation as a step of its own, not under the activation’s key (issue #16)', async () => {
    await configuredBy(undefined);
    const active = record({ state: 'active', activeUntil: '2026-03-02T10:00:00.000Z' });
    const first = { at: NOW.toISOString(), minutes: 60, from: '2026-03-02T10:00:00.000Z', until: '2026-03-02T11:00:00.000Z', path: 'scheduled' as const };
    const second = { ...first, minutes: 30, from: first.until, until: '2026-03-02T11:30:00.000Z' };

    await notifier.elevationChanged(active);
    await notifier.elevationChanged({ ...active, activeUntil: first.until, extensions: [first] });
    await notifier.elevationChanged({ ...active, activeUntil: second.until, extensions: [first, second] });

    const keys = courier.threads.map((t) => t.key);
    assert.equal(new Set(keys).size, 3, `three posts the outbox keeps: ${keys.join(', ')}`);
    assert.equal(keys[0], 'post:elevation-1:active');
    assert.match(posted(1).text, /Extension 1: 1 h more; it was to end at Mar 2, 2026, 10:00 AM UTC\.[\s\S]*⏩ Extended/);
    assert.match(posted(2).text, /Extension 2: 30 min more[\s\S]*⏩ Extended/);
    assert.equal(posted(2).summary, 'Elevate: Extended: Adele Vance in Contoso Prod');

    await configuredBy('de-DE');
    await notifier.elevationChanged({ ...active, activeUntil: first.until, extensions: [first] });
    assert.match(posted().text, /Verlängerung 1: 1 Std\. mehr[\s\S]*⏩ Verlängert/);
  });

  it('alerts once per extension anomaly: a PIM role lost on the way, and an extension PIM has that Elevate did not record (issue #16)', async () => {
    await configuredBy(undefined);
    const active = record({ state: 'active', roleName: 'Power Platform Administrator' });
    const from = '2026-03-02T10:00:00.000Z';

    await notifier.alert(active, { kind: 'pimRoleLost', from, detail: 'activating again: TicketingRule; giving back what was left: TicketingRule' });
    await notifier.alert(active, { kind: 'pimRoleLost', from, detail: 'the same, told twice' });
    await notifier.alert(active, { kind: 'extensionNotSaved', from, until: '2026-03-02T11:00:00.000Z' });

    assert.deepEqual(
      courier.threads.map((t) => t.key),
      [`alert:elevation-1:pimRoleLost:${from}`, `alert:elevation-1:pimRoleLost:${from}`, `alert:elevation-1:extensionNotSaved:${from}`],
      'the outbox keeps one post per key',
    );
    assert.match(posted(0).text, /Elevate needs attention[\s\S]*deactivated Power Platform Administrator in PIM[\s\S]*\(activating again: TicketingRule;/);
    assert.match(posted(2).text, /lengthened Power Platform Administrator in PIM until Mar 2, 2026, 11:00 AM UTC, but another tap or instance/);

    await configuredBy('fr-FR');
    await notifier.alert(active, { kind: 'extensionNotSaved', from, until: '2026-03-02T11:00:00.000Z' });
    assert.match(posted().text, /Elevate ne l’a pas enregistrée/);
  });

  it('stays English when the member who chose the channel had no locale, and follows whoever says notify here next', async () => {
    await configuredBy(undefined);
    await notifier.elevationChanged(TIMED_OUT);
    assert.match(posted().text, /PIM accepted the request but the role was not active after 5 minutes\./);
    assert.equal(posted().summary, 'Elevate: Failed: Adele Vance in Contoso Prod');

    await configuredBy('fr-CA', 'Lucie');
    await notifier.elevationChanged({ ...TIMED_OUT, history: [{ at: NOW.toISOString(), state: 'failed' } as never] });
    assert.match(posted().text, /PIM a accepté la demande/);
  });
});
