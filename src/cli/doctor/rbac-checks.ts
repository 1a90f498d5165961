import { PowerPlatformRbacClient } from '../../adapters/power-platform/rbac-client.js';
import { HttpError } from '../../domain/errors.js';
import { RBAC_ADMINISTRATOR, RBAC_OWNER } from '../../domain/rbac.js';
import { fail, pass, skip, warn, type CheckOutcome } from './catalog.js';
import type { DoctorContext } from './context.js';
import { failureFacts } from './failure-text.js';
import { jwtClaims } from './jwt-claims.js';

const README_SECTION = 'README "Power Platform RBAC grants"';

/**
 * The optional RBAC identity (ELEVATE_RBAC_CLIENT_ID, issue #14): it gets a Power Platform token and
 * reads the tenant-scope role assignments with it, which needs the RBAC Administrator role (or Power
 * Platform Administrator); its own RBAC Administrator assignment is named, because that is the standing
 * privilege an operator should watch.
 */
export async function rbacIdentity(ctx: DoctorContext): Promise<CheckOutcome> {
  const rbac = ctx.config.rbac;
  if (!rbac || !ctx.deps.rbacToken) return skip('ELEVATE_RBAC_CLIENT_ID is not set: Power Platform RBAC grants are off');
  let token: string;
  try {
    token = await ctx.deps.rbacToken();
  } catch (error) {
    return fail(`the RBAC identity ${rbac.clientId} gets no Power Platform token (${failureFacts(error).text})`, `check its credential (${README_SECTION})`);
  }
  const oid = String(jwtClaims(token)['oid'] ?? '').toLowerCase();
  const client = new PowerPlatformRbacClient({
    baseUrl: ctx.config.powerPlatformApiUrl,
    http: ctx.deps.http,
    token: () => Promise.resolve(token),
    tenantId: ctx.config.aad.tenantId,
  });
  try {
    const assignments = await client.listAssignments({ kind: 'tenant' });
    const own = assignments.find((a) => a.principalId === oid && [RBAC_ADMINISTRATOR, RBAC_OWNER].includes(a.roleDefinitionId));
    if (own) {
      return pass(
        `the RBAC identity ${rbac.clientId} (service principal ${oid}) holds ${own.roleDefinitionId === RBAC_OWNER ? 'Owner' : 'RBAC Administrator'} at tenant scope (assignment ${own.id}): a standing privilege, watch it (${README_SECTION})`,
      );
    }
    return warn(
      `the RBAC identity ${rbac.clientId} can read role assignments but holds no tenant-scope RBAC Administrator assignment of its own`,
      `assign it "Power Platform role-based access control administrator" at tenant scope (${README_SECTION})`,
    );
  } catch (error) {
    const refused = error instanceof HttpError && error.status === 403;
    return fail(
      `the Authorization API ${refused ? 'refused' : 'failed for'} the RBAC identity ${rbac.clientId} (${failureFacts(error).text})`,
      `assign it "Power Platform role-based access control administrator" at tenant scope (${README_SECTION})`,
    );
  }
}
