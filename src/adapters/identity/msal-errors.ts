import { AuthError, InteractionRequiredAuthError } from '@azure/msal-node';
import { ElevateError, ServiceUnavailableError, SignInRequiredError, StepUpRequiredError } from '../../domain/errors.js';

export type StepUpReason = StepUpRequiredError['reason'];

/** The parts of an msal-node error that say why Entra wants the user back (docs/api-contracts.md §1, §7). */
export interface MsalErrorFacts {
  errorCode?: string;
  subError?: string;
  /** First of the server's `error_codes`, e.g. "65001" (msal may hand it over as a number). */
  errorNo?: string | number;
  errorMessage?: string;
  claims?: string;
}

/**
 * consent_required / AADSTS65001 → consent; AADSTS50076 / 50079 (MFA, MFA registration) → mfa;
 * a claims challenge naming `acrs` → authenticationContext; anything else → interaction.
 */
export function stepUpReason(facts: MsalErrorFacts): StepUpReason {
  const aadsts = new Set<string>();
  if (facts.errorNo !== undefined && facts.errorNo !== '') aadsts.add(String(facts.errorNo));
  for (const match of (facts.errorMessage ?? '').matchAll(/AADSTS(\d+)/g)) if (match[1]) aadsts.add(match[1]);
  if (facts.subError === 'consent_required' || facts.errorCode === 'consent_required' || aadsts.has('65001')) return 'consent';
  if (aadsts.has('50076') || aadsts.has('50079')) return 'mfa';
  if (facts.claims && /"acrs"/.test(facts.claims)) return 'authenticationContext';
  return 'interaction';
}

const STEP_UP_MESSAGES: Record<StepUpReason, string> = {
  consent: 'Elevate needs your consent to act for you in Microsoft Graph and Power Platform.',
  mfa: 'Your organisation requires multi-factor authentication for this.',
  authenticationContext: 'This role requires a stronger sign-in (authentication context).',
  interaction: 'Microsoft Entra ID asks you to sign in again.',
};

/** What to do with an error of `acquireTokenOnBehalfOf`. */
export interface OboFailure {
  error: Error;
  /** True when the stored SSO token is unusable and must be dropped. */
  forgetSession: boolean;
}

/**
 * Maps msal-node errors. `InteractionRequiredAuthError` keeps `.claims` and `.subError` (unlike
 * @azure/identity, which drops the claims: docs/api-contracts.md §1) [S: msal-common ResponseHandler
 * `validateTokenResponse`, InteractionRequiredAuthError.claims/errorNo]. An `invalid_grant` that is
 * not interaction-required is an assertion Entra will no longer accept, e.g. AADSTS500133
 * "Assertion is not within its valid time range" [3P: MicrosoftDocs/azure-docs#16399].
 */
export function mapOboError(error: unknown): OboFailure {
  if (isMsalError(error, InteractionRequiredAuthError)) {
    const facts = error as unknown as MsalErrorFacts;
    const claims = facts.claims || undefined;
    const reason = stepUpReason({ ...facts, claims });
    return { error: new StepUpRequiredError(STEP_UP_MESSAGES[reason], claims, reason, { cause: error }), forgetSession: false };
  }
  if (isMsalError(error, AuthError) && (error as AuthError).errorCode === 'invalid_grant') {
    return { error: new SignInRequiredError('Your sign-in has expired: sign in again.', { cause: error }), forgetSession: true };
  }
  return { error: tokenFailure(error, 'TokenExchangeFailed', 'the on-behalf-of exchange'), forgetSession: false };
}

/** instanceof, or the same class name when another copy of msal-common threw it. */
function isMsalError(error: unknown, type: typeof AuthError): boolean {
  if (error instanceof type) return true;
  const name = (error as { name?: unknown } | undefined)?.name;
  return type === AuthError ? typeof (error as { errorCode?: unknown } | undefined)?.errorCode === 'string' : name === type.name;
}

const UNREACHABLE = new Set(['network_error', 'no_network_connectivity', 'endpoints_resolution_error']);

/** Network trouble reaching Entra is ServiceUnavailable; anything else a coded ElevateError. Never the token. */
export function tokenFailure(error: unknown, code: string, what: string): Error {
  if (error instanceof ElevateError) return error;
  const errorCode = isMsalError(error, AuthError) ? (error as AuthError).errorCode : undefined;
  if (errorCode !== undefined && UNREACHABLE.has(errorCode)) {
    return new ServiceUnavailableError(`Microsoft Entra ID could not be reached for ${what} (${errorCode}).`, { cause: error });
  }
  return new ElevateError(`Microsoft Entra ID refused ${what}${errorCode ? ` (${errorCode})` : ''}.`, code, { cause: error });
}
