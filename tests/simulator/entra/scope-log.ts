import { appendFileSync } from 'node:fs';
import { header, type SimRequest } from '../core/http.js';
import type { ScopeRequest } from './scopes.js';
import type { ResourceName } from '../tenant/model.js';

/**
 * Every scope a client asks Entra for, kept for the whole test suite (docs/api-contracts.md §8: an
 * on-behalf-of request for a scope nobody consented fails with AADSTS65001 in a real tenant). Each
 * token request appends one JSON line to the file named by `ELEVATE_SIM_SCOPE_LOG` (set by the root
 * hook in tests/support/permission-audit.ts, inherited by simulator processes), so that the suite can
 * check afterwards that everything asked is on Elevate's permission list. Tests that probe the
 * simulator with scopes on purpose mark their requests with the `x-elevate-probe` header.
 */
export interface ScopeRecord {
  clientId: string;
  grantType: string;
  /** The resource the scopes name; `unknown` when the simulator could not resolve it. */
  resource: ResourceName | 'unknown';
  /** Permission values asked (without the resource URI); empty for `.default`. */
  permissions: string[];
  isDefault: boolean;
  /** `openid`, `profile`, `offline_access`, `email` as asked. */
  oidc: string[];
  probe: boolean;
}

export const PROBE_HEADER = 'x-elevate-probe';

export function recordScopes(req: SimRequest, clientId: string, grantType: string, parsed: ScopeRequest | undefined, raw: string): void {
  const file = process.env['ELEVATE_SIM_SCOPE_LOG'];
  if (!file) return;
  const record: ScopeRecord = parsed
    ? {
        clientId,
        grantType,
        resource: parsed.resource.name,
        permissions: parsed.permissions,
        isDefault: parsed.isDefault,
        oidc: parsed.oidc,
        probe: header(req, PROBE_HEADER) !== undefined,
      }
    : {
        clientId,
        grantType,
        resource: 'unknown',
        permissions: raw.split(/\s+/).filter((s) => s !== ''),
        isDefault: false,
        oidc: [],
        probe: header(req, PROBE_HEADER) !== undefined,
      };
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}
