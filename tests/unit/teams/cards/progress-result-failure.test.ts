import assert from 'node:assert/strict';
import { renderFailureCard, type FailureCardData } from '../../../../src/teams/cards/failure-card.js';
import { renderProgressCard, type ProgressCardData } from '../../../../src/teams/cards/progress-card.js';
import { renderResultCard, type ResultCardData } from '../../../../src/teams/cards/result-card.js';
import { CardRenderError } from '../../../../src/teams/cards/render.js';
import { VERBS } from '../../../../src/teams/cards/verbs.js';
import { actionVerbs, cardText, findAction, inputIds, walkCard } from '../../../harness/cards.js';
import { CONTOSO_DEV, CONTOSO_PROD, HOSTILE_TEXT, assertWellFormed, byId, factRows, textRuns } from './fixtures.js';

describe('progress card', () => {
  const data = (overrides: Partial<ProgressCardData> = {}): ProgressCardData => ({
    environment: CONTOSO_PROD,
    roleName: 'Power Platform Administrator',
    duration: 'PT2H',
    steps: [
      { label: 'Activate Power Platform Administrator in PIM', state: 'done' },
      { label: 'Make you System Administrator', state: 'running', detail: 'Waiting for Power Platform to see the role (attempt 2)' },
      { label: 'Tell the security team', state: 'pending' },
      { label: 'Clean up', state: 'failed' },
    ],
    ...overrides,
  });

  it('is headed "Elevating in <environment>" with role, duration and a time hint, and has no buttons', () => {
    const card = renderProgressCard(data());

    assertWellFormed(card);
    assert.match(cardText(card), /^Elevating in Contoso Prod$/m);
    assert.equal(factRows(card).get('Role')?.text, 'Power Platform Administrator');
    assert.equal(factRows(card).get('Duration')?.text, '2 h');
    assert.match(cardText(card), /usually takes under a minute/);
    assert.deepEqual(actionVerbs(card), []);
    assert.deepEqual(inputIds(card), []);
  });

  it('shows each step with the icon of its state, in order, and its detail', () => {
    const card = renderProgressCard(data());

    const steps = byId(card, 'steps');
    const icons = [...walkCard(steps)].filter((v) => v.node.type === 'TextBlock').map((v) => v.node['text']);
    assert.deepEqual(icons, ['✅', '⏳', '▫️', '❌']);
    assert.ok(textRuns(card).includes('Waiting for Power Platform to see the role (attempt 2)'));
  });

  it('flags Production and not a Sandbox', () => {
    assert.match(cardText(renderProgressCard(data())), /Production environment/);
    assert.doesNotMatch(cardText(renderProgressCard(data({ environment: CONTOSO_DEV }))), /Production environment/);
  });

  it('keeps step details literal', () => {
    const card = renderProgressCard(data({ steps: [{ label: HOSTILE_TEXT, state: 'running', detail: HOSTILE_TEXT }] }));

    assert.deepEqual(textRuns(card).filter((t) => t === HOSTILE_TEXT).length, 2);
  });
});

describe('result card', () => {
  const data = (overrides: Partial<ResultCardData> = {}): ResultCardData => ({
    environment: CONTOSO_PROD,
    roleName: 'Power Platform Administrator',
    activeUntil: '2026-03-02T17:00:00.000Z',
    heldSystemAdminBefore: false,
    pimRequestId: 'pim-req-42',
    requestId: 'req-1',
    ...overrides,
  });

  it('says System Administrator until the time, rendered by Teams DATE() and TIME()', () => {
    const card = renderResultCard(data());

    assertWellFormed(card);
    assert.equal(byId(card, 'until')['text'], 'System Administrator until {{DATE(2026-03-02T17:00:00Z, SHORT)}} {{TIME(2026-03-02T17:00:00Z)}}');
  });

  it('names the role, links the environment URL and shows the PIM request id', () => {
    const card = renderResultCard(data());

    const rows = factRows(card);
    assert.equal(rows.get('Role')?.text, 'Power Platform Administrator');
    assert.deepEqual(rows.get('Environment')?.node['selectAction'], { type: 'Action.OpenUrl', url: 'https://orgc1234567.crm.dynamics.com' });
    assert.equal(rows.get('PIM request id')?.text, 'pim-req-42');
    assert.deepEqual(actionVerbs(card), []);
  });

  it('does not link an environment without an https URL', () => {
    const card = renderResultCard(data({ environment: { ...CONTOSO_DEV, url: 'javascript:alert(1)' } }));

    assert.equal(factRows(card).get('Environment')?.node['selectAction'], undefined);
  });

  const standingCases = [
    { held: true, expected: /already held System Administrator.*kept/ },
    { held: false, expected: /removes the System Administrator role it added/ },
  ];
  for (const { held, expected } of standingCases) {
    it(`explains what happens at expiry when System Administrator was ${held ? '' : 'not '}held before`, () => {
      const card = renderResultCard(data({ heldSystemAdminBefore: held }));

      assert.match(cardText(card), expected);
    });
  }

  it('refuses an activeUntil that is not a timestamp', () => {
    assert.throws(() => renderResultCard(data({ activeUntil: 'soon' })), CardRenderError);
  });
});

describe('failure card', () => {
  const data = (overrides: Partial<FailureCardData> = {}): FailureCardData => ({
    title: 'PIM refused the activation',
    message: 'The following policy rules failed: JustificationRule.',
    hint: 'Give a justification and try again.',
    correlationIds: [
      { label: 'Graph request-id', value: '6f1c0000-aaaa-4bbb-8ccc-000000000001' },
      { label: 'Power Platform correlation id', value: '' },
    ],
    retryable: true,
    requestId: 'req-1',
    ...overrides,
  });

  it('says what happened and what to do, with correlation ids in small subtle text', () => {
    const card = renderFailureCard(data());

    assertWellFormed(card);
    assert.match(cardText(card), /PIM refused the activation/);
    assert.match(cardText(card), /What happened\nThe following policy rules failed: JustificationRule\./);
    assert.match(cardText(card), /What to do\nGive a justification and try again\./);
    const ids = [...walkCard(byId(card, 'correlationIds'))].filter((v) => v.node.type === 'TextRun').map((v) => v.node);
    assert.deepEqual(
      ids.map((n) => [n['text'], n['size'], n['isSubtle']]),
      [['Graph request-id: 6f1c0000-aaaa-4bbb-8ccc-000000000001', 'Small', true]],
    );
  });

  it('offers Try again with the request id only when retryable', () => {
    const retry = findAction(renderFailureCard(data()), VERBS.retry);
    const final = renderFailureCard(data({ retryable: false }));

    assert.equal(retry?.title, 'Try again');
    assert.deepEqual(retry?.data, { requestId: 'req-1' });
    assert.deepEqual(actionVerbs(final), []);
    assert.equal(final.actions, undefined);
  });

  it('leaves out the hint and ids when there are none', () => {
    const card = renderFailureCard(data({ hint: undefined, correlationIds: undefined }));

    assert.doesNotMatch(cardText(card), /What to do/);
    assert.doesNotMatch(JSON.stringify(card), /correlationIds/);
  });
});

describe('Global Administrator flag', () => {
  it('marks the role red with ⚠ on the progress and result cards, and leaves other roles plain', () => {
    const progress = renderProgressCard({ environment: CONTOSO_DEV, roleName: 'Global Administrator', duration: 'PT1H', steps: [] });
    const result = renderResultCard({
      environment: CONTOSO_DEV,
      roleName: 'Global Administrator',
      activeUntil: '2026-03-02T17:00:00.000Z',
      heldSystemAdminBefore: false,
      requestId: 'req-1',
    });
    for (const card of [progress, result]) {
      assert.equal(factRows(card).get('Role')?.text, 'Global Administrator ⚠');
      assert.equal(factRows(card).get('Role')?.node['color'], 'Attention');
    }
    const plain = renderProgressCard({ environment: CONTOSO_DEV, roleName: 'Power Platform Administrator', duration: 'PT1H', steps: [] });
    assert.equal(factRows(plain).get('Role')?.text, 'Power Platform Administrator');
  });
});
