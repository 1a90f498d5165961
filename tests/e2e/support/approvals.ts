import { ENVIRONMENTS, USERS, type TeamsUser } from '../../harness/index.js';

export const APPROVE = 'elevate.approve';
export const ACTIVATE = 'elevate.activate';

/** Eight more approvers for the simulated tenant, so that a rule can have ten (2 of 10). */
export const EXTRA_APPROVERS: TeamsUser[] = Array.from({ length: 8 }, (_, i) => ({
  id: `a0000000-0000-4000-8000-0000000a000${i + 1}`,
  name: `Approver ${i + 1}`,
  upn: `approver${i + 1}@contoso.example`,
}));
export const TEN_APPROVERS: TeamsUser[] = [USERS.megan, USERS.nestor, ...EXTRA_APPROVERS];

/** The Elevate policy rule (YAML) that puts Contoso Prod behind 2 of the ten approvers; `extra` adds lines (e.g. a channel). */
export function twoOfTenRule(extra = ''): string {
  return `  - name: prod-two-of-ten
    match:
      environmentIds: [${ENVIRONMENTS.contosoProd.id}]
    approval:
      required: true
      approverUserIds: [${TEN_APPROVERS.map((u) => u.id).join(', ')}]
      approvalsRequired: 2
      pendingTimeoutMinutes: 60
${extra}`;
}
