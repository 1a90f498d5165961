import type { EnvironmentRef } from '../domain/environment.js';
import type { TokenSource } from './token-broker.js';

export interface ApplyAdminRoleResult {
  /** `UserExists` is the evidence of success (docs/api-contracts.md §3). */
  code: string;
  details: string[];
  correlationId?: string;
}

/** Power Platform API (docs/api-contracts.md §3), always on the user's own on-behalf-of token. */
export interface PowerPlatform {
  listEnvironments(token: TokenSource): Promise<EnvironmentRef[]>;
  /** Self-elevation to System Administrator. Throws NotAnAdminError for the "not either a Global admin…" answer. */
  applyAdminRole(token: TokenSource, environmentId: string): Promise<ApplyAdminRoleResult>;
}
