import { roleById } from '../../domain/roles.js';
import { appCredential, exposedApi, identifierUri, redirectUri, secretExpiry } from './app-checks.js';
import { botCredentials, pimPolicies } from './bot-pim-checks.js';
import { DOCTOR_CHECKS, fail, pass, skip, titleOf, type CheckId, type CheckOutcome, type CheckResult } from './catalog.js';
import { applicationConsent, delegatedConsent } from './consent-checks.js';
import type { DoctorContext } from './context.js';
import { applicationUser, systemAdministrator } from './dataverse-checks.js';
import { policyApprovers, policyFile, securityGroup } from './directory-checks.js';
import { operatorSignIn } from './operator-session.js';
import { managementApplication, powerPlatformServicePrincipal } from './power-platform-checks.js';
import { rbacIdentity } from './rbac-checks.js';

/**
 * Runs the checks in catalog order. A check that needs the operator's sign-in or Elevate's app
 * token is skipped, saying why, when that did not work: the root cause fails once, on its own line.
 */
type Need = 'operator' | 'app';

interface Step {
  run: (ctx: DoctorContext) => Promise<CheckOutcome>;
  needs?: Need[];
}

function configSummary(ctx: DoctorContext): Promise<CheckOutcome> {
  const { aad, bot, roleIds } = ctx.config;
  const roles = roleIds.map((id) => roleById(id)?.name ?? id).join(', ');
  return Promise.resolve(pass(`tenant ${aad.tenantId}, Elevate app ${aad.clientId}, bot ${bot.id || '(none)'}, roles offered: ${roles}`));
}

const STEPS: Record<CheckId, Step> = {
  config: { run: configSummary },
  'operator.sign-in': { run: operatorSignIn },
  'app.credential': { run: appCredential },
  'app.secret-expiry': { run: secretExpiry, needs: ['operator'] },
  'app.identifier-uri': { run: identifierUri, needs: ['operator'] },
  'app.exposed-api': { run: exposedApi, needs: ['operator'] },
  'app.redirect-uri': { run: redirectUri, needs: ['operator'] },
  'consent.delegated': { run: delegatedConsent, needs: ['operator'] },
  'consent.application': { run: applicationConsent },
  'pp.service-principal': { run: powerPlatformServicePrincipal },
  'pp.management-app': { run: managementApplication, needs: ['app'] },
  'pp.rbac-identity': { run: rbacIdentity },
  'dataverse.app-user': { run: applicationUser, needs: ['app'] },
  'dataverse.system-administrator': { run: systemAdministrator, needs: ['app'] },
  'group.security': { run: securityGroup, needs: ['app'] },
  'policy.file': { run: policyFile },
  'policy.approvers': { run: policyApprovers, needs: ['app'] },
  'bot.credentials': { run: botCredentials },
  'pim.policies': { run: pimPolicies, needs: ['operator'] },
};

function unmet(ctx: DoctorContext, needs: readonly Need[]): string | undefined {
  if (needs.includes('operator') && !ctx.operatorToken) return "needs the operator's sign-in (operator.sign-in)";
  if (needs.includes('app') && !ctx.ok('app.credential')) return "needs Elevate's app token (app.credential)";
  return undefined;
}

async function runStep(ctx: DoctorContext, step: Step): Promise<CheckOutcome> {
  const missing = unmet(ctx, step.needs ?? []);
  if (missing) return skip(missing);
  try {
    return await step.run(ctx);
  } catch (error) {
    // A check must not stop the others: an unexpected failure is that check's own failure.
    return fail(`the check itself failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, 'report it with this line');
  }
}

export async function runChecks(ctx: DoctorContext, onResult: (result: CheckResult) => void = () => undefined): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const { id } of DOCTOR_CHECKS) {
    const result: CheckResult = { id, title: titleOf(id), ...(await runStep(ctx, STEPS[id])) };
    ctx.results.set(id, result);
    results.push(result);
    onResult(result);
  }
  return results;
}

/** When the configuration does not load, nothing else can be checked. */
export function configFailure(message: string): CheckResult[] {
  return DOCTOR_CHECKS.map(({ id }) =>
    id === 'config'
      ? { id, title: titleOf(id), ...fail(message, 'set the variable as the README\'s "Configuration" table says (the doctor reads the bot\'s environment)') }
      : { id, title: titleOf(id), ...skip('the configuration did not load (config)') },
  );
}
