import { breakGlassMaximumMinutes, type BreakGlassPolicy } from '../domain/break-glass.js';
import { parseIsoDuration, toIsoDuration } from '../domain/duration.js';
import type { ElevationRecord, EligibleRoleOption } from '../domain/elevation.js';
import type { SubmissionRules } from '../domain/request-options.js';
import type { AuditParty } from '../domain/audit.js';
import { audit } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';

/** What break glass uses of the use cases' dependencies. */
export type BreakGlassDeps = Pick<ElevationDeps, 'pim' | 'tokens' | 'settings' | 'audit' | 'clock' | 'logger'>;

export type BreakGlassCheck = { kind: 'allowed'; policy: BreakGlassPolicy } | { kind: 'notSetUp' } | { kind: 'notOnCall' };

/**
 * Whether the user may break glass now: the policy names on-call groups and the user is a transitive
 * member of one, checked by object id through Graph `checkMemberGroups` with Elevate's own identity
 * (as for the security team), never from card data or names. A refusal is audited with `stage`
 * (`command` when typed, `submit` when the request card is sent).
 */
export async function checkBreakGlass(
  deps: BreakGlassDeps,
  user: AuditParty,
  stage: 'command' | 'submit',
  context: { environment?: string; elevationId?: string } = {},
): Promise<BreakGlassCheck> {
  const policy = deps.settings.policy.breakGlass;
  const onCall = policy ? await isOnCall(deps, policy, user.aadObjectId) : false;
  if (policy && onCall) return { kind: 'allowed', policy };
  await audit(deps, 'breakGlassRefused', {
    actor: user,
    subject: user,
    details: { reason: policy ? 'not on call' : 'break glass not set up', stage, environment: context.environment, elevationId: context.elevationId },
  });
  return policy ? { kind: 'notOnCall' } : { kind: 'notSetUp' };
}

async function isOnCall(deps: BreakGlassDeps, policy: BreakGlassPolicy, aadObjectId: string): Promise<boolean> {
  const graph = deps.tokens.forApp(deps.settings.graphResource);
  const groups = await deps.pim.checkMemberGroups(graph, aadObjectId, [...policy.onCallGroupIds]);
  const listed = new Set(policy.onCallGroupIds.map((id) => id.toLowerCase()));
  return groups.some((id) => listed.has(id.toLowerCase()));
}

/** The request card's roles for break glass: each role's maximum capped by the break-glass maximum. */
export function capForBreakGlass(policy: BreakGlassPolicy, options: EligibleRoleOption[]): EligibleRoleOption[] {
  return options.map((option) => ({
    ...option,
    maximumDuration: toIsoDuration(breakGlassMaximumMinutes(policy, parseIsoDuration(option.maximumDuration))),
  }));
}

/** The submission rules of a break-glass request: the break-glass cap, and an incident (justification) always. */
export function breakGlassRules(policy: BreakGlassPolicy, rules: SubmissionRules): SubmissionRules {
  return { ...rules, maxDurationMinutes: breakGlassMaximumMinutes(policy, rules.maxDurationMinutes), justificationRequired: true };
}

/** Audits one use of break glass (the submit that skips Elevate's approval). */
export async function auditBreakGlassUse(deps: BreakGlassDeps, record: ElevationRecord, policy: BreakGlassPolicy): Promise<void> {
  await audit(deps, 'breakGlassUsed', {
    record,
    details: { incident: record.justification, breakGlassMaximum: policy.maximumDuration, elevateApproval: 'skipped (break glass)' },
  });
}
