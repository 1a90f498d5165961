import type { HttpClient } from '../../adapters/http/http-client.js';
import type { Config } from '../../config.js';
import type { ElevatePolicy } from '../../domain/elevate-policy.js';
import type { TokenSource } from '../../ports/token-broker.js';
import type { CheckId, CheckResult } from './catalog.js';

/** The operator's own delegated sign-in (device code), for what only an administrator can read. */
export interface OperatorSession {
  /** Signs in (prompting on stderr); resolves with who signed in. */
  signIn(): Promise<{ username: string }>;
  /** A Graph token of the signed-in operator. */
  token: TokenSource;
}

/** What the checks use: the bot's configuration and identities, and the operator when there is one. */
export interface DoctorDeps {
  config: Config;
  http: HttpClient;
  /** Elevate's own client-credentials token for a resource (the bot's `TokenBroker.forApp`). */
  appToken(resource: string): TokenSource;
  /** The optional RBAC identity's Power Platform token (ELEVATE_RBAC_CLIENT_ID); absent when it is off. */
  rbacToken?: TokenSource;
  /** The bot's outbound connector token (client credentials of BOT_ID at BOT_LOGIN_URL). */
  botToken(): Promise<string>;
  /** Absent with `--no-operator`. */
  operator?: OperatorSession;
  loadPolicy(path: string | undefined): ElevatePolicy;
  now(): number;
}

/** One run: the dependencies, the results so far (later checks read earlier ones) and shared reads. */
export class DoctorContext {
  readonly results = new Map<CheckId, CheckResult>();
  private readonly memos = new Map<string, Promise<unknown>>();

  constructor(readonly deps: DoctorDeps) {}

  get config(): Config {
    return this.deps.config;
  }

  /** Graph v1.0 root (`https://graph.microsoft.com/v1.0`, or the simulator's). */
  get graph(): string {
    return `${this.config.graphBaseUrl.replace(/\/+$/, '')}/v1.0`;
  }

  /** The Graph token of Elevate's own app. */
  get graphAppToken(): TokenSource {
    return this.deps.appToken(this.config.graphResource);
  }

  /** The operator's token once the operator signed in, else undefined. */
  get operatorToken(): TokenSource | undefined {
    return this.deps.operator && this.ok('operator.sign-in') ? this.deps.operator.token : undefined;
  }

  /** True when that check passed (a warning passes too). */
  ok(id: CheckId): boolean {
    const status = this.results.get(id)?.status;
    return status === 'pass' || status === 'warn';
  }

  /** A read shared by several checks runs once; a failure is shared too. */
  memo<T>(key: string, make: () => Promise<T>): Promise<T> {
    let promise = this.memos.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = make();
      promise.catch(() => undefined);
      this.memos.set(key, promise);
    }
    return promise;
  }
}
