import type { EnvironmentRef } from '../domain/environment.js';
import type { TokenSource } from './token-broker.js';

/**
 * Where a typed environment name is looked up. A user's own token lists only the environments where
 * they hold a role until an admin role is active (docs/api-contracts.md §8), so an eligible admin
 * could not name the environment they want to elevate in: the directory lists every environment with
 * Elevate's own identity when it is registered as a Power Platform management application, and falls
 * back to the requester's own listing otherwise, with the Elevate policy's optional list on top.
 */
export interface EnvironmentDirectory {
  environmentsFor(userToken: TokenSource): Promise<EnvironmentRef[]>;
}
