import { effectivePolicy, type EffectivePolicy } from '../domain/elevate-policy.js';
import { transition, type ElevationRecord } from '../domain/elevation.js';
import { validateSubmission } from '../domain/request-options.js';
import { checkStart } from '../domain/start-time.js';
import { startDeadline, startReached, STARTED_NOTE, waitsForStart } from '../domain/scheduled-start.js';
import { SignInRequiredError, StepUpRequiredError } from '../domain/errors.js';
import { SCHEDULED_START_REFUSED } from '../domain/failures.js';
import type { Versioned } from '../ports/elevation-store.js';
import type { DurableTimer, TimerOutcome } from '../ports/timer-store.js';
import { audit } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';
import { APPROVAL_TIMEOUT_KIND, requestApproval, type RequestApprovalDeps } from './request-approval.js';
import { eligibleOptions, submissionRules } from './start-request.js';

/** What scheduled starts use of the use cases' dependencies. */
export type ScheduledStartDeps = Pick<
  ElevationDeps,
  | 'pim'
  | 'environments'
  | 'dataverse'
  | 'tokens'
  | 'store'
  | 'audit'
  | 'timers'
  | 'clock'
  | 'notifier'
  | 'presenter'
  | 'approvals'
  | 'settings'
  | 'newId'
  | 'logger'
>;

type Current = Versioned<ElevationRecord>;

/** The durable timer that starts a scheduled elevation (issue #16). */
export const SCHEDULED_START_KIND = 'scheduledStart';
export const scheduledStartTimerId = (elevationId: string): string => `scheduled-start:${elevationId}`;
/** How often the start timer looks again while the requester's token is missing (their sign-in brings it forward). */
const SIGN_IN_POLL_MS = 60_000;

export type ScheduleOutcome =
  | { kind: 'scheduled'; record: ElevationRecord }
  | { kind: 'awaitingApproval'; record: ElevationRecord }
  | { kind: 'invalid'; record: ElevationRecord; message: string }
  | { kind: 'alreadyHandled'; record: ElevationRecord };

/**
 * A validated draft with a later start (`draft.value` carries the submission's fields): approval is
 * asked now where the Elevate policy needs it (approvers decide ahead of time), else the draft becomes
 * `scheduled`. The start timer is written before the compare-and-swap (an orphan timer does nothing),
 * so a crash never leaves a scheduled request without its start. Nothing happens in the tenant.
 */
export async function scheduleRequest(deps: RequestApprovalDeps, draft: Current, policy: EffectivePolicy): Promise<ScheduleOutcome> {
  const record = draft.value;
  const startAt = record.schedule!.startAt;
  const refusal = checkStart(new Date(startAt), deps.clock.now());
  if (refusal) {
    const message = refusal === 'pastStart' ? 'The scheduled start has passed. Request it again with a new start.' : 'The scheduled start is too far ahead.';
    return { kind: 'invalid', record, message };
  }
  await deps.timers.schedule({ id: scheduledStartTimerId(record.id), kind: SCHEDULED_START_KIND, subject: record.id, dueAt: startAt, payload: {} });
  if (policy.approval.required) {
    const outcome = await requestApproval(deps, draft, policy);
    if (outcome.kind === 'cannotBeApproved') return { kind: 'invalid', record, message: outcome.message };
    return outcome;
  }
  const saved = await deps.store.updateElevation(transition(record, 'scheduled', deps.clock.now(), {}, `scheduled for ${startAt}`), draft.version);
  if (!saved) return { kind: 'alreadyHandled', record: (await deps.store.getElevation(record.id))?.value ?? record };
  await audit(deps, 'requested', { record: saved.value, details: { scheduledStart: startAt } });
  await deps.notifier.elevationChanged(saved.value);
  return { kind: 'scheduled', record: saved.value };
}

/**
 * The start timer: at the start, with the requester's token, checks eligibility and both policies
 * again and starts the activation; without a token asks Teams for one (a sign-in card the client
 * answers silently, and a **Start** card) and looks again until the activation window after the
 * start closes. A request still waiting for approval is left to its approval (approved later, the
 * requester activates it as any approved request).
 */
export async function startScheduled(
  deps: ScheduledStartDeps,
  timer: DurableTimer,
  run: (deps: ScheduledStartDeps, id: string) => Promise<ElevationRecord | undefined>,
): Promise<TimerOutcome> {
  const current = await deps.store.getElevation(timer.subject);
  if (!current || !waitsForStart(current.value) || !current.value.schedule) return 'done';
  const record = current.value;
  const now = deps.clock.now();
  if (!startReached(record, now)) return { retryAt: new Date(record.schedule!.startAt) };
  if (record.state === 'awaitingApproval' && record.approval?.status !== 'approved') return 'done';
  if (!deps.tokens.hasSession(record.requester.aadObjectId)) return needToken(deps, current);
  const outcome = await beginScheduled(deps, current);
  if (outcome.kind === 'signInNeeded') return needToken(deps, current);
  if (outcome.kind === 'started') await run(deps, outcome.record.id);
  return 'done';
}

/** `lost`: another start won the compare-and-swap, or the record is not a scheduled start waiting (waitsForStart). */
export type BeginOutcome =
  { kind: 'started'; record: ElevationRecord } | { kind: 'notStarted'; record: ElevationRecord } | { kind: 'signInNeeded' } | { kind: 'lost' };

/**
 * Starts a due scheduled elevation on the requester's token: re-reads eligibility and the PIM policy
 * (Graph), applies today's Elevate policy (approval it did not have, a shorter maximum), and moves the
 * record to activation with a compare-and-swap (one start, whoever calls: the timer, a **Start** tap,
 * another instance). If anything changed, it does not start: `failed` with the reason, and the
 * requester and the security channel are told.
 */
export async function beginScheduled(deps: ScheduledStartDeps, current: Current): Promise<BeginOutcome> {
  const record = current.value;
  // Not (or no longer) a waiting scheduled start: an extension request above all, which only its elevation's Activate applies.
  if (!waitsForStart(record)) return { kind: 'lost' };
  const now = deps.clock.now();
  let options;
  try {
    options = await eligibleOptions(deps, record.requester.aadObjectId, record.environment);
  } catch (error) {
    if (error instanceof SignInRequiredError || error instanceof StepUpRequiredError) return { kind: 'signInNeeded' };
    throw error;
  }
  const roleId = record.roleId ?? '';
  const policy = effectivePolicy(deps.settings.policy, record.environment, roleId);
  const checked = validateSubmission(
    options,
    {
      roleId,
      duration: record.duration ?? '',
      justification: record.justification ?? '',
      ...(record.ticketNumber ? { ticketNumber: record.ticketNumber } : {}),
    },
    submissionRules(deps, record.environment, roleId),
  );
  const eligible = options.some((o) => o.roleId === roleId);
  const refusal = !eligible
    ? `you are no longer eligible for ${record.roleName ?? 'the role'} in Privileged Identity Management (or Elevate may no longer offer it here).`
    : !checked.ok
      ? checked.message
      : policy.approval.required && record.approval?.status !== 'approved'
        ? `the Elevate policy "${policy.source}" now requires approval for this role here.`
        : undefined;
  if (refusal) return notStarted(deps, current, refusal);
  const option = options.find((o) => o.roleId === roleId);
  const alreadyActive = option?.activeUntil !== undefined;
  const next = transition(
    record,
    alreadyActive ? 'elevating' : 'activating',
    now,
    {
      options,
      worker: deps.settings.instanceId,
      ...(alreadyActive && option?.activeUntil ? { activeUntil: option.activeUntil } : {}),
    },
    STARTED_NOTE,
  );
  const saved = await deps.store.updateElevation(next, current.version);
  if (!saved) return { kind: 'lost' };
  await deps.timers.cancel(record.id, [APPROVAL_TIMEOUT_KIND, SCHEDULED_START_KIND]);
  await audit(deps, 'scheduledStart', { record: saved.value, details: { scheduledStart: record.schedule?.startAt ?? null } });
  await deps.presenter.scheduleNotice(saved.value, 'starting');
  await deps.notifier.elevationChanged(saved.value);
  return { kind: 'started', record: saved.value };
}

async function notStarted(deps: ScheduledStartDeps, current: Current, reason: string): Promise<BeginOutcome> {
  const failure = {
    code: SCHEDULED_START_REFUSED,
    message: `Your scheduled elevation did not start: ${reason}`,
    hint: 'Nothing was activated. Request a new elevation if you still need it.',
  };
  const saved = await deps.store.updateElevation(transition(current.value, 'failed', deps.clock.now(), { failure }, failure.code), current.version);
  if (!saved) return { kind: 'lost' };
  await deps.timers.cancel(saved.value.id, [APPROVAL_TIMEOUT_KIND, SCHEDULED_START_KIND]);
  await audit(deps, 'failed', { record: saved.value, details: { scheduledStart: current.value.schedule?.startAt ?? null } });
  await deps.presenter.show(saved.value);
  await deps.presenter.scheduleNotice(saved.value, 'notStarted');
  await deps.notifier.elevationChanged(saved.value);
  return { kind: 'notStarted', record: saved.value };
}

/** No token at the start: ask Teams once (sign-in card and **Start** card), look again, give up after the window. */
async function needToken(deps: ScheduledStartDeps, current: Current): Promise<TimerOutcome> {
  const record = current.value;
  const schedule = record.schedule!;
  const now = deps.clock.now();
  const deadline = startDeadline(schedule, deps.settings.approvalActivationWindowMinutes);
  if (now >= deadline) {
    await notStarted(deps, current, `Elevate could not sign you in within ${deps.settings.approvalActivationWindowMinutes} minutes of the start.`);
    return 'done';
  }
  if (!schedule.signInRequestedAt) {
    const asked = { ...record, schedule: { ...schedule, signInRequestedAt: now.toISOString() }, updatedAt: now.toISOString() };
    const saved = await deps.store.updateElevation(asked, current.version);
    if (saved) {
      await deps.presenter.show(saved.value);
      await deps.presenter.scheduleNotice(saved.value, 'due');
    }
  }
  return { retryAt: new Date(Math.min(now.getTime() + SIGN_IN_POLL_MS, deadline.getTime())) };
}

/**
 * The requester signed in (Teams SSO after the sign-in card, or the interactive sign-in): their due
 * scheduled elevations that waited for a token start now.
 */
export async function resumeScheduled(deps: Pick<ElevationDeps, 'store' | 'timers' | 'clock'>, aadObjectId: string): Promise<number> {
  const now = deps.clock.now();
  const due = (await deps.store.listElevationsByRequester(aadObjectId)).filter(
    (r) => waitsForStart(r.value) && r.value.schedule?.signInRequestedAt && startReached(r.value, now),
  );
  for (const { value } of due) {
    await deps.timers.schedule({ id: scheduledStartTimerId(value.id), kind: SCHEDULED_START_KIND, subject: value.id, dueAt: now.toISOString(), payload: {} });
  }
  return due.length;
}

export type StartTapOutcome =
  | { kind: 'started'; record: ElevationRecord }
  | { kind: 'notStarted'; record: ElevationRecord }
  /** Not due yet, or no longer waiting (started, cancelled, failed): the card shows where it is. */
  | { kind: 'notStartable'; record: ElevationRecord }
  | { kind: 'signInNeeded'; record: ElevationRecord }
  | { kind: 'notYours' }
  | { kind: 'notFound' };

/** **Start** on the due card: the tapper must be the requester (card data is never trusted), and the start must have come. */
export async function startTap(deps: ScheduledStartDeps, tapperObjectId: string, id: string): Promise<StartTapOutcome> {
  const current = await deps.store.getElevation(id);
  if (!current) return { kind: 'notFound' };
  const record = current.value;
  if (record.requester.aadObjectId.toLowerCase() !== tapperObjectId.toLowerCase()) return { kind: 'notYours' };
  const approvedOrFree = record.state === 'scheduled' || record.approval?.status === 'approved';
  if (!waitsForStart(record) || !approvedOrFree || !startReached(record, deps.clock.now())) return { kind: 'notStartable', record };
  const outcome = await beginScheduled(deps, current);
  if (outcome.kind === 'signInNeeded') return { kind: 'signInNeeded', record };
  if (outcome.kind === 'lost') return { kind: 'notStartable', record: (await deps.store.getElevation(id))?.value ?? record };
  return outcome;
}
