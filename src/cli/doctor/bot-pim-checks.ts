import { GraphPimClient } from '../../adapters/graph/graph-pim-client.js';
import { HttpError } from '../../domain/errors.js';
import { roleById } from '../../domain/roles.js';
import { fail, pass, skip, type CheckOutcome } from './catalog.js';
import type { DoctorContext } from './context.js';
import { failureFacts, said } from './failure-text.js';
import { OPERATOR_ROLES, README } from './fixes.js';

/**
 * The bot's own Bot Framework identity (an outbound connector token, exactly as the bot gets it:
 * src/adapters/identity/bot-connector-client.ts, docs/api-contracts.md §5 and §7), and the PIM activation
 * policy of every offered role, read as the bot reads it (GraphPimClient.getActivationPolicy) with
 * the operator's token.
 */
const BOT_SECRET =
  'Azure portal → the Azure Bot → Configuration → Manage Password (the bot app registration → Certificates & secrets) → New client secret; set BOT_PASSWORD to its Value';

export async function botCredentials(ctx: DoctorContext): Promise<CheckOutcome> {
  const { id, loginUrl, type } = ctx.config.bot;
  if (!id) return skip('BOT_ID is empty (development sign-in, no Bot Framework authentication)');
  try {
    await ctx.deps.botToken();
    return pass(`a connector token for ${id} from ${loginUrl}`);
  } catch (error) {
    const facts = failureFacts(error);
    if (said(error, '7000215')) return fail(`BOT_PASSWORD is not a secret of bot app ${id} (${facts.text})`, BOT_SECRET);
    if (said(error, '7000222')) return fail(`BOT_PASSWORD has expired (${facts.text})`, BOT_SECRET);
    if (said(error, '700016')) {
      return fail(
        `Entra does not know bot app ${id} at ${loginUrl} (${facts.text})`,
        type === 'MultiTenant'
          ? 'check BOT_ID; a single-tenant bot app needs BOT_TYPE=SingleTenant and BOT_TENANT_ID (BOT_LOGIN_URL then defaults to its tenant)'
          : 'check BOT_ID and BOT_TENANT_ID (the tenant of the bot app registration)',
      );
    }
    return fail(`no connector token (${facts.text})`, `check BOT_LOGIN_URL (${loginUrl}) and the network; ${README}, bot.credentials`);
  }
}

export async function pimPolicies(ctx: DoctorContext): Promise<CheckOutcome> {
  const token = ctx.operatorToken;
  if (!token) return skip("needs the operator's sign-in (operator.sign-in)");
  const pim = new GraphPimClient({ baseUrl: ctx.config.graphBaseUrl, http: ctx.deps.http });
  const read: string[] = [];
  const unreadable: string[] = [];
  let refused = false;
  for (const roleId of ctx.config.roleIds) {
    const name = roleById(roleId)?.name ?? roleId;
    try {
      const policy = await pim.getActivationPolicy(token, roleId);
      const rules = [
        policy.justificationRequired && 'justification',
        policy.ticketRequired && 'ticket',
        policy.mfaRequired && 'MFA',
        policy.approvalRequired && 'approval',
        policy.authenticationContext && `authentication context ${policy.authenticationContext}`,
      ]
        .filter(Boolean)
        .join(', ');
      read.push(`${name} up to ${policy.maximumDuration}${rules ? ` (${rules})` : ''}`);
    } catch (error) {
      refused ||= error instanceof HttpError && error.status === 403;
      unreadable.push(`${name} (${failureFacts(error).text})`);
    }
  }
  if (unreadable.length === 0) return pass(read.join('; '));
  const fix = refused
    ? `sign in as ${OPERATOR_ROLES}: Graph wants RoleManagementPolicy.Read.Directory and, for a user, a role that reads PIM settings`
    : 'Entra admin center → Identity governance → Privileged Identity Management → Microsoft Entra roles → Settings → the role: it needs PIM settings; or leave the role out of ELEVATE_ROLES';
  return fail(`cannot read the PIM policy of ${unreadable.join('; ')}`, fix);
}
