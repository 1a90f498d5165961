import { LogLevel, PublicClientApplication, type AuthenticationResult, type DeviceCodeRequest } from '@azure/msal-node';
import { ElevateError } from '../../domain/errors.js';
import { fail, pass, skip, type CheckOutcome } from './catalog.js';
import type { DoctorContext, OperatorSession } from './context.js';
import { failureFacts, said } from './failure-text.js';
import { OPERATOR_ROLES } from './fixes.js';
import { OPERATOR_SCOPES } from './operator-scopes.js';

/**
 * The operator's delegated sign-in with the device code flow (research-9 §6): msal-node's
 * `PublicClientApplication.acquireTokenByDeviceCode`, which posts to the devicecode endpoint (derived
 * from the metadata's `token_endpoint`), hands the prompt to `deviceCodeCallback` and polls the
 * token endpoint while Entra answers `authorization_pending`. The authority is a known authority, so
 * msal-node skips instance discovery and reads only the tenant's openid-configuration (docs/api-contracts.md §7).
 */
export type DeviceCodeClient = Pick<PublicClientApplication, 'acquireTokenByDeviceCode' | 'acquireTokenSilent'>;

export interface DeviceCodeOperatorOptions {
  clientId: string;
  tenantId: string;
  authorityHost: string;
  /** Graph's token audience (GRAPH_RESOURCE). */
  graphResource: string;
  /** Where the "open … and enter the code …" message goes (stderr). */
  prompt: (message: string) => void;
  now?: () => number;
  /** Replaces msal-node (unit tests). */
  client?: DeviceCodeClient;
}

const REFRESH_MARGIN_MS = 5 * 60_000;

export class DeviceCodeOperator implements OperatorSession {
  private result: AuthenticationResult | undefined;
  private readonly client: DeviceCodeClient;
  private readonly scopes: string[];
  private readonly now: () => number;

  constructor(private readonly options: DeviceCodeOperatorOptions) {
    const host = options.authorityHost.replace(/\/+$/, '');
    this.client =
      options.client ??
      new PublicClientApplication({
        auth: { clientId: options.clientId, authority: `${host}/${options.tenantId}`, knownAuthorities: [new URL(host).host] },
        system: { loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => undefined } },
      });
    this.scopes = OPERATOR_SCOPES.map((s) => `${options.graphResource.replace(/\/+$/, '')}/${s}`);
    this.now = options.now ?? Date.now;
  }

  async signIn(): Promise<{ username: string }> {
    const request: DeviceCodeRequest = { scopes: this.scopes, deviceCodeCallback: (info) => this.options.prompt(info.message) };
    const result = await this.client.acquireTokenByDeviceCode(request);
    if (!result?.accessToken) throw new ElevateError('Microsoft Entra ID returned no token for the operator.', 'OperatorSignInFailed');
    this.result = result;
    return { username: result.account?.username ?? 'the operator' };
  }

  readonly token = async (): Promise<string> => {
    const current = this.result;
    if (!current) throw new ElevateError('The operator has not signed in.', 'OperatorNotSignedIn');
    if (current.expiresOn && current.expiresOn.getTime() - this.now() > REFRESH_MARGIN_MS) return current.accessToken;
    if (!current.account) return current.accessToken;
    this.result = (await this.client.acquireTokenSilent({ account: current.account, scopes: this.scopes })) ?? current;
    return this.result.accessToken;
  };
}

function fixFor(ctx: DoctorContext, error: unknown): string {
  const client = `the public client ${ctx.config.doctorClientId} (ELEVATE_DOCTOR_CLIENT_ID)`;
  if (said(error, '65001'))
    return `an administrator grants ${client} admin consent for ${OPERATOR_SCOPES.join(', ')}, or use a dedicated public-client app registration with exactly these (README "Running the doctor")`;
  if (said(error, '65002'))
    return `${client} is a first-party app pre-authorised for a few Graph scopes only: use Microsoft Graph Command Line Tools (the default) or a dedicated app registration`;
  if (said(error, '7000218')) return `${client} must allow public client flows (App registrations → Authentication → Allow public client flows: Yes)`;
  if (said(error, '700016')) return `${client} is not known in tenant ${ctx.config.aad.tenantId}: check ELEVATE_DOCTOR_CLIENT_ID`;
  return `run again and sign in within 15 minutes as ${OPERATOR_ROLES}, or run with --no-operator to check only what Elevate's own identities can see`;
}

function reasonOf(error: unknown): string {
  if (said(error, 'authorization_declined')) return 'the sign-in was declined';
  if (said(error, 'expired_token', 'device_code_expired')) return 'nobody signed in before the code expired';
  return failureFacts(error).text;
}

export async function operatorSignIn(ctx: DoctorContext): Promise<CheckOutcome> {
  const operator = ctx.deps.operator;
  if (!operator) return skip("--no-operator: the checks that need an administrator's sign-in are skipped; the exit status covers only the checks that ran");
  try {
    const who = await operator.signIn();
    return pass(`signed in as ${who.username} through client ${ctx.config.doctorClientId}`);
  } catch (error) {
    return fail(`no operator sign-in: ${reasonOf(error)}`, fixFor(ctx, error));
  }
}
