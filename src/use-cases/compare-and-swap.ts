import type { ElevationRecord } from '../domain/elevation.js';
import type { ElevationStore, Versioned } from '../ports/elevation-store.js';

/**
 * The one place that retries a conflicting write (Teleport's `CompareAndSwap.Update`): read the
 * value, let `modify` compute the next one from it, write it only if nobody wrote in between, and on
 * a lost race read again and repeat, a bounded number of times with a jittered pause. Duplicate
 * deliveries, double taps, racing approvers and several instances all go through here.
 */
export interface VersionedAccess<T> {
  read(): Promise<Versioned<T> | undefined>;
  /** Writes when `expectedVersion` still matches (absent: only if there is no value yet); undefined on conflict. */
  write(value: T, expectedVersion: string | undefined): Promise<Versioned<T> | undefined>;
}

export type SwapResult<T> =
  /** Written: the stored value and its new version. */
  | { kind: 'updated'; value: Versioned<T> }
  /** `modify` chose not to write (nothing to change, or a reason found in the current value). */
  | { kind: 'unchanged'; value: Versioned<T> | undefined }
  /** Still losing the race after every attempt: the latest value seen. */
  | { kind: 'conflict'; value: Versioned<T> | undefined };

export interface SwapOptions<T = unknown> {
  /** Writes tried, 5 by default. */
  attempts?: number;
  /** The pause before try n+1 is up to `jitterMs × n` milliseconds, random. */
  jitterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** A value the caller has just read: the first try starts from it instead of reading again. */
  initial?: Versioned<T>;
}

const DEFAULT_ATTEMPTS = 5;
const DEFAULT_JITTER_MS = 10;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `modify` gets the current value (undefined when there is none) and returns the next value, or
 * undefined to write nothing. It may run several times: keep it free of side effects.
 */
export async function compareAndSwap<T>(
  access: VersionedAccess<T>,
  modify: (current: Versioned<T> | undefined) => T | undefined | Promise<T | undefined>,
  options: SwapOptions<T> = {},
): Promise<SwapResult<T>> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  let current = options.initial ?? (await access.read());
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const next = await modify(current);
    if (next === undefined) return { kind: 'unchanged', value: current };
    const saved = await access.write(next, current?.version);
    if (saved) return { kind: 'updated', value: saved };
    if (attempt < attempts) await sleep(Math.floor(random() * (options.jitterMs ?? DEFAULT_JITTER_MS) * attempt));
    current = await access.read();
  }
  return { kind: 'conflict', value: current };
}

/** A small JSON document of the store (channel settings, posted cards, anchors). */
export function documentAccess<T>(store: Pick<ElevationStore, 'getDocument' | 'putDocument'>, key: string): VersionedAccess<T> {
  return { read: () => store.getDocument<T>(key), write: (value, version) => store.putDocument(key, value, version) };
}

/** An elevation record; it must exist to be written (there is no create through here). */
export function elevationAccess(store: Pick<ElevationStore, 'getElevation' | 'updateElevation'>, id: string): VersionedAccess<ElevationRecord> {
  return {
    read: () => store.getElevation(id),
    write: async (value, version) => (version === undefined ? undefined : store.updateElevation(value, version)),
  };
}
