import { ElevateError, HttpError, NotAnAdminError } from '../../domain/errors.js';
import type { ApplyAdminRoleResult } from '../../ports/power-platform.js';

interface Entry {
  Code?: unknown;
  Description?: unknown;
  Subject?: unknown;
  code?: unknown;
  description?: unknown;
  message?: unknown;
}

interface ApplyAdminRoleBody {
  errors?: Entry[];
  information?: Entry[];
}

/** The refusal text of docs/api-contracts.md §3, loosely: wording and spacing may vary between releases. */
const NOT_AN_ADMIN = /not\s+(either\s+)?an?\s+Global\s+admin(istrator)?\s*,?\s*(a\s+)?Power\s+Platform\s+admin/i;

/** True when any part of an answer (body or message) carries the "not either a Global admin…" refusal. */
export function saysNotAnAdmin(body: unknown): boolean {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return NOT_AN_ADMIN.test(text);
}

/** `Description` is a JSON-encoded string array; a plain string is tolerated as one detail. */
export function parseDescription(description: unknown): string[] {
  if (Array.isArray(description)) return description.map(String);
  if (typeof description !== 'string' || description === '') return [];
  try {
    const parsed: unknown = JSON.parse(description);
    if (Array.isArray(parsed)) return parsed.map(String);
    if (typeof parsed === 'string') return [parsed];
  } catch {
    // Not JSON: the description is the detail itself.
  }
  return [description];
}

/**
 * Reads a 200 answer of applyAdminRole: `information[].Code` `UserExists` is the evidence of
 * success. The refusal's envelope is unconfirmed ([?] in docs/api-contracts.md §3), so a 200 whose
 * `errors[]` (or any other field) carries the "not ... admin" text is a NotAnAdminError too,
 * and any other non-empty `errors[]` is a failure rather than a silent success.
 */
export function readApplyAdminRoleAnswer(body: unknown, correlationId: string | undefined): ApplyAdminRoleResult {
  if (saysNotAnAdmin(body)) throw notAnAdmin(correlationId);
  const answer = (typeof body === 'object' && body !== null ? body : {}) as ApplyAdminRoleBody;
  const errors = Array.isArray(answer.errors) ? answer.errors : [];
  if (errors.length > 0) {
    const first = errors[0] ?? {};
    const code = text(first.Code) ?? text(first.code) ?? 'ApplyAdminRoleFailed';
    const details = parseDescription(first.Description ?? first.description ?? first.message);
    throw new HttpError(`Power Platform refused the elevation (${code}): ${details.join('; ') || 'no details'}`, 200, code, correlationId, body);
  }
  const information = Array.isArray(answer.information) ? answer.information : [];
  const entry = information.find((i) => text(i.Code) === 'UserExists') ?? information[0];
  if (!entry) throw new ElevateError('Power Platform answered applyAdminRole without a result.', 'PowerPlatformUnreadableAnswer');
  const result: ApplyAdminRoleResult = { code: text(entry.Code) ?? text(entry.code) ?? '', details: parseDescription(entry.Description ?? entry.description) };
  if (correlationId) result.correlationId = correlationId;
  return result;
}

export function notAnAdmin(correlationId: string | undefined): NotAnAdminError {
  return new NotAnAdminError('Power Platform does not see you as a Global, Power Platform or Dynamics 365 administrator yet.', correlationId);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
