import { USERS } from '../../harness/index.js';
import type { TeamsActivity } from '../../harness/index.js';
import type { TamperCase } from './tampered-requests.js';

const APPROVE = 'elevate.approve';
const DENY = 'elevate.deny';
const NOT_APPROVER = /not an approver of this request/;
const approveAs = (by: TamperCase['by'], name: string, extra: Partial<TamperCase> = {}): TamperCase => ({
  name,
  by,
  verb: APPROVE,
  data: (s) => ({ requestId: s.pending }),
  card: 'approval',
  status: 200,
  says: NOT_APPROVER,
  ...extra,
});
const asMegan = (activity: TeamsActivity, changes: Record<string, unknown>): TeamsActivity => ({ ...activity, ...changes });

/** Approver side: forged approvals and denials of Adele's Contoso UAT request (1 of Megan and Nestor). */
export const TAMPERED_APPROVALS: TamperCase[] = [
  approveAs('adele', 'Adele approves her own request', { says: /you cannot approve or deny your own request/ }),
  approveAs('adele', 'Adele denies her own request', {
    verb: DENY,
    data: (s) => ({ requestId: s.pending, reason: 'no' }),
    says: /you cannot approve or deny your own request/,
  }),
  approveAs('lee', 'Lee (no approver) approves'),
  approveAs('alex', 'Alex (no approver) approves'),
  approveAs('lee', 'Lee approves with a card that names Megan as approver', {
    data: (s) => ({ requestId: s.pending, approverId: USERS.megan.id, approverUserIds: [USERS.lee.id] }),
  }),
  approveAs('lee', 'Lee denies', { verb: DENY, data: (s) => ({ requestId: s.pending, reason: 'not now' }) }),
  approveAs('megan', 'Megan denies without a reason', { verb: DENY, says: /A Deny needs a reason/ }),
  approveAs('megan', 'Megan denies with a reason of blanks', {
    verb: DENY,
    data: (s) => ({ requestId: s.pending, reason: ' \n\t ' }),
    says: /A Deny needs a reason/,
  }),
  approveAs('megan', 'Megan denies with a reason that is a list', {
    verb: DENY,
    data: (s) => ({ requestId: s.pending, reason: ['no'] }),
    says: /A Deny needs a reason/,
  }),
  approveAs('megan', 'Megan approves a request that does not exist', {
    data: () => ({ requestId: 'f0000000-0000-4000-8000-000000000000' }),
    says: /does not exist/,
  }),
  approveAs('megan', 'Megan approves a request id that is a number', { data: () => ({ requestId: 7 }), says: /does not exist/ }),
  approveAs('megan', "Megan approves Adele's Contoso Dev draft (no approval needed)", {
    data: (s) => ({ requestId: s.draft }),
    says: /does not need approval/,
  }),
  approveAs('megan', 'Megan approves with a decision field saying deny-and-approve', {
    verb: 'elevate.approve.deny',
    says: /This button is no longer supported/,
  }),
  approveAs('lee', 'Lee approves through the PIM approval verb', {
    verb: 'elevate.pimApprove',
    says: /Signing you in|no longer waiting for approval/,
  }),
  approveAs('adele', 'Adele approves her own request through the PIM approval verb', {
    verb: 'elevate.pimApprove',
    says: /no longer waiting for approval/,
  }),
  approveAs('megan', 'Megan denies through the PIM verb without a reason', { verb: 'elevate.pimDeny', says: /no longer waiting for approval/ }),
  approveAs('lee', 'Lee refreshes the approval card (read-only: no buttons for him)', { verb: 'elevate.approvalRefresh', says: /Contoso UAT/ }),
  approveAs('megan', "Megan's approval sent from another tenant", {
    activity: (a) => asMegan(a, { channelData: { tenant: { id: '00000000-0000-4000-8000-00000000bad0' } } }),
    status: 403,
    says: undefined,
  }),
  approveAs('lee', "Megan's object id from Lee's Teams user id", {
    activity: (a) => asMegan(a, { from: { id: `29:${USERS.lee.id}`, aadObjectId: USERS.megan.id, name: 'Megan Bowen' } }),
    status: 403,
    says: undefined,
  }),
  approveAs('lee', "Megan's object id without a Teams user id Elevate knows", {
    activity: (a) => asMegan(a, { from: { id: '29:forged', aadObjectId: USERS.megan.id, name: 'Megan Bowen' } }),
    status: 403,
    says: undefined,
  }),
];
