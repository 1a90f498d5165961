import assert from 'node:assert/strict';
import type { Versioned } from '../../../src/ports/elevation-store.js';
import { compareAndSwap, type VersionedAccess } from '../../../src/use-cases/compare-and-swap.js';

/** A versioned counter whose writes can be made to lose the race `losses` times (another writer wins each time). */
function counter(losses = 0) {
  let stored: Versioned<number> | undefined = { value: 0, version: '1' };
  let toLose = losses;
  const calls = { reads: 0, writes: 0 };
  const access: VersionedAccess<number> = {
    read: async () => (calls.reads++, stored),
    write: async (value, version) => {
      calls.writes++;
      if (toLose > 0) {
        toLose--;
        stored = { value: (stored?.value ?? 0) + 100, version: String(Number(stored?.version ?? '0') + 1) };
        return undefined;
      }
      if (version !== stored?.version) return undefined;
      stored = { value, version: String(Number(version) + 1) };
      return stored;
    },
  };
  return { access, calls, stored: () => stored };
}

describe('compareAndSwap: read, modify, conditional write, bounded retries', () => {
  const noPause = { sleep: async () => undefined };

  it('writes what modify computed from the current value', async () => {
    const c = counter();
    const result = await compareAndSwap(c.access, (current) => (current?.value ?? 0) + 1, noPause);
    assert.deepEqual(result, { kind: 'updated', value: { value: 1, version: '2' } });
  });

  it('reads again after a lost race and applies modify to the newer value (never overwrites it)', async () => {
    const c = counter(2);
    const pauses: number[] = [];
    const result = await compareAndSwap(c.access, (current) => (current?.value ?? 0) + 1, { sleep: async (ms) => void pauses.push(ms), random: () => 0.5 });
    assert.equal(result.kind, 'updated');
    assert.equal(c.stored()?.value, 201, "the other writer's two changes are kept");
    assert.deepEqual(pauses, [5, 10], 'jittered pauses that grow with the attempt');
  });

  it('gives up with the latest value after the attempts', async () => {
    const c = counter(10);
    const result = await compareAndSwap(c.access, (current) => (current?.value ?? 0) + 1, { ...noPause, attempts: 3 });
    assert.equal(result.kind, 'conflict');
    assert.equal(c.calls.writes, 3);
    assert.equal(result.value?.value, 300);
  });

  it('writes nothing when modify says so, and reports the value it saw', async () => {
    const c = counter();
    const result = await compareAndSwap(c.access, () => undefined, noPause);
    assert.deepEqual(result, { kind: 'unchanged', value: { value: 0, version: '1' } });
    assert.equal(c.calls.writes, 0);
  });

  it('starts from a value the caller just read instead of reading again', async () => {
    const c = counter();
    await compareAndSwap(c.access, (current) => (current?.value ?? 0) + 1, { ...noPause, initial: { value: 0, version: '1' } });
    assert.equal(c.calls.reads, 0);
  });
});
