import { HttpError, ThrottledError } from '../../domain/errors.js';

/** Dataverse: "The user is not a member of the organization" (no enabled application user for Elevate). */
export const NOT_A_MEMBER = '0x80072560';

/**
 * Dataverse refused Elevate's application identity (401, or 403 such as `PrivilegeDenied`
 * 0x80040220): an administrator has to fix Elevate's application user in that environment.
 */
export class DataverseAccessDeniedError extends HttpError {
  constructor(
    readonly environmentUrl: string,
    source: HttpError,
  ) {
    super(accessDeniedMessage(environmentUrl, source), source.status, source.serviceCode, source.correlationId, source.body, { cause: source });
  }
}

function accessDeniedMessage(environmentUrl: string, source: HttpError): string {
  const lead = `Elevate's application user lacks privileges in ${environmentUrl}`;
  if (source.status === 401) {
    return `${lead}: Dataverse refused its token (HTTP 401). Check that Elevate's app registration is an application user of this environment.`;
  }
  const said = source.serviceCode ? ` (${source.serviceCode}${serviceMessage(source.body)})` : ' (HTTP 403)';
  const fix =
    source.serviceCode?.toLowerCase() === NOT_A_MEMBER
      ? 'Add Elevate as an enabled application user with the System Administrator security role.'
      : 'Give its application user the System Administrator security role.';
  return `${lead}${said}. ${fix}`;
}

function serviceMessage(body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' && message !== '' ? `: ${message}` : '';
}

/** Turns 401/403 answers into `DataverseAccessDeniedError`; every other failure passes through unchanged. */
export function toDataverseError(error: unknown, environmentUrl: string): unknown {
  if (error instanceof HttpError && !(error instanceof ThrottledError) && (error.status === 401 || error.status === 403)) {
    return new DataverseAccessDeniedError(environmentUrl, error);
  }
  return error;
}
