import type { GrantRefusal } from '../../use-cases/grants/request-grant.js';

/** What a refused grant request says, for every refusal (issue #14: every outcome in words). */
export const REFUSALS: Record<GrantRefusal, (detail?: string) => string> = {
  off: () => 'Power Platform RBAC grants are not turned on in this Elevate (ELEVATE_RBAC_CLIENT_ID is not set).',
  unknownRole: () => 'Power Platform has no role by that name. Its roles:',
  unknownScope: () => 'I could not find that scope. Did you mean one of these?',
  ambiguousScope: () => 'That name matches several environments; say which one:',
  unknownApp: () => 'No app (service principal) of this tenant has that name or app id.',
  ambiguousApp: () => 'Several apps have that name; use the app id of one of them:',
  elevatePrincipal: () => 'Elevate never grants roles to its own identities (its app, its bot or its RBAC identity).',
  noRule: () => 'The Elevate policy allows no such grant (role, scope and who it is for).',
  notAllowedForRequester: (rule) =>
    `The Elevate policy (rule ${rule ?? ''}) does not let you ask for this. For an app, only its owners in Entra (or people the rule names) may.`,
  tenantOwnerForbidden: () => 'Owner at the tenant scope is never granted by Elevate.',
  noOtherApprover: () => 'Owner and RBAC Administrator need approval by someone other than you, and the policy names nobody else.',
  tooLong: (max) => `That is longer than the policy allows for this grant: at most ${max ?? ''}.`,
  justificationMissing: (min) => `Say why, with \`because <text>\` (at least ${min ?? ''} characters).`,
  ticketMissing: () => 'The policy needs a ticket id for this grant, e.g. `because CHG0012345 release`.',
  alreadyOpen: () => 'You already have this grant (or a request for it) open. Say `status` to see it.',
};
