import type { ElevationRecord } from '../../domain/elevation.js';
import type { FreshSignInRequirement } from '../../domain/fresh-sign-in.js';
import { renderFailureCard } from './failure-card.js';
import type { AdaptiveCard } from './render.js';

/**
 * The answer to an Approve that needs a fresh strong sign-in (issue #18): what is asked and why,
 * and **Sign in** (the interactive sign-in with the authentication context's claims challenge). The
 * approver's vote waits until they come back; the approval card then shows it.
 */
export function approvalSignInCard(record: ElevationRecord, requirement: FreshSignInRequirement, signInUrl: string): AdaptiveCard {
  const what = `${record.requester.name}'s request for ${record.roleName ?? 'an administrator role'} in ${record.environment.displayName}`;
  return renderFailureCard({
    title: 'Strong sign-in needed to approve',
    message:
      `Your approval of ${what} counts only after a fresh strong sign-in (Conditional Access authentication context ${requirement.authenticationContext}). ` +
      'Nothing is recorded yet.',
    hint: 'Select Sign in and complete the sign-in in the browser: your approval is recorded when you come back. The link works once. A Deny needs no sign-in.',
    requestId: record.id,
    signInUrl,
  });
}
