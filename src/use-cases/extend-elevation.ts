import { sameId } from '../domain/approval.js';
import { effectivePolicy } from '../domain/elevate-policy.js';
import type { ElevationRecord } from '../domain/elevation.js';
import { HttpError } from '../domain/errors.js';
import { checkExtension, extensionLeft } from '../domain/extension.js';
import { parseIsoDuration } from '../domain/duration.js';
import { waitsForStart } from '../domain/scheduled-start.js';
import type { Versioned } from '../ports/elevation-store.js';
import { audit } from './audit-trail.js';
import { requestExtensionApproval } from './extension-approval.js';
import { applyExtension, refuseExtension, type ExtendElevationDeps, type ExtendOutcome } from './apply-extension.js';

export type { ExtendElevationDeps, ExtendOutcome, ExtendRefusal } from './apply-extension.js';
import { pimApprovalRequired } from './lengthen-pim.js';
import { eligibleOptions } from './start-request.js';

/** A request for more time: typed (`extend [by 1h]`) or tapped (**Extend** on the reminder). Card data is never trusted. */
export interface ExtendInput {
  /** The Entra object id from the Teams activity. */
  tapperId: string;
  /** The elevation (from the card); absent for the typed command: the requester's active one that ends last. */
  elevationId?: string;
  minutes?: number;
  /** The end the card showed: a tap made for an end that has moved since is a double tap. */
  from?: string;
  justification?: string;
}

/**
 * `extend` / **Extend**: re-validates everything server-side (who taps, the record's state, break
 * glass, the Elevate policy's caps, PIM eligibility and maximum), then either puts the extension up
 * for approval (the existing approval flow, extension-approval.ts) or lengthens PIM on the
 * requester's own token and moves the end (compare-and-swap, so double taps and two instances extend once).
 */
export async function extendElevation(deps: ExtendElevationDeps, input: ExtendInput): Promise<ExtendOutcome> {
  const current = await findRecord(deps, input);
  if (!current) return { kind: 'notFound' };
  const record = current.value;
  if (!sameId(record.requester.aadObjectId, input.tapperId)) return refusedTap(deps, input, record);
  // Issue #16's scheduled elevations: nothing runs yet, so there is no end to extend from.
  if (waitsForStart(record)) return { kind: 'notStarted', record };
  if (input.from !== undefined && record.activeUntil !== undefined && input.from !== record.activeUntil && record.state === 'active')
    return { kind: 'alreadyExtended', record };
  const limits = effectivePolicy(deps.settings.policy, record.environment, record.roleId ?? '').extensions;
  const check = checkExtension(record, input.minutes, limits, deps.clock.now());
  if (!check.ok) return refuseExtension(deps, record, check.reason, check.left);
  const option = (await eligibleOptions(deps, input.tapperId, record.environment)).find((o) => o.roleId === record.roleId);
  if (!option) return refuseExtension(deps, record, 'notEligible', extensionLeft(record, limits));
  // Before Elevate's approvers are asked: PIM would hold the new activation for its own approvers.
  if (await pimApprovalRequired(deps, record.roleId ?? '')) return refuseExtension(deps, record, 'pimApprovalRequired', extensionLeft(record, limits));
  if (limits.approvalRequired) {
    const request = await requestExtensionApproval(deps, current, check.minutes, input.justification);
    return request.kind === 'requested'
      ? { kind: 'approvalRequested', record, request: request.request }
      : refuseExtension(deps, record, 'notAllowed', extensionLeft(record, limits), request.message);
  }
  return applyExtension(deps, current, check.minutes, parseIsoDuration(option.maximumDuration));
}

/** The card's elevation; for the typed command the active one that ends last, else the scheduled one that starts first. */
async function findRecord(deps: ExtendElevationDeps, input: ExtendInput): Promise<Versioned<ElevationRecord> | undefined> {
  if (input.elevationId) return deps.store.getElevation(input.elevationId);
  const all = await deps.store.listElevationsByRequester(input.tapperId);
  const mine = all.filter((r) => r.value.state === 'active' && !r.value.extends);
  const last = mine.sort((a, b) => Date.parse(b.value.activeUntil ?? '') - Date.parse(a.value.activeUntil ?? ''))[0];
  if (last) return last;
  return all.filter((r) => waitsForStart(r.value)).sort((a, b) => Date.parse(a.value.schedule!.startAt) - Date.parse(b.value.schedule!.startAt))[0];
}

async function refusedTap(deps: ExtendElevationDeps, input: ExtendInput, record: ElevationRecord): Promise<ExtendOutcome> {
  await audit(deps, 'refusedTap', { record, actor: { aadObjectId: input.tapperId }, details: { refusal: 'extension:notYours' } });
  return { kind: 'notYours' };
}

/** PIM's own refusal of the new activation, as the requester should read it. */
export function pimRefusalDetail(error: unknown): string {
  return error instanceof HttpError ? `${error.serviceCode ?? `HTTP ${error.status}`}: ${error.message}` : 'PIM did not accept the new activation.';
}
