import { englishProgressText, type ProgressWords } from '../domain/progress-text.js';
import { failure as elevationFailure } from '../domain/failures.js';
import { said } from '../domain/record-text.js';
import type { ElevationRecord } from '../domain/elevation.js';
import { transition } from '../domain/elevation.js';
import type { NotAnAdminError } from '../domain/errors.js';
import type { Versioned } from '../ports/elevation-store.js';
import type { DurableTimer, TimerOutcome } from '../ports/timer-store.js';
import { audit } from './audit-trail.js';
import type { ElevationDeps } from './deps.js';

/** What await power platform uses of the use cases' dependencies. */
export type AwaitPowerPlatformDeps = Pick<ElevationDeps, 'tokens' | 'store' | 'audit' | 'timers' | 'clock' | 'notifier' | 'presenter' | 'settings' | 'logger'>;

type Current = Versioned<ElevationRecord>;

/** The durable timer that tries `applyAdminRole` again while Power Platform catches up with PIM. */
export const PROPAGATION_KIND = 'propagation';
/** The longest wait between two tries: Entra → Power Platform sync can take up to two hours. */
const MAX_WAIT_MS = 10 * 60_000;

export function propagationTimerId(elevationId: string): string {
  return `${PROPAGATION_KIND}:${elevationId}`;
}

/**
 * Power Platform answered "not … admin" although the PIM role is active: the change has not reached
 * it yet (docs/api-contracts.md §8, up to two hours). Records the wait on the elevation (compare-and-
 * swap), schedules the next try as a durable timer (so a restart or another instance carries on),
 * and shows the attempt and the next try on the requester's card. Fails once the configured limit
 * or the PIM end is reached. Returns the saved record (still `elevating`) or the failed one.
 */
export async function waitForPowerPlatform(deps: AwaitPowerPlatformDeps, current: Current, error: NotAnAdminError): Promise<Current | undefined> {
  const record = current.value;
  const now = deps.clock.now();
  const since = record.propagation?.since ?? now.toISOString();
  const deadline = record.propagation?.deadline ?? deadlineFor(deps, record, since);
  const attempts = (record.propagation?.attempts ?? 0) + 1;
  if (now.getTime() >= Date.parse(deadline)) return giveUp(deps, current, error);
  const waitMs = Math.min(MAX_WAIT_MS, deps.settings.propagationRetryMs * 2 ** (attempts - 1));
  const nextTryAt = new Date(Math.min(now.getTime() + waitMs, Date.parse(deadline))).toISOString();
  const { signInRequestedAt: _asked, ...kept } = record.propagation ?? {};
  const propagation = { ...kept, since, attempts, nextTryAt, deadline };
  const saved = await deps.store.updateElevation({ ...record, propagation, updatedAt: now.toISOString() }, current.version);
  if (!saved) return undefined;
  await deps.timers.schedule({ id: propagationTimerId(record.id), kind: PROPAGATION_KIND, subject: record.id, dueAt: nextTryAt, payload: {} });
  const words = waitingWords(saved.value);
  if (words) await deps.presenter.show(saved.value, { detail: englishProgressText(words), words });
  else await deps.presenter.show(saved.value, { detail: '' });
  return saved;
}

/** Since the first "not … admin", at most the configured window, and never past the PIM role's end. */
function deadlineFor(deps: AwaitPowerPlatformDeps, record: ElevationRecord, since: string): string {
  const limit = Date.parse(since) + deps.settings.propagationWindowMs;
  const pimEnd = record.activeUntil ? Date.parse(record.activeUntil) : Number.NaN;
  return new Date(Number.isNaN(pimEnd) ? limit : Math.min(limit, pimEnd)).toISOString();
}

/**
 * "Power Platform does not see your PIM role yet (attempt 3) …" and whether Elevate stops at the PIM end.
 * No times: the card shows the next try and the deadline with Teams' DATE()/TIME() in the viewer's zone.
 */
export function waitingWords(record: ElevationRecord): ProgressWords | undefined {
  const wait = record.propagation;
  if (!wait) return undefined;
  const pimEndsFirst = record.activeUntil !== undefined && Date.parse(record.activeUntil) <= Date.parse(wait.deadline);
  return { key: pimEndsFirst ? 'notSeenYetUntilPimEnd' : 'notSeenYet', attempt: wait.attempts };
}

/** The same in English (logs, tests). */
export function waitingDetail(record: ElevationRecord): string {
  const words = waitingWords(record);
  return words ? englishProgressText(words) : '';
}

async function giveUp(deps: AwaitPowerPlatformDeps, current: Current, error: NotAnAdminError): Promise<Current | undefined> {
  const record = current.value;
  const pimEnded = record.activeUntil !== undefined && deps.clock.now().getTime() >= Date.parse(record.activeUntil);
  const minutes = Math.round(deps.settings.propagationWindowMs / 60_000);
  const failure = pimEnded
    ? elevationFailure('PowerPlatformNotAdmin', [said('notAdminPimEnded')], [said('notAdminPimEndedHint')])
    : elevationFailure('PowerPlatformNotAdmin', [said('notAdminAfter', { minutes })], [said('notAdminAfterHint')]);
  const next = transition(
    record,
    'failed',
    deps.clock.now(),
    { failure: error.correlationId ? { ...failure, correlationId: error.correlationId } : failure },
    failure.code,
  );
  const saved = await deps.store.updateElevation(next, current.version);
  if (!saved) return undefined;
  await audit(deps, 'failed', { record: saved.value });
  await deps.presenter.show(saved.value);
  // The card may be far up the chat after a long wait: a new message says how it ended.
  await deps.presenter.tell(saved.value);
  await deps.notifier.elevationChanged(saved.value);
  return saved;
}

/**
 * The propagation timer: tries again with the requester's token, on whichever instance claimed the
 * timer. Without a usable token (a restart, another instance) it asks Teams for one, once, and looks
 * again at the next try; the requester's sign-in or **Continue** brings the try forward.
 */
export async function retryPowerPlatform<D extends AwaitPowerPlatformDeps>(
  deps: D,
  timer: DurableTimer,
  run: (deps: D, id: string) => Promise<ElevationRecord | undefined>,
): Promise<TimerOutcome> {
  const current = await deps.store.getElevation(timer.subject);
  if (!current || current.value.state !== 'elevating' || !current.value.propagation) return 'done';
  const record = current.value;
  if (!deps.tokens.hasSession(record.requester.aadObjectId)) return needToken(deps, current);
  // This instance runs the try now (compare-and-swap): an instance that restarts meanwhile leaves it alone.
  const taken = await deps.store.updateElevation({ ...record, worker: deps.settings.instanceId, updatedAt: deps.clock.now().toISOString() }, current.version);
  if (!taken) return 'done';
  const after = await run(deps, record.id);
  return after?.state === 'elevating' && after.propagation ? { retryAt: new Date(after.propagation.nextTryAt) } : 'done';
}

async function needToken(deps: AwaitPowerPlatformDeps, current: Current): Promise<TimerOutcome> {
  const record = current.value;
  const wait = record.propagation!;
  const now = deps.clock.now();
  if (now.getTime() >= Date.parse(wait.deadline)) {
    const failure = elevationFailure('SignInRequired', [said('signInWaitRanOut')], [said('signInWaitRanOutHint')]);
    const saved = await deps.store.updateElevation(transition(record, 'failed', now, { failure }, failure.code), current.version);
    if (saved) {
      await audit(deps, 'failed', { record: saved.value });
      await deps.presenter.show(saved.value);
      await deps.presenter.tell(saved.value);
      await deps.notifier.elevationChanged(saved.value);
    }
    return 'done';
  }
  if (!wait.signInRequestedAt) {
    const saved = await deps.store.updateElevation(
      { ...record, propagation: { ...wait, signInRequestedAt: now.toISOString() }, updatedAt: now.toISOString() },
      current.version,
    );
    if (saved) await deps.presenter.askToSignIn(saved.value);
  }
  // Look again later, less often the longer the requester has been away (their sign-in brings it forward).
  const asked = Date.parse(wait.signInRequestedAt ?? now.toISOString());
  const waitMs = Math.min(MAX_WAIT_MS, Math.max(deps.settings.propagationRetryMs, now.getTime() - asked));
  return { retryAt: new Date(Math.min(now.getTime() + waitMs, Date.parse(wait.deadline))) };
}

/**
 * The requester is signed in again (Teams SSO after Elevate's sign-in card, a **Continue** tap, or
 * the interactive sign-in): their elevations waiting for Power Platform try again now. Returns how
 * many were brought forward. Never sends a second PIM request: these are already past activation.
 */
export async function resumeWaiting(deps: AwaitPowerPlatformDeps, aadObjectId: string): Promise<number> {
  const waiting = (await deps.store.listElevationsByRequester(aadObjectId)).filter((r) => r.value.state === 'elevating' && r.value.propagation);
  for (const { value } of waiting) {
    await deps.timers.schedule({
      id: propagationTimerId(value.id),
      kind: PROPAGATION_KIND,
      subject: value.id,
      dueAt: deps.clock.now().toISOString(),
      payload: {},
    });
  }
  return waiting.length;
}

export type ContinueOutcome =
  | { kind: 'notFound' }
  | { kind: 'notYours'; record: ElevationRecord }
  /** Not waiting for Power Platform (any more): the card shows where it is. */
  | { kind: 'notWaiting'; record: ElevationRecord }
  /** The requester has no usable token here: sign in first; the wait resumes by itself afterwards. */
  | { kind: 'signInNeeded'; record: ElevationRecord }
  | { kind: 'resumed'; record: ElevationRecord };

/**
 * **Continue** on the card Elevate sends when it lost the requester's token: checks who taps (card
 * data is never trusted) and brings the next try forward. Never activates PIM again.
 */
export async function continueWaiting(deps: AwaitPowerPlatformDeps, tapperObjectId: string, requestId: string): Promise<ContinueOutcome> {
  const current = await deps.store.getElevation(requestId);
  if (!current) return { kind: 'notFound' };
  const record = current.value;
  if (record.requester.aadObjectId.toLowerCase() !== tapperObjectId.toLowerCase()) return { kind: 'notYours', record };
  if (record.state !== 'elevating' || !record.propagation) return { kind: 'notWaiting', record };
  if (!deps.tokens.hasSession(record.requester.aadObjectId)) return { kind: 'signInNeeded', record };
  await resumeWaiting(deps, record.requester.aadObjectId);
  return { kind: 'resumed', record };
}

/**
 * An elevation found in `elevating` after a restart (or left by a silent instance): its PIM role is
 * active, and the Power Platform step needs the requester's token, which is gone with the process.
 * It becomes a wait on the propagation timer, due now, which asks Teams for the token and carries on.
 */
export async function waitForToken(deps: AwaitPowerPlatformDeps, current: Current): Promise<void> {
  const record = current.value;
  const now = deps.clock.now().toISOString();
  const propagation = record.propagation ?? { since: now, attempts: 0, nextTryAt: now, deadline: deadlineFor(deps, record, now) };
  const saved = await deps.store.updateElevation({ ...record, propagation, worker: deps.settings.instanceId, updatedAt: now }, current.version);
  if (!saved) return;
  await deps.timers.schedule({ id: propagationTimerId(record.id), kind: PROPAGATION_KIND, subject: record.id, dueAt: now, payload: {} });
}
