import { PERMISSIONS, type GrantedBy, type Permission, type PermissionResource } from '../../adapters/identity/permissions.js';
import type { CheckId } from './catalog.js';

/**
 * The README's permission table, rendered from the one permission list
 * (src/adapters/identity/permissions.ts) with the doctor check that verifies each line;
 * tests/unit/readme.test.ts fails when the README's copy differs. `npm run doctor --
 * --permissions-table` prints it.
 */
const API: Record<PermissionResource, string> = {
  graph: 'Microsoft Graph',
  powerPlatform: 'Power Platform API',
  dataverse: 'Dataverse (each environment)',
  elevate: "Elevate's own app (Expose an API)",
};

const GRANT: Record<GrantedBy, string> = {
  adminConsent: 'admin consent',
  managementApplication: '`pac admin application register`',
  dataverseApplicationUser: 'application user with System Administrator',
  preAuthorization: 'Teams clients pre-authorised',
  rbacAdministratorRole: 'Power Platform RBAC Administrator role of the RBAC identity',
};

function checkOf(p: Permission): CheckId {
  if (p.grantedBy === 'managementApplication') return 'pp.management-app';
  if (p.grantedBy === 'dataverseApplicationUser') return 'dataverse.app-user';
  if (p.grantedBy === 'preAuthorization') return 'app.exposed-api';
  if (p.grantedBy === 'rbacAdministratorRole') return 'pp.rbac-identity';
  return p.kind === 'delegated' ? 'consent.delegated' : 'consent.application';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function row(p: Permission): string[] {
  const value = p.value === '.default' ? '`.default`' : `\`${p.value}\``;
  const why = p.privileged ? `${p.why}. **Privileged:** ${p.privileged}` : p.why;
  return [API[p.resource], p.kind, value, GRANT[p.grantedBy], `\`${checkOf(p)}\``, why].map(cell);
}

/** A Markdown table padded as Prettier pads it (the test compares cells, not spaces). */
export function renderPermissionTable(permissions: readonly Permission[] = PERMISSIONS): string {
  const header = ['API', 'Type', 'Permission', 'Granted by', 'Checked by', 'What Elevate does with it'];
  const rows = [header, ...permissions.map(row)];
  const widths = header.map((_, i) => Math.max(3, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}

/** The cells of a Markdown table, whitespace-insensitive: how the README test compares tables. */
export function tableCells(markdown: string): string[][] {
  return markdown
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|') && !/^\|[\s|:-]+\|$/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}
