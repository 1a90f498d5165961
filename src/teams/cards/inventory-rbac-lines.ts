import type { RbacScope } from '../../domain/rbac.js';
import { rbacTotals, type ClassifiedRbacHolder } from '../../domain/standing-rbac.js';
import type { RbacInventory } from '../../use-cases/standing-rbac.js';
import type { Texts } from '../locale/texts.js';

/** Scopes named in the "not read" line (the export has each one and its error). */
const SCOPES_NAMED = 3;

/** Where an RBAC role is held, in the reader's words: the tenant, an environment group, an environment. */
export function scopeName(scope: RbacScope, texts: Texts): string {
  const s = texts.c.standing;
  if (scope.kind === 'tenant') return s.rbacTenant;
  return scope.kind === 'environmentGroup' ? texts.fill(s.rbacGroup, { name: scope.displayName }) : scope.displayName;
}

/** A principal's name where Elevate knows one, otherwise its type and object id. */
export function principalName(h: Pick<ClassifiedRbacHolder, 'name' | 'principalType' | 'principalId'>): string {
  return h.name ?? `${h.principalType} ${h.principalId}`;
}

/**
 * The Power Platform RBAC part of the inventory card (issue #15 with #14): totals by kind, the scopes not read,
 * then up to `named` unexplained holders; or one line saying why the roles were not read at all.
 */
export function rbacLines(rbac: RbacInventory | undefined, texts: Texts, named: number): string[] {
  const s = texts.c.standing;
  if (!rbac) return [];
  if (rbac.status !== 'read') return [{ notConfigured: s.rbacNotConfigured, accessDenied: s.rbacAccessDenied, failed: s.rbacFailed }[rbac.status]];
  const { holders, unread } = rbac;
  const scopesOf = (kind: RbacScope['kind']) => new Set(holders.filter((h) => h.scope.kind === kind).map((h) => h.scope.id)).size;
  const lines = [texts.fill(s.rbacLine, { ...rbacTotals(holders), groups: scopesOf('environmentGroup'), environments: scopesOf('environment') })];
  if (unread.length > 0) {
    const scopes = texts.list(unread.slice(0, SCOPES_NAMED).map((u) => scopeName(u.scope, texts)));
    lines.push(texts.fill(s.rbacScopesUnread, { count: unread.length, scopes }));
  }
  const unexplained = holders.filter((h) => h.kind === 'unexplained').slice(0, Math.max(0, named));
  for (const h of unexplained) {
    lines.push(
      texts.fill(s.rbacUnexplainedLine, { name: h.name ?? `${h.principalType} ${h.principalId}`, role: h.roleName, scope: scopeName(h.scope, texts) }),
    );
  }
  return lines;
}
