import { HttpError } from '../../domain/errors.js';

/** PIM error codes of roleAssignmentScheduleRequests that Elevate explains to the requester (docs/api-contracts.md §2). */
export const PIM_REQUEST_ERROR_CODES: ReadonlySet<string> = new Set([
  'RoleAssignmentExists',
  'RoleAssignmentDoesNotExist',
  'RoleAssignmentRequestPolicyValidationFailed',
  'ActiveDurationTooShort',
  'RoleAssignmentRequestAcrsValidationFailed',
]);

/**
 * Graph refused a PIM schedule request. `rules` names the failed policy rules
 * (`ExpirationRule`, `JustificationRule`, `TicketingRule`, `MfaRule`, ...); `claims` is the
 * claims challenge (JSON) of an authentication-context failure, for the step-up sign-in.
 */
export class PimRequestError extends HttpError {
  constructor(
    source: HttpError,
    readonly rules: string[],
    readonly claims?: string,
  ) {
    super(source.message, source.status, source.serviceCode, source.correlationId, source.body, { cause: source });
  }
}

/** `The following policy rules failed: ["ExpirationRule","JustificationRule"]` → the rule names. */
export function parseFailedRules(message: string): string[] {
  const list = /\[([^\]]*)\]/.exec(message)?.[0];
  if (list) {
    try {
      const parsed: unknown = JSON.parse(list);
      if (Array.isArray(parsed)) return parsed.filter((r): r is string => typeof r === 'string' && r !== '');
    } catch {
      // Not JSON (e.g. unquoted names): fall back to picking the rule names out of the text.
    }
  }
  return [...new Set(message.match(/\b[A-Z][A-Za-z]*Rule\b/g) ?? [])];
}

/**
 * The claims challenge in an authentication-context failure. Seen URL-encoded after `claims=`
 * (`...&claims=%7B%22access_token%22%3A%7B%22acrs%22...`) [3P: docs/api-contracts.md §2; Omnicit.PIM tests],
 * and tolerated as raw JSON after `claims=` too.
 */
export function parseClaims(message: string): string | undefined {
  const start = message.search(/claims=/i);
  if (start < 0) return undefined;
  const rest = message.slice(start + 'claims='.length);
  if (rest.startsWith('{')) return balancedJson(rest);
  const encoded = /^[^\s&"']+/.exec(rest)?.[0];
  if (!encoded) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

function balancedJson(text: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(0, i + 1);
  }
  return undefined;
}

/** Wraps the PIM answers Elevate explains; anything else is returned unchanged. */
export function toPimError(error: unknown): unknown {
  if (!(error instanceof HttpError) || error.serviceCode === undefined || !PIM_REQUEST_ERROR_CODES.has(error.serviceCode)) return error;
  const message = graphMessage(error.body) ?? '';
  const rules = error.serviceCode === 'RoleAssignmentRequestPolicyValidationFailed' ? parseFailedRules(message) : [];
  const claims = error.serviceCode === 'RoleAssignmentRequestAcrsValidationFailed' ? parseClaims(message) : undefined;
  return new PimRequestError(error, rules, claims);
}

function graphMessage(body: unknown): string | undefined {
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' ? message : undefined;
}
