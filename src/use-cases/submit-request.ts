import { transition, type ElevationRecord } from '../domain/elevation.js';
import { validateSubmission } from '../domain/request-options.js';
import { roleById } from '../domain/roles.js';
import { effectivePolicy } from '../domain/elevate-policy.js';
import { audit } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';
import { eligibleOptions } from './start-request.js';

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
  | { kind: 'invalid'; record: ElevationRecord; message: string }
  | { kind: 'notYours' }
  | { kind: 'notFound' }
  | { kind: 'alreadyHandled'; record: ElevationRecord };

/**
 * Accepts a request card submission: checks who is tapping, re-reads eligibility and the role's PIM
 * policy from Graph (card data is never trusted), then moves the draft to `activating` with a
 * compare-and-swap so a double tap or a redelivered invoke starts the work once.
 */
export async function submitRequest(
  deps: ElevationDeps,
  tapperObjectId: string,
  input: SubmissionInput,
  card: { conversationId: string; activityId: string },
): Promise<SubmitOutcome> {
  const current = await deps.store.getElevation(input.requestId);
  if (!current) return { kind: 'notFound' };
  const record = current.value;
  if (record.requester.aadObjectId !== tapperObjectId) return { kind: 'notYours' };
  if (record.state !== 'draft') return { kind: 'alreadyHandled', record };

  const options = await eligibleOptions(deps, tapperObjectId, record.environment);
  const checked = validateSubmission(options, input, { minJustificationLength: deps.settings.minJustificationLength });
  if (!checked.ok) return { kind: 'invalid', record: { ...record, ...pickInputs(input) }, message: checked.message };
  // Approvals on cards are not built yet: a request the Elevate policy says needs approval is refused,
  // never elevated without it.
  const policy = effectivePolicy(deps.settings.policy, record.environment, checked.value.roleId);
  if (policy.approval.required) {
    return {
      kind: 'invalid',
      record: { ...record, ...pickInputs(input) },
      message: `Elevate policy "${policy.source}" requires approval for this role here, and approvals are not available in this version of Elevate. Activate it through PIM's own approval, or ask the Elevate administrators.`,
    };
  }

  const option = options.find((o) => o.roleId === checked.value.roleId);
  const alreadyActive = option?.activeUntil !== undefined;
  const next = transition(
    record,
    alreadyActive ? 'elevating' : 'activating',
    deps.clock.now(),
    {
      options,
      roleId: checked.value.roleId,
      roleName: roleById(checked.value.roleId)?.name ?? checked.value.roleId,
      duration: checked.value.duration,
      justification: checked.value.justification,
      ...(checked.value.ticketNumber ? { ticketNumber: checked.value.ticketNumber } : {}),
      ...(alreadyActive && option?.activeUntil ? { activeUntil: option.activeUntil } : {}),
      card,
      worker: deps.settings.instanceId,
    },
    alreadyActive ? 'role already active in PIM' : undefined,
  );
  const saved = await deps.store.updateElevation(next, current.version);
  if (!saved) {
    const latest = await deps.store.getElevation(input.requestId);
    return { kind: 'alreadyHandled', record: latest?.value ?? record };
  }
  await audit(deps, 'requested', { record: saved.value });
  return { kind: 'started', record: saved.value };
}

function pickInputs(input: SubmissionInput): Partial<ElevationRecord> {
  const picked: Partial<ElevationRecord> = {};
  if (input.roleId) picked.roleId = input.roleId;
  if (input.duration) picked.duration = input.duration;
  if (input.justification !== undefined) picked.justification = input.justification;
  if (input.ticketNumber !== undefined) picked.ticketNumber = input.ticketNumber;
  return picked;
}
