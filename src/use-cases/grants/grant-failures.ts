import { ElevateError, HttpError, ServiceUnavailableError, ThrottledError } from '../../domain/errors.js';
import { describeScope } from '../../domain/rbac.js';
import { inEnglish, said, type RecordWords } from '../../domain/record-text.js';
import type { RbacGrantFailure, RbacGrantRecord } from '../../domain/rbac-grant.js';

/** Whether an Authorization API error may go away by itself (so the call is read back and tried again). */
export function isPassing(error: unknown): boolean {
  return (
    error instanceof ServiceUnavailableError || error instanceof ThrottledError || (error instanceof HttpError && (error.status >= 500 || error.status === 408))
  );
}

/**
 * Every answer of the Authorization API in words for the requester and the security channel
 * (issue #14: 400 InvalidScope / PrincipalNotFound, 403, 429, 5xx and timeouts).
 */
export function grantFailureOf(grant: RbacGrantRecord, error: unknown): RbacGrantFailure {
  const correlation = error instanceof HttpError && error.correlationId ? { correlationId: error.correlationId } : {};
  const scope = describeScope(grant.scope);
  if (error instanceof ThrottledError) return worded('Throttled', [said('grantThrottled')], [said('grantAskInMinutes')], correlation);
  if (error instanceof HttpError) {
    const code = error.serviceCode ?? `HTTP_${error.status}`;
    if (code === 'InvalidScope') return worded(code, [said('grantInvalidScope', { scope })], [said('grantCheckName')], correlation);
    if (code === 'PrincipalNotFound') {
      const hint = grant.principal.type === 'ApplicationUser' ? said('grantNeedsServicePrincipal') : said('grantNewAccount');
      return worded(code, [said('grantPrincipalNotFound', { name: grant.principal.name })], [hint], correlation);
    }
    if (error.status === 403) return worded('RbacIdentityNotAllowed', [said('grantIdentityNotAllowed', { scope })], [said('grantAssignIdentity')], correlation);
    if (error.status >= 500) return worded(code, [said('grantServerFailed', { status: error.status })], [said('grantAskLater')], correlation);
    return worded(code, [said('grantRefused', { status: `${error.status}${error.serviceCode ? ` ${error.serviceCode}` : ''}` })], undefined, correlation);
  }
  if (error instanceof ServiceUnavailableError) return worded('NoAnswer', [said('grantNoAnswer')], [said('grantAskLater')]);
  return worded(error instanceof ElevateError ? error.code : 'Unexpected', [said('grantCouldNotAssign')]);
}

/** A failure stored as catalogue words (each reader's language) and their English (the audit trail, older versions). */
function worded(code: string, message: RecordWords, hint?: RecordWords, extra: { correlationId?: string } = {}): RbacGrantFailure {
  return {
    code,
    message: inEnglish(message),
    ...(hint ? { hint: inEnglish(hint) } : {}),
    words: { message, ...(hint ? { hint } : {}) },
    ...extra,
  };
}
