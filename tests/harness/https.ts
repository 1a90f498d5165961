import http from 'node:http';
import https from 'node:https';

/**
 * A small JSON-over-HTTP(S) client for the harness. The simulator's CA is made after the mocha
 * process has started, and Node reads `NODE_EXTRA_CA_CERTS` only at start, so the CA is passed
 * explicitly per request (`ca`). Plain http is for the bot, which listens on loopback only.
 * Every request uses its own agent (`agent: false`): no keep-alive socket outlives a test.
 */
export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string or a Buffer. */
  body?: unknown;
  /** PEM text of the CA(s) to trust for https URLs. */
  ca?: string | Buffer;
  timeoutMs?: number;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON when the body is JSON, the text otherwise, `undefined` when empty. */
  body: T;
  text: string;
}

export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly text: string,
  ) {
    super(`${method} ${url} answered ${status}: ${text.slice(0, 500)}`);
    this.name = 'HttpError';
  }
}

function encodeBody(body: unknown, headers: Record<string, string>): Buffer | undefined {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  return Buffer.from(JSON.stringify(body));
}

function decodeBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** One request; resolves with any HTTP status (callers decide what is an error), rejects on network errors. */
export function request<T = unknown>(url: string, options: HttpRequest = {}): Promise<HttpResponse<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const payload = encodeBody(options.body, headers);
  if (payload) headers['Content-Length'] = String(payload.length);
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      target,
      { method, headers, agent: false, ...(options.ca !== undefined ? { ca: options.ca } : {}), timeout: options.timeoutMs ?? 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: decodeBody(text) as T, text });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${options.timeoutMs ?? 30_000} ms`)));
    req.on('error', (error) => reject(new Error(`${method} ${url} failed: ${error.message}`, { cause: error })));
    req.end(payload);
  });
}

/** A client bound to a base URL (and CA) that throws `HttpError` on non-2xx answers. */
export class JsonClient {
  constructor(
    readonly baseUrl: string,
    private readonly ca?: string | Buffer,
  ) {}

  url(path: string): string {
    return `${this.baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  }

  /** Any status, no throwing. */
  raw<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResponse<T>> {
    return request<T>(this.url(path), { method, body, ...(headers ? { headers } : {}), ...(this.ca !== undefined ? { ca: this.ca } : {}) });
  }

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.raw<T>(method, path, body);
    if (res.status < 200 || res.status > 299) throw new HttpError(method, this.url(path), res.status, res.text);
    return res.body;
  }

  get<T = unknown>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body ?? {});
  }

  put<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }
}
