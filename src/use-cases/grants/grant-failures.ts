import { ElevateError, HttpError, ServiceUnavailableError, ThrottledError } from '../../domain/errors.js';
import { describeScope } from '../../domain/rbac.js';
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
  if (error instanceof ThrottledError) {
    return {
      code: 'Throttled',
      message: 'Power Platform kept answering "too many requests" (429) beyond the time Elevate waits, as Retry-After asked.',
      hint: 'Ask again in a few minutes.',
      ...correlation,
    };
  }
  if (error instanceof HttpError) {
    const code = error.serviceCode ?? `HTTP_${error.status}`;
    if (code === 'InvalidScope')
      return {
        code,
        message: `Power Platform says ${scope} is not a valid scope (400 InvalidScope): it may have been deleted or renamed.`,
        hint: 'Check the name and ask again.',
        ...correlation,
      };
    if (code === 'PrincipalNotFound') {
      return {
        code,
        message: `Power Platform does not find ${grant.principal.name} in the tenant (400 PrincipalNotFound).`,
        hint:
          grant.principal.type === 'ApplicationUser'
            ? 'The app needs a service principal (enterprise application) in this tenant.'
            : 'New accounts can take a while to reach Power Platform; try again later.',
        ...correlation,
      };
    }
    if (error.status === 403) {
      return {
        code: 'RbacIdentityNotAllowed',
        message: `Power Platform refused Elevate's RBAC identity (403): it does not hold the role-based access control administrator role for ${scope}.`,
        hint: 'An administrator must assign it that role (npm run doctor, check pp.rbac-identity).',
        ...correlation,
      };
    }
    if (error.status >= 500)
      return {
        code,
        message: `Power Platform failed (${error.status}) and Elevate found no assignment when it read back.`,
        hint: 'Ask again later.',
        ...correlation,
      };
    return { code, message: `Power Platform refused the assignment (${error.status}${error.serviceCode ? ` ${error.serviceCode}` : ''}).`, ...correlation };
  }
  if (error instanceof ServiceUnavailableError) {
    return { code: 'NoAnswer', message: 'Power Platform did not answer in time, and reading back showed the role was not assigned.', hint: 'Ask again later.' };
  }
  return { code: error instanceof ElevateError ? error.code : 'Unexpected', message: 'Elevate could not assign the role.' };
}
