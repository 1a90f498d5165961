/**
 * Approvals that keep MFA (issue #18): an approver's Approve counts only after a fresh strong sign-in.
 * The tenant ties a Conditional Access authentication context (`c1`…`c99`) to MFA, phishing-resistant
 * MFA or a compliant device, with sign-in frequency "Every time"; Elevate asks for that context in the
 * interactive sign-in started for the tap (the `claims` request parameter) and counts the vote only
 * when the token that sign-in returned carries it in `acrs`, belongs to the tapper and was issued
 * after the tap (docs/api-contracts.md §9). Pure: the caller has validated the token's signature.
 */

/** What a policy rule asks of an approver's Approve. */
export interface FreshSignInRequirement {
  /** The Conditional Access authentication context id, `c1` to `c99`. */
  readonly authenticationContext: string;
}

/** How an approver proved the vote: kept on the vote, the card and the audit log (never the token). */
export interface VoteProof {
  method: 'freshSignIn';
  /** The `acrs` value the token carried (the rule's authentication context). */
  authenticationContext: string;
  /** The token's `iat`, ISO: when Entra issued it after the strong sign-in. */
  signedInAt: string;
}

/** What the token of the sign-in started for this tap says (validated by the identity adapter). */
export interface SignInEvidence {
  /** The token's `oid`. */
  objectId: string;
  /** The token's `acrs` (absent claim: empty). */
  acrs: readonly string[];
  /** The token's `iat`, ISO; undefined when the token had none. */
  issuedAt: string | undefined;
}

export type FreshSignInRefusal = 'otherUser' | 'missingContext' | 'issuedBeforeTap';
export type FreshSignInCheck = { ok: true; proof: VoteProof } | { ok: false; reason: FreshSignInRefusal };

/** Entra's authentication context ids: `c1` through `c99` (Graph `authContext`, `authenticationContextClassReference`). */
export const AUTHENTICATION_CONTEXT_ID = /^c([1-9]|[1-9][0-9])$/;

/**
 * `iat` has whole seconds and comes from Entra's clock, the tap time from Elevate's: a token issued
 * up to this much "before" the tap still counts. It cannot let an older token in by another way: the
 * token comes from the code of the sign-in whose state and PKCE verifier were made for this tap.
 */
export const ISSUED_AT_SKEW_MS = 60_000;

/** The `claims` request parameter that asks Entra for the authentication context (docs/api-contracts.md §2 "Step-up"). */
export function claimsChallenge(requirement: FreshSignInRequirement): string {
  return JSON.stringify({ access_token: { acrs: { essential: true, value: requirement.authenticationContext } } });
}

/**
 * Whether the sign-in started for `approverId`'s tap at `tapAt` proves a fresh strong sign-in:
 * the token is the tapper's (`oid`), carries the authentication context in `acrs`, and was issued
 * after the tap (within ISSUED_AT_SKEW_MS). Checked in that order, so the first reason is reported.
 */
export function proveFreshSignIn(requirement: FreshSignInRequirement, approverId: string, tapAt: Date, evidence: SignInEvidence): FreshSignInCheck {
  if (evidence.objectId.toLowerCase() !== approverId.toLowerCase()) return { ok: false, reason: 'otherUser' };
  const wanted = requirement.authenticationContext.toLowerCase();
  if (!evidence.acrs.some((value) => value.toLowerCase() === wanted)) return { ok: false, reason: 'missingContext' };
  const issued = Date.parse(evidence.issuedAt ?? '');
  if (Number.isNaN(issued) || issued < tapAt.getTime() - ISSUED_AT_SKEW_MS) return { ok: false, reason: 'issuedBeforeTap' };
  return { ok: true, proof: { method: 'freshSignIn', authenticationContext: requirement.authenticationContext, signedInAt: new Date(issued).toISOString() } };
}

/** How the vote was proved, for the audit log: the `acrs` value and the token's issue time (never the token). */
export function proofDetails(proof: VoteProof | undefined): Record<string, string> {
  if (!proof) return {};
  return {
    signIn: `strong sign-in (acrs ${proof.authenticationContext}, token issued ${proof.signedInAt})`,
    authenticationContext: proof.authenticationContext,
    signedInAt: proof.signedInAt,
  };
}
