import { HttpError } from '../../domain/errors.js';

/**
 * Why a call or a token request failed, in one line for a check's detail: Entra's `AADSTS…` line
 * (msal-node puts the server's description in `errorMessage`, the number in `errorNo`), or the HTTP
 * status and service code. Only the first line: Entra appends trace and correlation ids. Never a
 * token or a secret (neither is in these messages).
 */
export interface FailureFacts {
  /** AADSTS number, e.g. `7000215`. */
  aadsts?: string;
  /** OAuth `error` (`invalid_client`) or msal's `errorCode`. */
  code?: string;
  status?: number;
  serviceCode?: string;
  text: string;
}

type Dict = Record<string, unknown>;

function chain(error: unknown): Dict[] {
  const found: Dict[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    found.push(current as Dict);
    current = (current as Dict)['cause'];
  }
  return found;
}

function firstLine(text: string): string {
  return text.split(/\r?\n|\\r\\n/)[0]!.trim();
}

export function failureFacts(error: unknown): FailureFacts {
  const links = chain(error);
  const http = links.find((l): l is Dict & HttpError => l instanceof HttpError);
  if (http) return { status: http.status, ...(http.serviceCode ? { serviceCode: http.serviceCode } : {}), text: firstLine(http.message) };
  const messages = links.flatMap((l) => [l['errorMessage'], l['message']]).filter((m): m is string => typeof m === 'string' && m !== '');
  const withAadsts = messages.find((m) => /AADSTS\d+/.test(m));
  const aadsts = links.map((l) => l['errorNo']).find((n) => n !== undefined && n !== '') ?? /AADSTS(\d+)/.exec(withAadsts ?? '')?.[1];
  const code = links.map((l) => l['errorCode']).find((c): c is string => typeof c === 'string' && c !== '');
  const text = withAadsts ? firstLine(withAadsts.slice(withAadsts.indexOf('AADSTS'))) : firstLine(messages[0] ?? String(error));
  return { ...(aadsts !== undefined ? { aadsts: String(aadsts) } : {}), ...(code ? { code } : {}), text };
}

/** True when msal-node or Entra said any of these (AADSTS numbers or OAuth error codes) anywhere in the chain. */
export function said(error: unknown, ...codes: string[]): boolean {
  const facts = failureFacts(error);
  const all = chain(error)
    .flatMap((l) => [l['errorMessage'], l['message'], l['errorCode']])
    .filter((v): v is string => typeof v === 'string')
    .join(' ');
  return codes.some((c) => facts.aadsts === c || facts.code === c || new RegExp(`\\b(AADSTS)?${c}\\b`).test(all));
}
