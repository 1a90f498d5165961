import { englishProgressText, type ProgressWords } from '../domain/progress-text.js';
import { transition, type ElevationFailure, type ElevationRecord, type StepUp } from '../domain/elevation.js';
import {
  ElevateError,
  HttpError,
  NotAnAdminError,
  ServiceUnavailableError,
  SignInRequiredError,
  StepUpRequiredError,
  ThrottledError,
} from '../domain/errors.js';
import { describePimError, describePimStatus, failure as elevationFailure, PIM_APPROVAL_PENDING } from '../domain/failures.js';
import { inEnglish, said } from '../domain/record-text.js';
import type { Versioned } from '../ports/elevation-store.js';
import { audit, eventForState } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';
import { otherActiveHere } from './overlapping.js';
import { scheduleCleanupAfterFailure, scheduleLifecycle } from './schedule-lifecycle.js';
import { PROPAGATION_KIND, waitForPowerPlatform } from './await-power-platform.js';
import { parseIsoDuration } from '../domain/duration.js';
import { isDirect } from '../domain/role-membership.js';
import { watched } from './in-flight-watchdog.js';

/** What run elevation uses of the use cases' dependencies. */
export type RunElevationDeps = Pick<
  ElevationDeps,
  'pim' | 'powerPlatform' | 'dataverse' | 'tokens' | 'store' | 'audit' | 'timers' | 'clock' | 'notifier' | 'presenter' | 'approvals' | 'settings' | 'logger'
>;

type Current = Versioned<ElevationRecord>;
/** A step that handed the elevation over to a durable timer. */
const STOP = Symbol('handed over to a timer');

const ACTIVATED = new Set(['Provisioned', 'Granted', 'ScheduleCreated', 'PendingProvisioning', 'PendingScheduleCreation']);
const AWAITING_APPROVAL = new Set(['PendingApproval', 'PendingEvaluation', 'PendingAdminDecision']);

/**
 * Drives an elevation from `activating` or `elevating` to `active` or `failed`. Safe to call again
 * for the same id (after a restart, or from a second instance): every step re-reads the tenant first
 * and every write is compare-and-swap, so a lost race simply stops here. A watchdog timer hands the
 * elevation to another instance if this process dies on the way (in-flight-watchdog.ts).
 */
export function runElevation(deps: RunElevationDeps, id: string): Promise<ElevationRecord | undefined> {
  return watched(deps, id, () => drive(deps, id));
}

async function drive(deps: RunElevationDeps, id: string): Promise<ElevationRecord | undefined> {
  let current = await deps.store.getElevation(id);
  while (current && (current.value.state === 'activating' || current.value.state === 'elevating')) {
    const step: Current = current;
    try {
      const next = step.value.state === 'activating' ? await activate(deps, step) : await elevate(deps, step);
      // Waiting for Power Platform on a durable timer: this run is over, the record stays `elevating`.
      if (next === STOP) return (await deps.store.getElevation(id))?.value;
      current = next;
    } catch (error) {
      deps.logger.warn({ err: error, elevationId: id, state: step.value.state }, 'elevation step failed');
      // The step may have saved intermediate facts (a newer version): fail the latest one, but only
      // while it is still in the step this worker ran (else another worker moved it on).
      const latest = await deps.store.getElevation(id);
      current =
        latest && latest.value.state === step.value.state && latest.value.worker === step.value.worker
          ? await fail(deps, latest, failureFrom(error), stepUpFrom(error))
          : undefined;
    }
  }
  return current?.value;
}

async function save(deps: RunElevationDeps, current: Current, next: ElevationRecord): Promise<Current | undefined> {
  const saved = await deps.store.updateElevation(next, current.version);
  if (!saved) {
    deps.logger.info({ elevationId: next.id }, 'elevation changed elsewhere; this worker stops');
    return saved;
  }
  await deps.presenter.show(saved.value);
  const event = saved.value.state !== current.value.state ? eventForState(saved.value) : undefined;
  // One entry per real event: a retry that finds the role already active does not activate it again.
  const activatedBefore = event === 'activated' && current.value.history.some((h) => h.state === 'elevating');
  if (event && !activatedBefore) await audit(deps, event, { record: saved.value });
  return saved;
}

async function fail(
  deps: RunElevationDeps,
  current: Current,
  failure: ElevationFailure,
  stepUp?: StepUp,
  facts: Partial<Pick<ElevationRecord, 'pimRequestId' | 'pimStatus' | 'pimApprovalId'>> = {},
): Promise<Current | undefined> {
  const next = transition(current.value, 'failed', deps.clock.now(), { ...facts, failure, ...(stepUp ? { stepUp } : {}) }, failure.code);
  // Power Platform may have granted System Administrator before the step failed: clean up at the end anyway.
  if (current.value.state === 'elevating') await scheduleCleanupAfterFailure(deps, next);
  const saved = await save(deps, current, next);
  if (saved) await deps.notifier.elevationChanged(saved.value);
  return saved;
}

/** When the elevation would have ended: the PIM end, else now plus the requested duration. */
export function requestedEnd(deps: Pick<ElevationDeps, 'clock'>, record: ElevationRecord): string {
  if (record.activeUntil && !Number.isNaN(Date.parse(record.activeUntil))) return record.activeUntil;
  const minutes = parseIsoDuration(record.duration ?? '') ?? 60;
  return new Date(deps.clock.now().getTime() + minutes * 60_000).toISOString();
}

async function activate(deps: RunElevationDeps, current: Current): Promise<Current | undefined> {
  const record = current.value;
  // Dataverse is read while PIM activates (issue #13): its answer joins the save that ends this step.
  const standing = standingAccess(deps, record);
  let latest: Current | undefined = current;
  // No read of the assignments first: PIM's own answer says whether the role is already active
  // (RoleAssignmentExists), and the poll below reads the assignment once it is.
  if (!record.pimRequestId) {
    const request = await sendSelfActivate(deps, record);
    if (request === 'exists') return waitUntilActive(deps, current, standing);
    if (AWAITING_APPROVAL.has(request.status)) {
      // The approval id lets PIM approvers decide from Teams (decide-pim-approval) with their own token.
      const pim = { pimRequestId: request.id, pimStatus: request.status, ...(request.approvalId ? { pimApprovalId: request.approvalId } : {}) };
      const failure = elevationFailure(PIM_APPROVAL_PENDING, [said('pimPending', { requestId: request.id })], [said('pimPendingHint')]);
      const failed = await fail(deps, current, failure, undefined, pim);
      // The role's PIM approvers (from the Elevate policy's approval rule) get a card to decide on.
      if (failed?.value.pimApprovalId) await deps.approvals.publishPim(failed.value);
      return failed;
    }
    if (!ACTIVATED.has(request.status)) return fail(deps, current, describePimStatus(request.status, request.id));
    latest = await save(deps, current, { ...record, pimRequestId: request.id, pimStatus: request.status, updatedAt: deps.clock.now().toISOString() });
    if (!latest) return undefined;
  }
  return waitUntilActive(deps, latest, standing);
}

async function sendSelfActivate(deps: RunElevationDeps, record: ElevationRecord) {
  const sentAt = deps.clock.now().toISOString();
  try {
    return await deps.pim.selfActivate(deps.tokens.forUser(record.requester.aadObjectId, 'graph'), {
      principalId: record.requester.aadObjectId,
      roleDefinitionId: record.roleId ?? '',
      justification: record.justification ?? '',
      duration: record.duration ?? '',
      startDateTime: sentAt,
      ...(record.ticketNumber ? { ticketNumber: record.ticketNumber, ticketSystem: record.ticketSystem ?? 'Elevate' } : {}),
    });
  } catch (error) {
    if (error instanceof HttpError && error.serviceCode === 'RoleAssignmentExists') return 'exists' as const;
    if (!isAmbiguous(error)) throw error;
    // The answer was lost, not the request: read what PIM received before calling it a failure.
    const received = await requestPimReceived(deps, record, sentAt);
    if (received) {
      deps.logger.warn({ elevationId: record.id, pimRequestId: received.id, status: received.status }, 'PIM took the activation although its answer was lost');
      return received;
    }
    throw error;
  }
}

/**
 * A timeout, a 5xx or a dropped connection: the service may have acted before the answer was lost
 * (issue #11, "no ambiguous outcome"). Refusals (4xx) are not ambiguous.
 */
export function isAmbiguous(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  return error instanceof HttpError && !(error instanceof ThrottledError) && (error.status >= 500 || error.status === 408);
}

/** The user's own activation request for this role made since `sentAt`, if PIM has it. */
async function requestPimReceived(deps: RunElevationDeps, record: ElevationRecord, sentAt: string) {
  const since = Date.parse(sentAt) - 60_000;
  const requests = await deps.pim.listMyRequests(deps.tokens.forUser(record.requester.aadObjectId, 'graph'), record.roleId ?? '');
  return requests
    .filter((r) => r.action === 'selfActivate' && Date.parse(r.createdDateTime ?? '') >= since)
    .sort((a, b) => Date.parse(b.createdDateTime ?? '') - Date.parse(a.createdDateTime ?? ''))[0];
}

/** Until when PIM shows the record's role active for its requester, directly (read with the requester's token); `permanent` without an end. */
export async function activeUntil(deps: Pick<ElevationDeps, 'tokens' | 'pim'>, record: ElevationRecord): Promise<string | undefined> {
  const graph = deps.tokens.forUser(record.requester.aadObjectId, 'graph');
  const instances = await deps.pim.listMyActiveAssignments(graph);
  // A role active through a group does not count: Power Platform ignores it (docs/api-contracts.md §8.1).
  const instance = instances.find((i) => i.roleDefinitionId === record.roleId && i.directoryScopeId === '/' && isDirect(i, record.requester.aadObjectId));
  if (!instance) return undefined;
  return instance.endDateTime ?? 'permanent';
}

/** The first look at the assignment comes soon after PIM's answer, then less often, up to the configured interval. */
const FIRST_POLL_MS = 200;

async function waitUntilActive(deps: RunElevationDeps, current: Current, standing: Promise<boolean | undefined>): Promise<Current | undefined> {
  const started = deps.clock.now().getTime();
  for (let attempt = 1; ; attempt++) {
    const until = await activeUntil(deps, current.value);
    if (until) {
      // A PIM assignment without an end (permanent or admin-assigned): Elevate's own grant still ends
      // after the requested duration, so System Administrator is cleaned up then.
      const held = await standing;
      const changes = {
        activeUntil: until === 'permanent' ? requestedEnd(deps, current.value) : until,
        ...(held !== undefined ? { heldSystemAdminBefore: held } : {}),
      };
      return save(deps, current, transition(current.value, 'elevating', deps.clock.now(), changes, 'PIM assignment active'));
    }
    if (deps.clock.now().getTime() - started >= deps.settings.activationTimeoutMs) {
      const minutes = Math.round(deps.settings.activationTimeoutMs / 60000);
      return fail(deps, current, elevationFailure('PimActivationTimeout', [said('activationTimeout', { minutes })], [said('activationTimeoutHint')]));
    }
    await deps.presenter.show(current.value, progress({ key: 'waitingForPim', check: attempt }));
    await deps.clock.sleep(Math.min(deps.settings.activationPollMs, FIRST_POLL_MS * 2 ** (attempt - 1)));
  }
}

/**
 * Whether the requester already held System Administrator in the environment before this elevation
 * (applyAdminRole answers success either way), so clean-up never removes standing access. Read with
 * the bot's application identity; undefined when Dataverse cannot tell (clean-up then keeps the role).
 * Never throws.
 */
async function standingAccess(deps: RunElevationDeps, record: ElevationRecord): Promise<boolean | undefined> {
  if (record.heldSystemAdminBefore !== undefined) return record.heldSystemAdminBefore;
  if (!record.environment.url) return undefined;
  try {
    // Another running elevation of this user here granted the role: Dataverse would say "held", but it is
    // not standing access, so this one inherits that elevation's answer.
    const overlapping = await otherActiveHere(deps, record);
    if (overlapping.length > 0) return overlapping.some((r) => r.heldSystemAdminBefore !== false);
    return (await deps.dataverse.systemAdministratorStatus(record.environment.url, record.requester.aadObjectId)).held;
  } catch (error) {
    deps.logger.warn({ err: error, elevationId: record.id }, 'could not read System Administrator status from Dataverse; clean-up will keep the role');
    return undefined;
  }
}

/** Standing access recorded on the record (read now if the activation step could not). */
async function recordStandingAccess(deps: RunElevationDeps, current: Current): Promise<Current | undefined> {
  const record = current.value;
  const held = record.heldSystemAdminBefore ?? (await standingAccess(deps, record));
  if (held === undefined) return current;
  const saved =
    record.heldSystemAdminBefore === undefined
      ? await deps.store.updateElevation({ ...record, heldSystemAdminBefore: held, updatedAt: deps.clock.now().toISOString() }, current.version)
      : current;
  if (saved && held && !record.propagation) await deps.presenter.show(saved.value, progress({ key: 'alreadySystemAdmin' }));
  return saved;
}

/**
 * Self-elevation on the requester's own token. A "not … admin" answer means the PIM role has not
 * reached Power Platform yet: the wait continues on a durable timer (await-power-platform.ts), so this
 * run ends with the record still `elevating` and a restart or another instance carries on.
 */
async function elevate(deps: RunElevationDeps, initial: Current): Promise<Current | typeof STOP | undefined> {
  const checked = await recordStandingAccess(deps, initial);
  if (!checked) return undefined;
  const current = checked;
  const record = current.value;
  let result;
  try {
    result = await deps.powerPlatform.applyAdminRole(deps.tokens.forUser(record.requester.aadObjectId, 'powerPlatform'), record.environment.id);
  } catch (error) {
    if (error instanceof NotAnAdminError) {
      const waiting = await waitForPowerPlatform(deps, current, error);
      return waiting?.value.state === 'elevating' ? STOP : waiting;
    }
    // The answer was lost: Dataverse tells whether the grant landed (only when it was not held before).
    if (!isAmbiguous(error) || !(await grantLanded(deps, record))) throw error;
    deps.logger.warn({ elevationId: record.id }, 'System Administrator was granted although the Power Platform answer was lost');
    result = { code: 'UserExists', details: [] } as { code: string; details: string[]; correlationId?: string };
  }
  const next = transition(record, 'active', deps.clock.now(), result.correlationId ? { ppCorrelationId: result.correlationId } : {}, result.code);
  // Timers first: a crash right after the save must not leave System Administrator without its expiry.
  await scheduleLifecycle(deps, next);
  const saved = await save(deps, current, next);
  if (saved) {
    await deps.timers.cancel(record.id, [PROPAGATION_KIND]);
    await deps.notifier.elevationChanged(saved.value);
    // After a wait for Power Platform the card may be far up the chat: a new message says it worked.
    if (record.propagation) await deps.presenter.tell(saved.value);
  }
  return saved;
}

/** After a lost answer of applyAdminRole: Dataverse shows System Administrator that was not held before. */
async function grantLanded(deps: RunElevationDeps, record: ElevationRecord): Promise<boolean> {
  if (record.heldSystemAdminBefore !== false || !record.environment.url) return false;
  try {
    return (await deps.dataverse.systemAdministratorStatus(record.environment.url, record.requester.aadObjectId)).held;
  } catch {
    return false;
  }
}

/** A claims challenge asking for multi-factor authentication (PIM's MfaRule). */
const MFA_CLAIMS = JSON.stringify({ access_token: { amr: { essential: true, values: ['mfa'] } } });

/** The interactive sign-in a failure needs before a retry can succeed, if any. */
export function stepUpFrom(error: unknown): StepUp | undefined {
  if (error instanceof StepUpRequiredError) return error.claims ? { reason: error.reason, claims: error.claims } : { reason: error.reason };
  if (!(error instanceof HttpError)) return undefined;
  const pim = error as HttpError & { rules?: string[]; claims?: string };
  if (pim.serviceCode === 'RoleAssignmentRequestAcrsValidationFailed')
    return pim.claims ? { reason: 'authenticationContext', claims: pim.claims } : { reason: 'authenticationContext' };
  if (pim.serviceCode === 'RoleAssignmentRequestPolicyValidationFailed' && pim.rules?.includes('MfaRule')) return { reason: 'mfa', claims: MFA_CLAIMS };
  return undefined;
}

/** Turns any error of a step into a failure the requester can act on. Never includes tokens. */
export function failureFrom(error: unknown): ElevationFailure {
  if (error instanceof NotAnAdminError) {
    return elevationFailure('PowerPlatformNotAdmin', [said('notAdmin')], [said('notAdminHint')], error.correlationId);
  }
  if (error instanceof StepUpRequiredError || error instanceof SignInRequiredError) {
    return elevationFailure(error.code, [said('signInRenew')], [said('signInRenewHint')]);
  }
  // Cards say what happened and what to do, never transport details (hosts, socket codes).
  if (isAmbiguous(error)) {
    return elevationFailure('ServiceDidNotAnswer', [said('noAnswer')], [said('noAnswerHint')], error instanceof HttpError ? error.correlationId : undefined);
  }
  if (error instanceof HttpError) {
    const rules = (error as HttpError & { rules?: string[] }).rules ?? [];
    return describePimError(error.serviceCode ?? `HTTP_${error.status}`, rules, error.correlationId);
  }
  // An ElevateError's message is Elevate's own English diagnosis: shown as it is, introduced in the reader's language.
  if (error instanceof ElevateError)
    return {
      code: error.code,
      message: error.message,
      hint: inEnglish([said('tryLater')]),
      words: { message: [said('stepFailed', { detail: error.message })], hint: [said('tryLater')] },
    };
  return elevationFailure('Unexpected', [said('unexpected')], [said('unexpectedHint')]);
}

/** A step's transient detail: the catalogue words, and their English. */
export function progress(words: ProgressWords): { detail: string; words: ProgressWords } {
  return { detail: englishProgressText(words), words };
}
