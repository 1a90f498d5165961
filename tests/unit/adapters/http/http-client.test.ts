import assert from 'node:assert/strict';
import { HttpClient, type HttpClientOptions, type RetryInfo } from '../../../../src/adapters/http/http-client.js';
import { HttpError, ServiceUnavailableError, SignInRequiredError, StepUpRequiredError, ThrottledError } from '../../../../src/domain/errors.js';
import { connectionRefused, connectionReset, FakeClock, FakeFetch, staticToken, type FakeReply } from '../fakes/fake-fetch.js';
import { rejection } from '../../../support/rejection.js';
import { spendTheSlice } from '../../../support/time-slice.js';

const URL_ = 'https://graph.example/v1.0/thing?$filter=x';

function setup(replies: FakeReply[], options: HttpClientOptions = {}) {
  const fake = new FakeFetch(replies);
  const clock = new FakeClock();
  const client = new HttpClient({ fetch: fake.fetch, sleep: clock.sleep, now: clock.now, random: () => 0.5, ...options });
  return { fake, clock, client };
}

const graphError = (code: string, requestId = 'req-1') => ({ error: { code, message: `${code} happened`, innerError: { 'request-id': requestId } } });

describe('HttpClient', () => {
  it('sends JSON with a bearer token and returns the parsed answer', async () => {
    const { fake, client } = setup([{ status: 201, body: { id: 'x' }, headers: { 'request-id': 'graph-req' } }]);

    const response = await client.post(URL_, staticToken('secret-token'), { a: 1 });

    assert.deepEqual(response.body, { id: 'x' });
    assert.equal(response.correlationId, 'graph-req');
    assert.equal(fake.calls[0]?.headers.authorization, 'Bearer secret-token');
    assert.equal(fake.calls[0]?.headers['content-type'], 'application/json');
    assert.deepEqual(fake.calls[0]?.body, { a: 1 });
  });

  it('hands the answer back only when the event loop has room (time-slice.ts), after timers already due', async () => {
    const { client } = setup([{ status: 200, body: { ok: true } }]);
    const events: string[] = [];
    await spendTheSlice(() => events.push('timer'));
    await client.get(URL_).then(() => events.push('answer'));
    assert.deepEqual(events, ['timer', 'answer']);
  });

  it('sends no body and no content-type when there is no body', async () => {
    const { fake, client } = setup([{ status: 204 }]);

    const response = await client.post(URL_, staticToken());

    assert.equal(response.body, undefined);
    assert.equal(fake.calls[0]?.body, undefined);
    assert.equal(fake.calls[0]?.headers['content-type'], undefined);
  });

  it('asks the token source again for every attempt', async () => {
    let issued = 0;
    const { fake, client } = setup([{ status: 503 }, { status: 200, body: {} }]);

    await client.get(URL_, async () => `token-${++issued}`);

    assert.deepEqual(
      fake.calls.map((c) => c.headers.authorization),
      ['Bearer token-1', 'Bearer token-2'],
    );
  });

  it('tells the token source which token a service answered 401 to, so a kept copy is not used again', async () => {
    const rejected: string[] = [];
    const { client } = setup([{ status: 401, body: graphError('InvalidAuthenticationToken') }]);
    const token = Object.assign(async () => 'revoked-token', { rejected: (t: string) => void rejected.push(t) });

    await rejection(client.get(URL_, token));

    assert.deepEqual(rejected, ['revoked-token']);
  });

  const retryAfterCases = [
    { header: '7', expected: 7000, why: 'seconds' },
    { header: 'Thu, 01 Jan 2026 10:00:12 GMT', expected: 12_000, why: 'an HTTP date' },
  ];
  for (const { header, expected, why } of retryAfterCases) {
    it(`waits as long as Retry-After says in ${why} before retrying a 429`, async () => {
      const { clock, client } = setup([
        { status: 429, headers: { 'retry-after': header } },
        { status: 200, body: { ok: true } },
      ]);

      const response = await client.get(URL_, staticToken());

      assert.deepEqual(response.body, { ok: true });
      assert.deepEqual(clock.sleeps, [expected]);
    });
  }

  it('backs off with jitter when there is no Retry-After, and reports each retry', async () => {
    const seen: RetryInfo[] = [];
    const { clock, client } = setup([{ status: 500 }, { status: 502 }, { status: 200, body: {} }], { baseDelayMs: 1000, maxDelayMs: 60_000 });

    await client.request({ method: 'GET', url: URL_, onRetry: (info) => seen.push(info) });

    assert.deepEqual(clock.sleeps, [750, 1500]);
    assert.deepEqual(seen, [
      { attempt: 1, delayMs: 750, status: 500, reason: 'server-error' },
      { attempt: 2, delayMs: 1500, status: 502, reason: 'server-error' },
    ]);
  });

  it('gives up with a ThrottledError carrying code and request id when 429s outlast the attempts', async () => {
    const throttled = { status: 429, headers: { 'retry-after': '1' }, body: graphError('TooManyRequests', 'req-429') };
    const { fake, client } = setup([throttled, throttled, throttled], { maxAttempts: 3 });

    const error = await rejection(client.get(URL_, staticToken('secret-token')));

    assert.ok(error instanceof ThrottledError);
    assert.equal(error.status, 429);
    assert.equal(error.serviceCode, 'TooManyRequests');
    assert.equal(error.correlationId, 'req-429');
    assert.equal(fake.calls.length, 3);
    assert.doesNotMatch(error.message, /secret-token/);
  });

  it('gives up without waiting when Retry-After goes past the total budget', async () => {
    const { fake, clock, client } = setup([{ status: 429, headers: { 'retry-after': '120' } }], { totalBudgetMs: 60_000 });

    const error = await rejection(client.get(URL_, staticToken()));

    assert.ok(error instanceof ThrottledError);
    assert.equal(fake.calls.length, 1);
    assert.deepEqual(clock.sleeps, []);
  });

  it('does not retry a 400 and maps the Graph envelope into an HttpError', async () => {
    const { fake, client } = setup([{ status: 400, body: graphError('BadRequest', 'req-400') }]);

    const error = await rejection(client.get(URL_, staticToken('secret-token')));

    assert.ok(error instanceof HttpError && !(error instanceof ThrottledError));
    assert.equal(error.status, 400);
    assert.equal(error.serviceCode, 'BadRequest');
    assert.equal(error.correlationId, 'req-400');
    assert.match(error.message, /graph\.example\/v1\.0\/thing answered HTTP 400 \(BadRequest: BadRequest happened\)/);
    assert.doesNotMatch(error.message, /secret-token|\$filter/);
    assert.equal(fake.calls.length, 1);
  });

  it('takes the Power Platform x-ms-correlation-id header as the correlation id', async () => {
    const { client } = setup([{ status: 403, body: { code: 'Forbidden', message: 'no' }, headers: { 'x-ms-correlation-id': 'pp-corr' } }]);

    const error = await rejection(client.post(URL_, staticToken()));

    assert.ok(error instanceof HttpError);
    assert.equal(error.correlationId, 'pp-corr');
    assert.equal(error.serviceCode, 'Forbidden');
  });

  it('turns network failures that outlast the attempts into ServiceUnavailableError with the cause', async () => {
    const reset = connectionReset();
    const { fake, client } = setup([{ error: reset }, { error: reset }], { maxAttempts: 2 });

    const error = await rejection(client.get(URL_, staticToken()));

    assert.ok(error instanceof ServiceUnavailableError);
    assert.equal(error.cause, reset);
    assert.match(error.message, /ECONNRESET/);
    assert.equal(fake.calls.length, 2);
  });

  it('aborts an attempt that takes longer than the per-attempt timeout', async () => {
    const fake = new FakeFetch([{ hang: true }]);
    const client = new HttpClient({ fetch: fake.fetch, perAttemptTimeoutMs: 20, maxAttempts: 1 });

    const error = await rejection(client.get(URL_, staticToken()));

    assert.ok(error instanceof ServiceUnavailableError);
    assert.match(error.message, /timed out/);
  });

  it('retries a timed-out read', async () => {
    const fake = new FakeFetch([{ hang: true }, { status: 200, body: { ok: 1 } }]);
    const client = new HttpClient({ fetch: fake.fetch, perAttemptTimeoutMs: 20, sleep: async () => {} });

    const response = await client.get(URL_, staticToken());

    assert.deepEqual(response.body, { ok: 1 });
  });

  describe('for a non-idempotent request', () => {
    const cases: { reply: FakeReply; retried: boolean; why: string }[] = [
      { reply: { status: 429, headers: { 'retry-after': '1' } }, retried: true, why: 'a 429' },
      { reply: { status: 503, headers: { 'retry-after': '1' } }, retried: true, why: 'a 503 with Retry-After' },
      { reply: { error: connectionRefused() }, retried: true, why: 'a refused connection' },
      { reply: { status: 503 }, retried: false, why: 'a 503 without Retry-After' },
      { reply: { status: 500 }, retried: false, why: 'a 500' },
      { reply: { status: 504 }, retried: false, why: 'a 504' },
      { reply: { error: connectionReset() }, retried: false, why: 'a reset connection' },
      { reply: { hang: true }, retried: false, why: 'a timeout' },
    ];
    for (const { reply, retried, why } of cases) {
      it(`${retried ? 'retries' : 'does not retry'} after ${why}`, async () => {
        const fake = new FakeFetch([reply, { status: 201, body: { id: 'r' } }]);
        const client = new HttpClient({ fetch: fake.fetch, sleep: async () => {}, perAttemptTimeoutMs: 20 });

        const outcome = await client.request({ method: 'POST', url: URL_, body: {}, idempotent: false }).then(
          () => 'succeeded',
          () => 'failed',
        );

        assert.equal(fake.calls.length, retried ? 2 : 1);
        assert.equal(outcome, retried ? 'succeeded' : 'failed');
      });
    }
  });

  it('lets token errors through untouched and sends nothing', async () => {
    const { fake, client } = setup([{ status: 200 }]);
    const signIn = new SignInRequiredError();

    const error = await rejection(client.get(URL_, async () => Promise.reject(signIn)));

    assert.equal(error, signIn);
    assert.equal(fake.calls.length, 0);
  });

  it('turns a 401 claims challenge into StepUpRequiredError with the decoded claims', async () => {
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
    const header = `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(claims).toString('base64')}"`;
    const { client } = setup([{ status: 401, headers: { 'www-authenticate': header }, body: graphError('InvalidAuthenticationToken') }]);

    const error = await rejection(client.get(URL_, staticToken()));

    assert.ok(error instanceof StepUpRequiredError);
    assert.equal(error.claims, claims);
    assert.ok(error.cause instanceof HttpError);
  });

  it('keeps a non-JSON answer as text', async () => {
    const { client } = setup([{ status: 502, body: '<html>Bad gateway</html>' }], { maxAttempts: 1 });

    const error = await rejection(client.get(URL_));

    assert.ok(error instanceof HttpError);
    assert.equal(error.body, '<html>Bad gateway</html>');
    assert.equal(error.serviceCode, undefined);
  });
});
