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
});
