import type { SimulatorState } from '../core/state.js';
import type { AssignmentInstance, EligibilityInstance, TenantModel } from '../tenant/model.js';

/** Reads of the tenant model that Graph and Power Platform share, on the simulator clock. */
function within(start: string, end: string | null, now: number): boolean {
  return Date.parse(start) <= now && (end === null || Date.parse(end) > now);
}

/** Provisioned, started and not ended. */
export function isActive(a: AssignmentInstance, now: number): boolean {
  const provisioned = a.provisionedDateTime === undefined || Date.parse(a.provisionedDateTime) <= now;
  return provisioned && within(a.startDateTime, a.endDateTime, now);
}

/** Active, or accepted by PIM and still being provisioned (a second activation must fail). */
export function isActiveOrPending(a: AssignmentInstance, now: number): boolean {
  return a.endDateTime === null || Date.parse(a.endDateTime) > now;
}

export function activeAssignments(state: SimulatorState, principalId: string): AssignmentInstance[] {
  const now = state.now();
  return state.tenant.assignments.filter((a) => a.principalId === principalId && isActive(a, now));
}

export function activeEligibilities(state: SimulatorState, principalId: string): EligibilityInstance[] {
  const now = state.now();
  return state.tenant.eligibilities.filter((e) => e.principalId === principalId && within(e.startDateTime, e.endDateTime, now));
}

/** When the role took effect: start, or the end of provisioning if later. */
export function activeSince(a: AssignmentInstance): number {
  return Math.max(Date.parse(a.startDateTime), a.provisionedDateTime === undefined ? 0 : Date.parse(a.provisionedDateTime));
}

const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** ISO 8601 duration (`PT2H`, `P1D`, `PT90M`) in milliseconds; undefined when malformed or empty. */
export function parseDuration(value: string): number | undefined {
  const text = value.trim();
  const match = DURATION.exec(text);
  if (!match || !/\d/.test(text) || text.toUpperCase().endsWith('T')) return undefined;
  const [w = 0, d = 0, h = 0, m = 0, s = 0] = match.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  return Math.round(((((w * 7 + d) * 24 + h) * 60 + m) * 60 + s) * 1000);
}

/** Groups that `memberId` belongs to, directly or through other groups. */
export function transitiveGroups(tenant: TenantModel, memberId: string): Set<string> {
  const found = new Set<string>();
  let frontier = [memberId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const group of tenant.groups) {
      if (!found.has(group.id) && group.members.some((m) => frontier.includes(m))) {
        found.add(group.id);
        next.push(group.id);
      }
    }
    frontier = next;
  }
  return found;
}
