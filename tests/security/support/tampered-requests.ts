import { ROLES, USERS } from '../../harness/index.js';
import { VALID_INPUTS, type Actor, type Stage } from './tamper-setup.js';
import type { TeamsActivity } from '../../harness/index.js';

/**
 * A tampered `adaptiveCard/action`: who sends it, the verb and data (or a whole value), optional
 * changes to the activity, and what Elevate must answer. Card data is never trusted: every case is
 * re-validated on the server, and none may reach PIM, Power Platform or Dataverse.
 */
export interface TamperCase {
  name: string;
  by: Actor;
  verb?: unknown;
  data?: (stage: Stage) => unknown;
  /** Replaces the whole invoke value (`{ action: { type, verb, data }, trigger }`). */
  value?: (stage: Stage) => unknown;
  activity?: (activity: TeamsActivity, stage: Stage) => TeamsActivity;
  /** The tapped card: Adele's Contoso Dev draft (default) or Megan's approval card. */
  card?: 'draft' | 'approval';
  status: number;
  /** What the card in the answer says (status 200). */
  says?: RegExp;
}

const SUBMIT = 'elevate.submit';
const NOT_YOURS = /Only the person who started this request/;
const INVALID_ROLE = /choose one of the roles offered|Choose a role/;
const UNKNOWN = /This button is no longer supported/;
const NOT_FOUND = /Request not found|no longer exists/;
const submitWith = (changes: Record<string, unknown>) => (stage: Stage) => ({ requestId: stage.draft, ...VALID_INPUTS, ...changes });
const wrongTenant = (activity: TeamsActivity): TeamsActivity => ({ ...activity, channelData: { tenant: { id: '00000000-0000-4000-8000-00000000bad0' } } });

/** Requester side: Submit, Cancel, Retry, Deactivate, Continue and refresh on Adele's requests. */
export const TAMPERED_REQUESTS: TamperCase[] = [
  // Someone else's request id
  { name: "Lee submits Adele's draft", by: 'lee', verb: SUBMIT, data: submitWith({}), status: 200, says: NOT_YOURS },
  { name: "Alex submits Adele's draft", by: 'alex', verb: SUBMIT, data: submitWith({}), status: 200, says: NOT_YOURS },
  { name: "Adele submits Alex's draft", by: 'adele', verb: SUBMIT, data: (s) => ({ ...VALID_INPUTS, requestId: s.alexDraft }), status: 200, says: NOT_YOURS },
  {
    name: "Lee cancels Adele's draft",
    by: 'lee',
    verb: 'elevate.cancel',
    data: (s) => ({ requestId: s.draft }),
    status: 200,
    says: /Only the person who started this request can cancel/,
  },
  {
    name: "Lee retries Adele's draft",
    by: 'lee',
    verb: 'elevate.retry',
    data: (s) => ({ requestId: s.draft }),
    status: 200,
    says: /Only the person who started this request can retry/,
  },
  {
    name: "Lee deactivates Adele's draft",
    by: 'lee',
    verb: 'elevate.deactivate',
    data: (s) => ({ requestId: s.draft }),
    status: 200,
    says: /Only the person|Nothing to deactivate|not active/,
  },
  {
    name: "Lee schedules a deactivation of Adele's request",
    by: 'lee',
    verb: 'elevate.deactivateLater',
    data: (s) => ({ requestId: s.pending }),
    status: 200,
    says: /Nothing to deactivate|not active/,
  },
  {
    name: "Lee continues Adele's request",
    by: 'lee',
    verb: 'elevate.continue',
    data: (s) => ({ requestId: s.pending }),
    status: 200,
    says: /Only the person|not waiting|no longer/i,
  },
  { name: "Lee refreshes Adele's request card", by: 'lee', verb: 'elevate.refreshCard', data: (s) => ({ requestId: s.draft }), status: 200, says: NOT_YOURS },
  { name: "Lee activates Adele's pending request", by: 'lee', verb: 'elevate.activate', data: (s) => ({ requestId: s.pending }), status: 200, says: NOT_YOURS },
  // Adele's own draft, tampered fields
  {
    name: 'a role Adele is not eligible for (Global Administrator)',
    by: 'adele',
    verb: SUBMIT,
    data: submitWith({ roleId: ROLES.globalAdministrator }),
    status: 200,
    says: INVALID_ROLE,
  },
  {
    name: 'a role that does not grant self-elevation (Privileged Role Administrator)',
    by: 'adele',
    verb: SUBMIT,
    data: submitWith({ roleId: ROLES.privilegedRoleAdministrator }),
    status: 200,
    says: INVALID_ROLE,
  },
  {
    name: 'a made-up role id',
    by: 'adele',
    verb: SUBMIT,
    data: submitWith({ roleId: '00000000-0000-4000-8000-000000000000' }),
    status: 200,
    says: INVALID_ROLE,
  },
  { name: 'a role id that is a number', by: 'adele', verb: SUBMIT, data: submitWith({ roleId: 62 }), status: 200, says: INVALID_ROLE },
  {
    name: 'a role id that is a list',
    by: 'adele',
    verb: SUBMIT,
    data: submitWith({ roleId: [ROLES.powerPlatformAdministrator] }),
    status: 200,
    says: INVALID_ROLE,
  },
  { name: 'a duration over the PIM maximum (30 days)', by: 'adele', verb: SUBMIT, data: submitWith({ duration: 'P30D' }), status: 200, says: /Choose at most/ },
  { name: 'a zero duration', by: 'adele', verb: SUBMIT, data: submitWith({ duration: 'PT0M' }), status: 200, says: /Choose at least/ },
  { name: 'a negative duration', by: 'adele', verb: SUBMIT, data: submitWith({ duration: '-PT1H' }), status: 200, says: /Choose a duration/ },
  {
    name: 'a duration with SQL in it',
    by: 'adele',
    verb: SUBMIT,
    data: submitWith({ duration: "PT1H'; DROP TABLE elevations;--" }),
    status: 200,
    says: /Choose a duration/,
  },
  { name: 'a duration that is a number', by: 'adele', verb: SUBMIT, data: submitWith({ duration: 60 }), status: 200, says: /Choose a duration/ },
  {
    name: 'a 10,000-character duration',
    by: 'adele',
    verb: SUBMIT,
    data: submitWith({ duration: `PT${'9'.repeat(10_000)}H` }),
    status: 200,
    says: /Choose (a duration|at most)/,
  },
  { name: 'no justification', by: 'adele', verb: SUBMIT, data: submitWith({ justification: '' }), status: 200, says: /justification/ },
  {
    name: 'a justification of invisible characters',
    by: 'adele',
    verb: SUBMIT,
    data: submitWith({ justification: '\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b' }),
    status: 200,
    says: /justification/,
  },
  {
    name: 'a 100,000-character justification',
    by: 'adele',
    verb: SUBMIT,
    data: submitWith({ justification: 'x'.repeat(100_000) }),
    status: 200,
    says: /Keep the justification under 500/,
  },
  {
    name: 'a justification that is an object',
    by: 'adele',
    verb: SUBMIT,
    data: submitWith({ justification: { text: 'INC0012345 broken flow' } }),
    status: 200,
    says: /justification/,
  },
  {
    name: 'a ticket number with markup',
    by: 'adele',
    verb: SUBMIT,
    data: submitWith({ ticketNumber: '<script>alert(1)</script>' }),
    status: 200,
    says: /ticket number is up to 64/,
  },
  {
    name: 'a 10,000-character ticket number',
    by: 'adele',
    verb: SUBMIT,
    data: submitWith({ ticketNumber: 'T'.repeat(10_000) }),
    status: 200,
    says: /ticket number is up to 64/,
  },
  // Request ids
  { name: 'no request id', by: 'adele', verb: SUBMIT, data: () => ({ ...VALID_INPUTS }), status: 200, says: NOT_FOUND },
  {
    name: 'a request id that is an object',
    by: 'adele',
    verb: SUBMIT,
    data: () => ({ ...VALID_INPUTS, requestId: { $ne: null } }),
    status: 200,
    says: NOT_FOUND,
  },
  {
    name: 'a path as request id',
    by: 'adele',
    verb: SUBMIT,
    data: () => ({ ...VALID_INPUTS, requestId: '../../../etc/passwd' }),
    status: 200,
    says: NOT_FOUND,
  },
  {
    name: 'a 100,000-character request id',
    by: 'adele',
    verb: SUBMIT,
    data: () => ({ ...VALID_INPUTS, requestId: 'r'.repeat(100_000) }),
    status: 200,
    says: NOT_FOUND,
  },
  {
    name: 'the request already waiting for approval, submitted again',
    by: 'adele',
    verb: SUBMIT,
    data: (s) => ({ ...VALID_INPUTS, requestId: s.pending }),
    status: 200,
    says: /Waiting for approval/,
  },
  {
    name: 'Activate on a request nobody approved yet',
    by: 'adele',
    verb: 'elevate.activate',
    data: (s) => ({ requestId: s.pending }),
    status: 200,
    says: /Waiting for approval|Cannot activate/,
  },
  { name: 'data that is a string', by: 'adele', verb: SUBMIT, data: () => 'requestId=all', status: 200, says: NOT_FOUND },
  { name: 'data that is a list', by: 'adele', verb: SUBMIT, data: (s) => [s.draft], status: 200, says: NOT_FOUND },
  {
    name: 'data with a __proto__ key',
    by: 'adele',
    verb: SUBMIT,
    data: () => JSON.parse('{"__proto__":{"requestId":"x","isAdmin":true}}') as unknown,
    status: 200,
    says: NOT_FOUND,
  },
  // Wrong verbs and shapes
  { name: 'a verb Elevate does not have', by: 'adele', verb: 'elevate.grantGlobalAdmin', data: (s) => ({ requestId: s.draft }), status: 200, says: UNKNOWN },
  { name: 'a verb in other letter case', by: 'adele', verb: 'Elevate.Submit', data: submitWith({}), status: 200, says: UNKNOWN },
  { name: 'a verb with a trailing space', by: 'adele', verb: `${SUBMIT} `, data: submitWith({}), status: 200, says: UNKNOWN },
  { name: 'an empty verb', by: 'adele', verb: '', data: submitWith({}), status: 200, says: UNKNOWN },
  { name: 'a verb that is a number', by: 'adele', verb: 42, data: submitWith({}), status: 200, says: UNKNOWN },
  {
    name: 'an Action.Submit instead of Action.Execute',
    by: 'adele',
    value: (s) => ({ action: { type: 'Action.Submit', verb: SUBMIT, data: submitWith({})(s) } }),
    status: 200,
    says: UNKNOWN,
  },
  { name: 'no action at all', by: 'adele', value: (s) => ({ verb: SUBMIT, data: submitWith({})(s) }), status: 200, says: UNKNOWN },
  { name: 'a value that is a string', by: 'adele', value: () => 'elevate.submit', status: 200, says: UNKNOWN },
  // Who and where
  {
    name: "Adele's own Submit from another tenant",
    by: 'adele',
    verb: SUBMIT,
    data: submitWith({}),
    activity: wrongTenant,
    status: 403,
  },
  {
    name: "Adele's object id from another Teams user id",
    by: 'lee',
    verb: SUBMIT,
    data: submitWith({}),
    activity: (a) => ({ ...a, from: { id: '29:not-adele', aadObjectId: USERS.adele.id, name: 'Adele Vance' } }),
    status: 403,
  },
];
