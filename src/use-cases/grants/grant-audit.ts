import type { AuditEventType, AuditParty } from '../../domain/audit-event.js';
import { scopePath } from '../../domain/rbac.js';
import type { RbacGrantRecord } from '../../domain/rbac-grant.js';
import type { GrantDeps } from './grant-deps.js';

/**
 * One sealed audit entry for a step of a grant. The requester's identity is on every entry (the
 * assignment itself is made by the RBAC identity, so the audit log is where who asked is kept).
 * Audit failures are logged, never thrown: the step already happened in the tenant.
 */
export async function auditGrant(
  deps: Pick<GrantDeps, 'audit' | 'clock' | 'logger' | 'settings'>,
  type: AuditEventType,
  grant: RbacGrantRecord,
  extra: { actor?: AuditParty; details?: Record<string, string | number | boolean | null> } = {},
): Promise<void> {
  const requester = { aadObjectId: grant.requester.aadObjectId, name: grant.requester.name };
  const actor = extra.actor ?? requester;
  try {
    await deps.audit.append({
      type,
      at: deps.clock.now().toISOString(),
      actor,
      ...(actor.aadObjectId === requester.aadObjectId ? {} : { subject: requester }),
      elevationId: grant.id,
      ...(grant.scope.kind === 'environment' && grant.scope.id ? { environment: { id: grant.scope.id, displayName: grant.scope.displayName } } : {}),
      roleName: grant.role.name,
      details: {
        kind: 'rbacGrant',
        requesterId: grant.requester.aadObjectId,
        roleId: grant.role.id,
        scope: scopePath(deps.settings.tenantId, grant.scope),
        scopeName: grant.scope.displayName,
        principalType: grant.principal.type,
        principalId: grant.principal.id,
        principalName: grant.principal.name,
        duration: grant.duration,
        justification: grant.justification,
        ticket: grant.ticketNumber ?? null,
        assignmentId: grant.assignmentId ?? null,
        preExisting: grant.preExisting ?? false,
        state: grant.state,
        ...extra.details,
      },
    });
  } catch (error) {
    deps.logger.error({ err: error, grantId: grant.id, type }, 'could not append a grant step to the audit log');
  }
}
