import type { ElevationRecord } from '../../domain/elevation.js';
import type { FreshSignInRequirement } from '../../domain/fresh-sign-in.js';
import { ENGLISH, type Texts } from '../locale/texts.js';
import { renderFailureCard } from './failure-card.js';
import type { AdaptiveCard } from './render.js';

/**
 * The answer to an Approve that needs a fresh strong sign-in (issue #18): what is asked and why,
 * and **Sign in** (the interactive sign-in with the authentication context's claims challenge). The
 * approver's vote waits until they come back; the approval card then shows it. In the tapping
 * approver's language (the invoke's Teams locale).
 */
export function approvalSignInCard(record: ElevationRecord, requirement: FreshSignInRequirement, signInUrl: string, texts: Texts = ENGLISH): AdaptiveCard {
  const s = texts.c.strongSignIn;
  return renderFailureCard(
    {
      title: s.title,
      message: texts.fill(s.message, {
        requester: record.requester.name,
        role: record.roleName ?? texts.c.common.administratorRole,
        environment: record.environment.displayName,
        context: requirement.authenticationContext,
      }),
      hint: s.hint,
      requestId: record.id,
      signInUrl,
    },
    texts,
  );
}
