/**
 * Typed errors. Adapters translate HTTP answers into these; the turn's error boundary turns them
 * into cards with what happened and what to do. Messages never contain tokens or secrets.
 */
export class ElevateError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An outbound HTTP call failed with a status we do not retry (or retries ran out). */
export class HttpError extends ElevateError {
  constructor(
    message: string,
    readonly status: number,
    /** `error.code` from a Graph/Dataverse envelope, when present. */
    readonly serviceCode: string | undefined,
    /** Graph `request-id`, Power Platform `x-ms-correlation-id`. */
    readonly correlationId: string | undefined,
    readonly body: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, serviceCode ?? `HTTP_${status}`, options);
  }
}

/** 429 beyond the retry budget. */
export class ThrottledError extends HttpError {}

/** Network failure or timeout beyond the retry budget. */
export class ServiceUnavailableError extends ElevateError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ServiceUnavailable', options);
  }
}

/** No usable SSO session: the bot must show a sign-in (OAuth) card. */
export class SignInRequiredError extends ElevateError {
  constructor(message = 'Sign-in is required.', options?: { cause?: unknown }) {
    super(message, 'SignInRequired', options);
  }
}

/** Entra answered interaction/consent required: the user must sign in with these claims. */
export class StepUpRequiredError extends ElevateError {
  constructor(
    message: string,
    readonly claims: string | undefined,
    readonly reason: 'consent' | 'mfa' | 'authenticationContext' | 'interaction',
    options?: { cause?: unknown },
  ) {
    super(message, 'StepUpRequired', options);
  }
}

/** Power Platform answered "not either a Global admin, Power Platform admin, or Dynamics 365 admin". */
export class NotAnAdminError extends ElevateError {
  constructor(
    message: string,
    readonly correlationId: string | undefined,
  ) {
    super(message, 'NotAnAdmin');
  }
}

/** Card data or a command failed server-side validation. `userMessage` is safe to show. */
export class ValidationError extends ElevateError {
  constructor(readonly userMessage: string) {
    super(userMessage, 'ValidationFailed');
  }
}
