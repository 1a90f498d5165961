import assert from 'node:assert/strict';
import pino from 'pino';
import sinon from 'sinon';
import { OTHER_SOURCES, RefusalLog } from '../../../../src/teams/host/refusal-log.js';

function capture(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ base: null }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('RefusalLog: one line per refusal, a limit per source, a summary for the rest', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => (clock = sinon.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') })));
  afterEach(() => clock.restore());

  it('logs the first N refusals of a source in a minute, then one summary line when the minute ends', () => {
    const { logger, lines } = capture();
    const log = new RefusalLog({ logger, limit: 3 });
    for (let i = 0; i < 10; i++) log.refused('203.0.113.7', { event: 'tokenRefused', reason: 'signature' }, 'inbound token refused');
    assert.equal(lines.length, 3);
    assert.deepEqual(lines[0], {
      level: 40,
      time: Date.now(),
      event: 'tokenRefused',
      reason: 'signature',
      source: '203.0.113.7',
      msg: 'inbound token refused',
    });
    clock.tick(60_000);
    assert.equal(lines.length, 4);
    assert.equal(lines[3]?.['msg'], '7 more refused from 203.0.113.7');
    assert.equal(lines[3]?.['count'], 7);
  });

  it('counts each source on its own', () => {
    const { logger, lines } = capture();
    const log = new RefusalLog({ logger, limit: 1 });
    log.refused('a', {}, 'refused');
    log.refused('b', {}, 'refused');
    log.refused('a', {}, 'refused');
    assert.deepEqual(
      lines.map((l) => l['source']),
      ['a', 'b'],
    );
  });

  it('starts a new window after a minute, writing the previous summary first', () => {
    const { logger, lines } = capture();
    const log = new RefusalLog({ logger, limit: 1 });
    log.refused('a', {}, 'refused');
    log.refused('a', {}, 'refused');
    clock.tick(30_000);
    log.refused('a', {}, 'refused');
    clock.tick(30_001);
    log.refused('a', {}, 'refused');
    assert.deepEqual(
      lines.map((l) => l['msg']),
      ['refused', '2 more refused from a', 'refused'],
    );
  });

  it('writes no summary when nothing was held back', () => {
    const { logger, lines } = capture();
    const log = new RefusalLog({ logger, limit: 5 });
    log.refused('a', {}, 'refused');
    clock.tick(120_000);
    log.flush();
    assert.equal(lines.length, 1);
  });

  it('counts sources beyond the tracked number together (each line still names its source)', () => {
    const { logger, lines } = capture();
    const log = new RefusalLog({ logger, limit: 1, maxSources: 2 });
    for (const source of ['a', 'b', 'c', 'd']) log.refused(source, {}, 'refused');
    assert.deepEqual(
      lines.map((l) => l['source']),
      ['a', 'b', 'c'],
    );
    log.flush();
    assert.equal(lines.at(-1)?.['msg'], `1 more refused from ${OTHER_SOURCES}`);
  });
});
