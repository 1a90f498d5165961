import assert from 'node:assert/strict';
import type { EligibleRoleOption } from '../../../../src/domain/elevation.js';
import type { EnvironmentRef } from '../../../../src/domain/environment.js';
import { DYNAMICS_365_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, POWER_PLATFORM_ADMINISTRATOR } from '../../../../src/domain/roles.js';
import { CARD_SCHEMA, MAX_CARD_BYTES, cardBytes, type AdaptiveCard } from '../../../../src/teams/cards/render.js';
import { walkCard } from '../../../harness/cards.js';

export const CONTOSO_PROD: EnvironmentRef = {
  id: 'e0000000-0000-4000-8000-000000000001',
  displayName: 'Contoso Prod',
  type: 'Production',
  url: 'https://orgc1234567.crm.dynamics.com',
  domainName: 'contosoprod',
};

export const CONTOSO_DEV: EnvironmentRef = {
  id: 'e0000000-0000-4000-8000-000000000002',
  displayName: 'Contoso Dev',
  type: 'Sandbox',
  domainName: 'contosodev',
};

function role(roleId: string, roleName: string, maximumDuration: string, extra: Partial<EligibleRoleOption> = {}): EligibleRoleOption {
  return { roleId, roleName, maximumDuration, justificationRequired: true, ticketRequired: false, mfaRequired: false, ...extra };
}

export const POWER_PLATFORM = role(POWER_PLATFORM_ADMINISTRATOR, 'Power Platform Administrator', 'PT8H');
export const DYNAMICS = role(DYNAMICS_365_ADMINISTRATOR, 'Dynamics 365 Administrator', 'PT4H');
export const GLOBAL = role(GLOBAL_ADMINISTRATOR, 'Global Administrator', 'PT2H');

/** User text that must come out exactly as typed. */
export const HOSTILE_TEXT = '${requester.name} ${1+1} [click](https://evil.example) {{x}} \'quote\' \\ "dq"';

/** Checks every rendered card must pass: version, schema, only Action.Execute, nothing unexpanded, size. */
export function assertWellFormed(card: AdaptiveCard, options: { allowDollarBrace?: boolean } = {}): void {
  assert.equal(card.type, 'AdaptiveCard');
  assert.equal(card.version, '1.5');
  assert.equal(card.$schema, CARD_SCHEMA);
  const types = [...walkCard(card)].map((visit) => String(visit.node.type ?? ''));
  assert.ok(!types.includes('Action.Submit'), 'no Action.Submit');
  for (const visit of walkCard(card)) {
    if (visit.node.type === 'Action.Execute') {
      assert.equal(typeof visit.node['verb'], 'string', 'every Action.Execute has a verb');
      assert.equal(typeof visit.node['data'], 'object', 'every Action.Execute has data');
    }
  }
  if (!options.allowDollarBrace) assert.ok(!JSON.stringify(card).includes('${'), 'no template expression left');
  assert.ok(cardBytes(card) < MAX_CARD_BYTES, `card is ${cardBytes(card)} bytes`);
}

/** The TextRun texts of the card, in order (where Elevate puts user and service text). */
export function textRuns(card: AdaptiveCard): string[] {
  return [...walkCard(card)].filter((v) => v.node.type === 'TextRun').map((v) => String(v.node['text']));
}

/** The node with `id`, or a failed assertion. */
export function byId(card: AdaptiveCard, id: string): Record<string, unknown> {
  const node = [...walkCard(card)].find((v) => v.node['id'] === id)?.node;
  assert.ok(node, `card has an element with id "${id}"`);
  return node;
}

/** Label → value of the fact rows (label column TextBlock, value column text or time). */
export function factRows(card: AdaptiveCard): Map<string, { text: string; node: Record<string, unknown> }> {
  const rows = new Map<string, { text: string; node: Record<string, unknown> }>();
  for (const { node } of walkCard(card)) {
    if (node.type !== 'ColumnSet' || !Array.isArray(node['columns']) || node['columns'].length !== 2) continue;
    const [label, value] = node['columns'] as { width?: string; items?: Record<string, unknown>[] }[];
    const labelNode = label?.items?.[0];
    const valueNode = value?.items?.[0];
    if (!labelNode || !valueNode || labelNode['type'] !== 'TextBlock' || !String(label?.width ?? '').endsWith('px')) continue;
    const inline = Array.isArray(valueNode['inlines']) ? (valueNode['inlines'] as Record<string, unknown>[])[0] : undefined;
    rows.set(String(labelNode['text']), { text: String(inline?.['text'] ?? valueNode['text'] ?? ''), node: inline ?? valueNode });
  }
  return rows;
}
