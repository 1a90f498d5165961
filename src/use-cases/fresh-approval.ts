import { proveFreshSignIn, type FreshSignInRefusal, type SignInEvidence } from '../domain/fresh-sign-in.js';
import type { ElevationRecord } from '../domain/elevation.js';
import { audit } from './audit-trail.js';
import { decideApproval, type DecideOutcome, type RequestApprovalDeps } from './request-approval.js';

/** An approver back from the interactive sign-in started for their Approve tap. */
export interface FreshApprovalInput {
  elevationId: string;
  /** Entra object id of the approver who tapped (the one the sign-in was started for). */
  approverId: string;
  approverName?: string;
  /** When Elevate asked for the sign-in (ISO): the token must not be older. */
  tapAt: string;
  /** What the token the sign-in returned says (signature and audience already checked). */
  evidence: SignInEvidence;
}

export type FreshApprovalOutcome = DecideOutcome | { kind: 'signInRefused'; reason: FreshSignInRefusal; record?: ElevationRecord };

const REFUSAL_TEXT: Record<FreshSignInRefusal, string> = {
  otherUser: 'the sign-in was made by another user than the approver who tapped',
  missingContext: 'the token does not carry the authentication context',
  issuedBeforeTap: 'the token was issued before the tap',
};

/**
 * Casts an approver's Approve once the sign-in started for that tap came back (issue #18): the
 * token must be the approver's, carry the rule's authentication context in `acrs`, and be issued
 * after the tap (domain/fresh-sign-in.ts). Then the vote goes through `decideApproval` like any
 * other (membership, compare-and-swap, one vote per approver) with its proof, which the record, the
 * cards and the audit log keep. A token that does not prove it is audited (`signInRefused`) and
 * counts nothing. The sign-in itself is single use (its state is taken from the store), so one
 * sign-in is one vote at most.
 */
export async function approveWithFreshSignIn(deps: RequestApprovalDeps, input: FreshApprovalInput): Promise<FreshApprovalOutcome> {
  const current = await deps.store.getElevation(input.elevationId);
  const requirement = current?.value.approval?.freshSignIn;
  const base = {
    elevationId: input.elevationId,
    approverId: input.approverId,
    ...(input.approverName !== undefined ? { approverName: input.approverName } : {}),
    decision: 'approve',
  };
  // No requirement on the record (not found, or no approval): decideApproval gives the plain answer.
  if (!current || !requirement) return decideApproval(deps, base);
  const check = proveFreshSignIn(requirement, input.approverId, new Date(input.tapAt), input.evidence);
  if (!check.ok) {
    await audit(deps, 'signInRefused', {
      record: current.value,
      actor: { aadObjectId: input.approverId, ...(input.approverName !== undefined ? { name: input.approverName } : {}) },
      details: {
        refusal: check.reason,
        signIn: `not counted: ${REFUSAL_TEXT[check.reason]} (asked acrs ${requirement.authenticationContext})`,
        authenticationContext: requirement.authenticationContext,
        tokenAcrs: input.evidence.acrs.join(' ').slice(0, 100),
        tokenIssuedAt: input.evidence.issuedAt,
        tapAt: input.tapAt,
      },
    });
    return { kind: 'signInRefused', reason: check.reason, record: current.value };
  }
  return decideApproval(deps, { ...base, proof: check.proof });
}
