import { createHash, hkdfSync } from 'node:crypto';

/**
 * How Elevate's Entra app and the bot prove who they are, read from the environment by
 * `src/config.ts` (which owns the schema). Kept apart so that the credential rules (one credential
 * for the app, none for a managed-identity bot, the PKCE verifier key) read in one place.
 */

/** Bot Framework app types Elevate supports (docs/api-contracts.md §5: MicrosoftAppType). */
export type BotType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

/**
 * Elevate's own Entra app credential. `secret` is for development; `certificate` (a PEM file with
 * the certificate and its private key) and `federatedManagedIdentity` (a token of a user-assigned
 * managed identity that the app lists as a federated identity credential) hold no secret in the
 * configuration.
 */
export type AppCredentialConfig =
  | { kind: 'secret'; secret: string }
  | { kind: 'certificate'; path: string }
  | { kind: 'federatedManagedIdentity'; managedIdentityClientId: string; audience: string };

/** The audience Entra expects on a managed identity token used as a federated credential (public cloud). */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** A credential setting of the environment that was not valid: the variable and what is wrong. */
export class CredentialConfigProblem extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

const CREDENTIAL_VARIABLES = ['AAD_APP_CLIENT_SECRET', 'AAD_APP_CLIENT_CERTIFICATE_PATH', 'AAD_APP_FEDERATED_MSI_CLIENT_ID'] as const;

export interface CredentialEnv {
  AAD_APP_CLIENT_SECRET?: string | undefined;
  AAD_APP_CLIENT_CERTIFICATE_PATH?: string | undefined;
  AAD_APP_FEDERATED_MSI_CLIENT_ID?: string | undefined;
  AAD_APP_FEDERATED_AUDIENCE: string;
}

/** Exactly one of the three credentials; the error names the variable to change. */
export function appCredential(env: CredentialEnv): AppCredentialConfig {
  const set = CREDENTIAL_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== '');
  if (set.length === 0) {
    throw new CredentialConfigProblem(
      'AAD_APP_CLIENT_SECRET',
      'is required unless AAD_APP_CLIENT_CERTIFICATE_PATH or AAD_APP_FEDERATED_MSI_CLIENT_ID is set (Elevate app credential)',
    );
  }
  if (set.length > 1) throw new CredentialConfigProblem(set[1]!, `cannot be set together with ${set[0]}: choose one credential for Elevate's app`);
  if (env.AAD_APP_CLIENT_SECRET) return { kind: 'secret', secret: env.AAD_APP_CLIENT_SECRET };
  if (env.AAD_APP_CLIENT_CERTIFICATE_PATH) return { kind: 'certificate', path: env.AAD_APP_CLIENT_CERTIFICATE_PATH };
  return { kind: 'federatedManagedIdentity', managedIdentityClientId: env.AAD_APP_FEDERATED_MSI_CLIENT_ID!, audience: env.AAD_APP_FEDERATED_AUDIENCE };
}

/** A managed-identity bot has no password; the others need one (development sign-in excepted, checked by the caller). */
export function checkBotPassword(type: BotType, password: string | undefined): void {
  if (type === 'UserAssignedMSI') {
    if (password)
      throw new CredentialConfigProblem('BOT_PASSWORD', 'must be empty when BOT_TYPE is UserAssignedMSI (connector tokens come from the managed identity)');
    return;
  }
  if (!password) throw new CredentialConfigProblem('BOT_PASSWORD', 'is required unless BOT_TYPE is UserAssignedMSI');
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const MIN_KEY_BYTES = 32;

/** `ELEVATE_SIGNIN_KEY`: at least 32 random bytes, base64. */
export function parseSignInKey(value: string): Buffer {
  if (!BASE64.test(value)) throw new CredentialConfigProblem('ELEVATE_SIGNIN_KEY', 'must be base64 (32 random bytes or more)');
  const key = Buffer.from(value, 'base64');
  if (key.length < MIN_KEY_BYTES) throw new CredentialConfigProblem('ELEVATE_SIGNIN_KEY', `must hold at least ${MIN_KEY_BYTES} bytes`);
  return key;
}

/**
 * The key every instance derives the interactive sign-in's PKCE verifier from (HMAC of the
 * sign-in's state). The verifier is never stored, so all instances must hold the same key, and it
 * must not be in the store or its backups. In this order:
 * 1. `ELEVATE_SIGNIN_KEY`, when set (recommended without a client secret: it never rotates by accident);
 * 2. derived from the client secret, as Elevate always did (a secret rotation ends sign-ins in flight);
 * 3. derived (HKDF-SHA256, its own label) from the audit key that seals new entries, which every
 *    deployment already keeps outside the store: rotating that key ends sign-ins in flight, at most
 *    15 minutes of them, whose users then sign in again.
 * Hex, as `StepUpSignIn` takes it.
 */
export function signInVerifierKey(sources: { signInKey?: Buffer; clientSecret?: string; sealingAuditKey: Buffer }): string {
  if (sources.signInKey) return sources.signInKey.toString('hex');
  if (sources.clientSecret) return createHash('sha256').update(`elevate step-up pkce\u0000${sources.clientSecret}`).digest('hex');
  return Buffer.from(hkdfSync('sha256', sources.sealingAuditKey, Buffer.alloc(0), 'elevate step-up pkce', 32)).toString('hex');
}
