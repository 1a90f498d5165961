import { sameId } from '../domain/approval.js';
import { transition, type ElevationRecord } from '../domain/elevation.js';
import { validateSubmission } from '../domain/request-options.js';
import type { SubmissionWords } from '../domain/submission-text.js';
import { roleById } from '../domain/roles.js';
import { effectivePolicy } from '../domain/elevate-policy.js';
import { audit } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';
import { requestApproval } from './request-approval.js';
import { submissionRules } from './start-request.js';
import { auditBreakGlassUse, breakGlassRules, checkBreakGlass } from './break-glass.js';
import { openReview } from './break-glass-review.js';
import { scheduleRequest } from './scheduled-start.js';

/** What submit request uses of the use cases' dependencies. */
export type SubmitRequestDeps = Pick<
  ElevationDeps,
  'pim' | 'tokens' | 'store' | 'audit' | 'timers' | 'clock' | 'notifier' | 'presenter' | 'approvals' | 'settings' | 'logger'
>;

/** What the requester typed or chose on the request card. Untrusted: everything is re-validated here. */
export interface SubmissionInput {
  requestId: string;
  roleId?: string;
  duration?: string;
  justification?: string;
  ticketNumber?: string;
}

export type SubmitOutcome =
  | { kind: 'started'; record: ElevationRecord }
  /** The Elevate policy needs approvers first: approval cards are out, nothing done in the tenant. */
  | { kind: 'awaitingApproval'; record: ElevationRecord }
  /** A later start (issue #16): waiting for it, nothing done in the tenant (approval, if needed, is `awaitingApproval`). */
  | { kind: 'scheduled'; record: ElevationRecord }
  /** `words`: the same refusal as catalogue words, for the requester's language (absent: `message` only). */
  | { kind: 'invalid'; record: ElevationRecord; message: string; words?: SubmissionWords }
  | { kind: 'notYours' }
  /** A break-glass request whose requester is no longer on call (or the policy no longer allows break glass): nothing sent. */
  | { kind: 'notOnCall'; record: ElevationRecord }
  | { kind: 'notFound' }
  | { kind: 'alreadyHandled'; record: ElevationRecord };

/**
 * Accepts a request card submission: checks who is tapping, checks the inputs against the roles and
 * policies read from Graph when the card was made and Elevate's own policy (card data is never
 * trusted; PIM refuses what is no longer eligible), then moves the draft to `activating` with a
 * compare-and-swap so a double tap or a redelivered invoke starts the work once. When the Elevate
 * policy requires approval, the draft goes to `awaitingApproval` instead (see requestApproval).
 */
export async function submitRequest(
  deps: SubmitRequestDeps,
  tapperObjectId: string,
  input: SubmissionInput,
  card: { conversationId: string; activityId: string },
): Promise<SubmitOutcome> {
  const current = await deps.store.getElevation(input.requestId);
  if (!current) return { kind: 'notFound' };
  const record = current.value;
  if (!sameId(record.requester.aadObjectId, tapperObjectId)) return { kind: 'notYours' };
  if (record.state !== 'draft') return { kind: 'alreadyHandled', record };

  // The roles offered when the request card was made are server-side truth (never card data), read
  // from Graph then; PIM itself refuses an activation that is no longer eligible or too long, so the
  // tap checks Elevate's own rules locally instead of reading Graph again (issue #13).
  const options = record.options;
  // Break glass: membership of the on-call group is checked again now, server-side (issue #16).
  const breakGlass = record.breakGlass ? await checkBreakGlass(deps, requesterParty(record), 'submit', { elevationId: record.id }) : undefined;
  if (breakGlass && breakGlass.kind !== 'allowed') return { kind: 'notOnCall', record };
  const rules = submissionRules(deps, record.environment, input.roleId);
  const checked = validateSubmission(options, input, breakGlass?.kind === 'allowed' ? breakGlassRules(breakGlass.policy, rules) : rules);
  if (!checked.ok) return { kind: 'invalid', record: { ...record, ...pickInputs(input) }, message: checked.message, words: checked.words };
  const fields = {
    options,
    roleId: checked.value.roleId,
    roleName: roleById(checked.value.roleId)?.name ?? checked.value.roleId,
    duration: checked.value.duration,
    justification: checked.value.justification,
    ...(checked.value.ticketNumber ? { ticketNumber: checked.value.ticketNumber } : {}),
    card,
  };
  const policy = effectivePolicy(deps.settings.policy, record.environment, checked.value.roleId);
  if (record.schedule && breakGlass?.kind !== 'allowed') {
    const draft = { value: { ...record, ...fields, updatedAt: deps.clock.now().toISOString() }, version: current.version };
    const outcome = await scheduleRequest(deps, draft, policy);
    return outcome.kind === 'invalid' ? { ...outcome, record: { ...record, ...pickInputs(input) } } : outcome;
  }
  // Break glass skips Elevate's approval only: PIM's own approval (PendingApproval) still applies.
  if (policy.approval.required && breakGlass?.kind !== 'allowed') {
    // Nothing happens in the tenant yet: approvers decide first, then the requester activates.
    const outcome = await requestApproval(
      deps,
      { value: { ...record, ...fields, updatedAt: deps.clock.now().toISOString() }, version: current.version },
      policy,
    );
    if (outcome.kind === 'cannotBeApproved') return { kind: 'invalid', record: { ...record, ...pickInputs(input) }, message: outcome.message };
    return outcome.kind === 'awaitingApproval' ? { kind: 'awaitingApproval', record: outcome.record } : { kind: 'alreadyHandled', record: outcome.record };
  }

  // Always through activation: whether the role is already active is PIM's own answer
  // (RoleAssignmentExists), read then, not the draft's possibly stale view.
  const next = transition(record, 'activating', deps.clock.now(), { ...fields, worker: deps.settings.instanceId });
  // The security team's review is opened before the elevation can start (idempotent: a fixed key and
  // timer id), so no crash between the two leaves a break glass unreviewed; its post waits for the submit.
  if (breakGlass?.kind === 'allowed') await openReview(deps, record);
  const saved = await deps.store.updateElevation(next, current.version);
  if (!saved) {
    // Submitted by another tap, or removed by housekeeping meanwhile (then it expired).
    const latest = await deps.store.getElevation(input.requestId);
    return latest ? { kind: 'alreadyHandled', record: latest.value } : { kind: 'notFound' };
  }
  await audit(deps, 'requested', { record: saved.value });
  if (breakGlass?.kind === 'allowed') await auditBreakGlassUse(deps, saved.value, breakGlass.policy);
  return { kind: 'started', record: saved.value };
}

function requesterParty(record: ElevationRecord): { aadObjectId: string; name: string } {
  return { aadObjectId: record.requester.aadObjectId, name: record.requester.name };
}

function pickInputs(input: SubmissionInput): Partial<ElevationRecord> {
  const picked: Partial<ElevationRecord> = {};
  if (input.roleId) picked.roleId = input.roleId;
  if (input.duration) picked.duration = input.duration;
  if (input.justification !== undefined) picked.justification = input.justification;
  if (input.ticketNumber !== undefined) picked.ticketNumber = input.ticketNumber;
  return picked;
}
