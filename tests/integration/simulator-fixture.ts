import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import {
  ConfidentialClientApplication,
  PublicClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { graphScopes } from '../../src/adapters/identity/msal-token-broker.js';
import { request, type HttpResponse } from '../harness/https.js';
import { startSimulator, type RunningSimulator } from '../simulator/index.js';
import { PROBE_HEADER } from '../simulator/entra/scope-log.js';
import { AAD_APP_CLIENT_ID, AAD_APP_CLIENT_SECRET, TENANT_ID } from '../simulator/tenant/seed.js';

/**
 * An in-process tenant simulator for integration tests, with real msal-node clients. msal-node 7
 * sends its requests with the global `fetch`, which trusts NODE_EXTRA_CA_CERTS only if it was set
 * when this process started, and the simulator's CA is made later; so the apps get a
 * `system.networkClient` that trusts the CA explicitly. Everything above the transport (metadata,
 * request building, response and error parsing, id_token and client_info handling) is msal-node's.
 */
class TrustingNetworkClient implements INetworkModule {
  constructor(
    private readonly ca: string,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private send<T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, headers: { ...options?.headers, ...this.extraHeaders }, ca: this.ca, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
          resolve({ headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T, status: res.statusCode ?? 0 });
        });
      });
      req.on('error', reject);
      req.end(method === 'POST' ? (options?.body ?? '') : undefined);
    });
  }
}

/** The delegated Graph scopes Elevate asks for (one list: src/adapters/identity/permissions.ts). */
export const GRAPH_SCOPES = [...graphScopes('https://graph.microsoft.com')];
export const PP_SCOPE = 'https://api.powerplatform.com/.default';
export const ME = "filterByCurrentUser(on='principal')";
export const REQUESTS = '/graph/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';

export interface MsalError {
  errorCode: string;
  errorMessage: string;
  subError: string;
  claims?: string;
}

/** Starts one simulator for the suite (port 0, temporary data dir) and resets it before each test. */
export class SimulatorFixture {
  sim!: RunningSimulator;
  private dataDir = '';

  install(): void {
    before(async () => {
      this.dataDir = mkdtempSync(path.join(os.tmpdir(), 'elevate-sim-test-'));
      this.sim = await startSimulator({ port: 0, dataDir: this.dataDir });
    });
    after(async () => {
      await this.sim?.close();
      rmSync(this.dataDir, { recursive: true, force: true });
    });
    beforeEach(() => this.sim.state.reset());
  }

  /**
   * An msal-node client of the simulator for tests that probe it: its token requests carry the
   * `x-elevate-probe` header, so the scopes they ask on purpose are not taken for Elevate's own
   * (tests/support/permission-audit.ts). `elevateApp()` is the client the production code uses.
   */
  app(clientId = AAD_APP_CLIENT_ID, clientSecret = AAD_APP_CLIENT_SECRET, tenant = TENANT_ID): ConfidentialClientApplication {
    return this.client(clientId, clientSecret, tenant, { [PROBE_HEADER]: 'simulator test' });
  }

  /** msal-node as Elevate's token broker uses it: what it asks for counts as Elevate's own request. */
  elevateApp(): ConfidentialClientApplication {
    return this.client(AAD_APP_CLIENT_ID, AAD_APP_CLIENT_SECRET, TENANT_ID, {});
  }

  private client(clientId: string, clientSecret: string, tenant: string, headers: Record<string, string>): ConfidentialClientApplication {
    return new ConfidentialClientApplication({
      auth: {
        clientId,
        clientSecret,
        authority: `${this.sim.baseUrl}/${tenant}`,
        knownAuthorities: [new URL(this.sim.baseUrl).host],
        clientCapabilities: ['cp1'],
      },
      system: { networkClient: new TrustingNetworkClient(this.sim.ca, headers) },
    });
  }

  /** A public client (device code flow) of the simulator, e.g. the doctor's operator client. */
  publicApp(clientId: string, tenant = TENANT_ID): PublicClientApplication {
    return new PublicClientApplication({
      auth: { clientId, authority: `${this.sim.baseUrl}/${tenant}`, knownAuthorities: [new URL(this.sim.baseUrl).host] },
      system: { networkClient: new TrustingNetworkClient(this.sim.ca) },
    });
  }

  call(method: string, pathAndQuery: string, token?: string, body?: unknown): Promise<HttpResponse> {
    return request(`${this.sim.baseUrl}${pathAndQuery}`, { method, body, ca: this.sim.ca, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  }

  async ssoToken(userId: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await this.call('POST', '/_control/sso-token', undefined, { userId, ...extra });
    return (res.body as { token: string }).token;
  }

  async obo(userId: string, scopes: string[], sso: Record<string, unknown> = {}): Promise<string> {
    const result = await this.app().acquireTokenOnBehalfOf({ oboAssertion: await this.ssoToken(userId, sso), scopes });
    assert.ok(result?.accessToken);
    return result.accessToken;
  }

  async appToken(resource: string): Promise<string> {
    const result = await this.app().acquireTokenByClientCredential({ scopes: [`${resource}/.default`] });
    assert.ok(result?.accessToken);
    return result.accessToken;
  }
}

export async function msalError(run: () => Promise<unknown>): Promise<MsalError> {
  return run().then(
    () => assert.fail('the exchange succeeded'),
    (e: unknown) => e as MsalError,
  );
}

export function activation(principalId: string, roleDefinitionId: string, duration: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    action: 'selfActivate',
    principalId,
    roleDefinitionId,
    directoryScopeId: '/',
    justification: 'INC-123 broken flow',
    scheduleInfo: { startDateTime: new Date().toISOString(), expiration: { type: 'AfterDuration', duration } },
    ...extra,
  };
}

export function errorOf(res: HttpResponse): { code: string; message: string } {
  return (res.body as { error: { code: string; message: string } }).error;
}
