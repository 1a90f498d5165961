/** A scripted `fetch`: answers each call with the next reply and records what was sent. */
export interface FakeReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Reject instead of answering (network failure). */
  error?: unknown;
  /** Never answer; reject when the request's signal aborts (timeouts). */
  hang?: boolean;
}

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export class FakeFetch {
  readonly calls: RecordedCall[] = [];
  private readonly replies: FakeReply[];

  constructor(
    replies: FakeReply[],
    private readonly fallback?: FakeReply,
  ) {
    this.replies = [...replies];
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const text = typeof init?.body === 'string' ? init.body : undefined;
    this.calls.push({ url: String(input), method: init?.method ?? 'GET', headers, body: text === undefined ? undefined : JSON.parse(text) });
    const reply = this.replies.shift() ?? this.fallback;
    if (!reply) throw new Error(`unexpected call ${String(input)}`);
    if (reply.error) throw reply.error;
    if (reply.hang) return hang(init?.signal ?? undefined);
    const payload = reply.body === undefined ? null : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    return new Response(payload, { status: reply.status ?? 200, headers: { 'content-type': 'application/json', ...reply.headers } });
  };
}

function hang(signal: AbortSignal | undefined): Promise<Response> {
  return new Promise((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** The error undici's fetch throws when nothing listens on the port. */
export function connectionRefused(): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
}

export function connectionReset(): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
}

/** A clock whose `sleep` returns at once and moves time forward by the requested amount. */
export class FakeClock {
  readonly sleeps: number[] = [];
  constructor(public time = Date.parse('2026-01-01T10:00:00Z')) {}
  readonly now = (): number => this.time;
  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.time += ms;
  };
}

export const staticToken =
  (value = 'token-1') =>
  async () =>
    value;
