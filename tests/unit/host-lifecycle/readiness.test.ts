import assert from 'node:assert/strict';
import pino from 'pino';
import { HostLifecycle, type GateResponse } from '../../../src/host-lifecycle/host-lifecycle.js';
import { Readiness } from '../../../src/host-lifecycle/readiness.js';

class FakeResponse implements GateResponse {
  statusCode = 200;
  sent: { status: number; body?: unknown } | undefined;
  headers: Record<string, string> = {};
  private onClose: (() => void)[] = [];
  header(name: string, value: string): void {
    this.headers[name] = value;
  }
  send(status: number, body?: unknown): void {
    this.sent = { status, body };
    this.statusCode = status;
  }
  once(_event: 'close', listener: () => void): void {
    this.onClose.push(listener);
  }
  close(): void {
    for (const listener of this.onClose.splice(0)) listener();
  }
}

describe('readiness', () => {
  it('names each failing check by its error code, never its message, and is not ready while one fails', async () => {
    const readiness = new Readiness([
      { name: 'store', run: async () => undefined },
      {
        name: 'appCredential',
        run: async () => Promise.reject(Object.assign(new Error('AADSTS7000215: secret eyJhbGciOi…'), { errorCode: 'invalid_client' })),
      },
    ]);
    const report = await readiness.report();
    assert.equal(report.ready, false);
    assert.deepEqual(report.checks, [
      { name: 'store', ok: true },
      { name: 'appCredential', ok: false, error: 'invalid_client' },
    ]);
  });

  it('keeps a result for the cache period and shares one run among concurrent probes', async () => {
    let now = 0;
    let runs = 0;
    const readiness = new Readiness([{ name: 'store', run: async () => runs++ }], { cacheMs: 10_000, now: () => now });
    await Promise.all([readiness.report(), readiness.report(), readiness.report()]);
    assert.equal(runs, 1);
    now = 9_999;
    await readiness.report();
    assert.equal(runs, 1, 'cached');
    now = 10_000;
    await readiness.report();
    assert.equal(runs, 2, 'checked again after the cache period');
  });

  it('fails a check that hangs past its timeout', async () => {
    const readiness = new Readiness([{ name: 'store', run: () => new Promise(() => undefined) }], { timeoutMs: 20 });
    assert.deepEqual((await readiness.report()).checks, [{ name: 'store', ok: false, error: 'Timeout' }]);
  });
});

describe('host lifecycle', () => {
  const logger = pino({ level: 'silent' });
  const work = (overrides: Partial<ConstructorParameters<typeof HostLifecycle>[0]['work']> = {}) => ({
    stopTimers: async () => undefined,
    releaseTimers: async () => 0,
    drainBackground: async () => undefined,
    close: async () => undefined,
    ...overrides,
  });

  it('turns new activities away with 503 and Retry-After while draining, lets the sign-in callback and probes through', async () => {
    const lifecycle = new HostLifecycle({ readiness: new Readiness([]), work: work(), timeoutMs: 1_000, logger });
    await lifecycle.shutdown('test');
    const refused = new FakeResponse();
    assert.equal(
      lifecycle.gate({ method: 'POST', url: '/api/messages' }, refused, (go) => go),
      false,
    );
    assert.equal(refused.sent?.status, 503);
    assert.equal(refused.headers['Retry-After'], '5');
    const callback = new FakeResponse();
    assert.equal(
      lifecycle.gate({ method: 'GET', url: '/auth/callback?code=x' }, callback, (go) => go),
      undefined,
    );
    const probe = new FakeResponse();
    await lifecycle.readyz({ method: 'GET', url: '/readyz' }, probe);
    assert.deepEqual(probe.sent, { status: 503, body: { status: 'draining', checks: [] } });
  });

  it('waits for requests in flight before closing, and releases timers only when the bound is reached', async () => {
    const steps: string[] = [];
    const lifecycle = new HostLifecycle({
      readiness: new Readiness([]),
      work: work({ releaseTimers: async () => (steps.push('release'), 2), close: async () => void steps.push('close') }),
      timeoutMs: 50,
      logger,
    });
    const inFlight = new FakeResponse();
    lifecycle.gate({ method: 'POST', url: '/api/messages' }, inFlight, () => undefined);
    const outcome = await lifecycle.shutdown('test');
    assert.deepEqual([outcome.inTime, outcome.releasedTimers], [false, 2], 'the request never ended: bound reached');
    assert.deepEqual(steps, ['release', 'close']);

    const quick = new HostLifecycle({
      readiness: new Readiness([]),
      work: work({ releaseTimers: async () => (steps.push('never'), 0) }),
      timeoutMs: 5_000,
      logger,
    });
    const request = new FakeResponse();
    quick.gate({ method: 'POST', url: '/api/messages' }, request, () => undefined);
    const stopping = quick.shutdown('test');
    request.close();
    const inTime = await stopping;
    assert.equal(inTime.inTime, true);
    assert.ok(!steps.includes('never'), 'nothing released when everything finished');
  });

  it('reports each request that passed the gate with its route and status, ids left out', () => {
    const seen: [string, number][] = [];
    const lifecycle = new HostLifecycle({ readiness: new Readiness([]), work: work(), timeoutMs: 1_000, logger, onRequestEnded: (p, s) => seen.push([p, s]) });
    for (const url of ['/api/messages', '/auth/callback?code=secret', '/no/such/path/1234']) {
      const res = new FakeResponse();
      lifecycle.gate({ method: 'GET', url }, res, () => undefined);
      res.close();
    }
    assert.deepEqual(seen, [
      ['/api/messages', 200],
      ['/auth/callback', 200],
      ['other', 200],
    ]);
  });
});
