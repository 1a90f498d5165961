import assert from 'node:assert/strict';
import type { EnvironmentInventory } from '../../../../src/use-cases/standing-inventory.js';
import { inventoryCard } from '../../../../src/teams/cards/inventory-card.js';
import { Texts } from '../../../../src/teams/locale/texts.js';
import { cardText } from '../../../harness/cards.js';

const TEXTS = new Texts({ locale: 'en-GB', timeZone: 'Europe/London' });
const LINKS = { csv: 'https://elevate.example/x.csv', json: 'https://elevate.example/x.json', until: '2026-12-06T09:15:00Z' };

function environment(n: number, unexplained: number): EnvironmentInventory {
  return {
    environment: { id: `env-${n}`, displayName: `Env ${n}` },
    status: 'read',
    holders: Array.from({ length: unexplained }, (_, i) => ({
      systemUserId: `5e000000-0000-4000-8000-0000000${String(n).padStart(3, '0')}${String(i).padStart(2, '0')}`,
      roleId: 'r',
      fullName: `Holder ${n}.${i}`,
      disabled: false,
      kind: 'unexplained' as const,
    })),
  };
}

describe('inventory card', () => {
  it('sums up every environment, lists those needing attention first and says how many more are only in the export', () => {
    const environments = [
      ...Array.from({ length: 30 }, (_, n) => environment(n, n % 3)),
      { environment: { id: 'x', displayName: 'Unread' }, status: 'noApplicationUser' as const, message: '' },
    ];
    const card = inventoryCard({ kind: 'done', at: '2026-12-06T09:00:00Z', environments }, LINKS, TEXTS);
    const text = cardText(card);
    assert.match(text, /All 31 environments: 30 unexplained · 0 elevation · 0 expected · 0 application · 0 through teams · 1 not read/);
    const lines = text.split('\n').filter((l) => l.startsWith('• '));
    assert.match(lines[1] ?? '', /Unread: not read\. Elevate has no application user there/);
    assert.match(lines[2] ?? '', /: 2 unexplained/);
    assert.match(text, /17 more environments: in the export\./);
    const actions = (card as { actions?: { type: string; title: string; url: string }[] }).actions ?? [];
    assert.deepEqual(
      actions.map((a) => [a.type, a.title, a.url]),
      [
        ['Action.OpenUrl', 'Export CSV', LINKS.csv],
        ['Action.OpenUrl', 'Export JSON', LINKS.json],
      ],
    );
  });

  it('sums up Power Platform RBAC role holders and names the unexplained ones and the scopes not read', () => {
    const holder = (
      n: number,
      kind: 'grant' | 'expected' | 'unexplained',
      scope: { kind: 'tenant' | 'environmentGroup' | 'environment'; id?: string; displayName: string },
    ) => ({
      assignmentId: `as-${n}`,
      principalId: `p-${n}`,
      principalType: 'User',
      roleId: 'r',
      roleName: 'Power Platform owner',
      scope,
      kind,
      ...(n === 1 ? { name: 'Lee Gu' } : {}),
    });
    const rbac = {
      status: 'read' as const,
      holders: [
        holder(1, 'unexplained', { kind: 'tenant', displayName: 'Tenant' }),
        holder(2, 'unexplained', { kind: 'environmentGroup', id: 'g', displayName: 'Finance' }),
        holder(3, 'grant', { kind: 'environment', id: 'env-1', displayName: 'Env 1' }),
        holder(4, 'expected', { kind: 'tenant', displayName: 'Tenant' }),
      ],
      unread: [{ scope: { kind: 'environment' as const, id: 'env-2', displayName: 'Env 2' }, message: '502' }],
    };
    const text = cardText(inventoryCard({ kind: 'done', at: '2026-12-06T09:00:00Z', environments: [environment(1, 0)], rbac }, LINKS, TEXTS));
    assert.match(text, /Power Platform RBAC roles: 2 unexplained · 1 Elevate grant · 1 expected, at the tenant, 1 environment groups and 1 environments/);
    assert.match(text, /Power Platform RBAC roles not read at 1 scopes: Env 2\./);
    assert.match(text, /Unexplained: Lee Gu as Power Platform owner on the tenant/);
    assert.match(text, /Unexplained: User p-2 as Power Platform owner on environment group Finance/);
  });

  it('says in each language that RBAC roles were not read without the RBAC identity, and why', () => {
    const outcome = {
      kind: 'done' as const,
      at: '2026-12-06T09:00:00Z',
      environments: [environment(1, 0)],
      rbac: { status: 'notConfigured' as const, message: '' },
    };
    assert.match(cardText(inventoryCard(outcome, LINKS, TEXTS)), /Power Platform RBAC roles were not read: .*not configured \(ELEVATE_RBAC_CLIENT_ID\)/);
    assert.match(cardText(inventoryCard(outcome, LINKS, new Texts({ locale: 'de-DE', timeZone: 'Europe/Berlin' }))), /nicht gelesen.*ELEVATE_RBAC_CLIENT_ID/);
    assert.match(cardText(inventoryCard(outcome, LINKS, new Texts({ locale: 'fr-FR', timeZone: 'Europe/Paris' }))), /pas été lus.*ELEVATE_RBAC_CLIENT_ID/);
    const denied = { ...outcome, rbac: { status: 'accessDenied' as const, message: 'Forbidden' } };
    assert.match(cardText(inventoryCard(denied, LINKS, TEXTS)), /refused Elevate's RBAC identity\. Give it the Power Platform RBAC Administrator role/);
  });
});
