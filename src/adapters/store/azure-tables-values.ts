import { ElevateError } from '../../domain/errors.js';

/**
 * Encoding of keys, times and long texts for Azure Table entities.
 *
 * Limits (learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model):
 * PartitionKey and RowKey are strings of at most 1 KiB without `/`, `\`, `#`, `?` or control
 * characters; a String property holds at most 64 KiB (UTF-16, so 32,768 code units); an entity at
 * most 1 MiB and 255 properties; an entity group transaction at most 100 operations and 4 MiB.
 */

/** A value (JSON text) longer than the store accepts. */
export class StoreValueTooLargeError extends ElevateError {
  constructor(
    readonly what: string,
    readonly length: number,
  ) {
    super(`${what} is ${length} characters of JSON; Azure Tables holds at most ${MAX_TEXT_LENGTH}.`, 'StoreValueTooLarge');
  }
}

/** A key that cannot be a PartitionKey or RowKey even once escaped (longer than 1 KiB). */
export class StoreKeyTooLongError extends ElevateError {
  constructor(readonly what: string) {
    super(`${what} is too long to be an Azure Tables key.`, 'StoreKeyTooLong');
  }
}

/** Characters a key may not hold, plus `%` (the escape) and `|` (our separator inside row keys). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what Azure keys may not hold.
const KEY_UNSAFE = /[%|/\\#?\u0000-\u001f\u007f-\u009f]/g;
const MAX_KEY_LENGTH = 512;

/** One part of a PartitionKey or RowKey: unsafe characters percent-escaped, so `|` separates parts. */
export function keyPart(text: string, what = 'key'): string {
  const escaped = text.replace(KEY_UNSAFE, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  if (escaped.length > MAX_KEY_LENGTH) throw new StoreKeyTooLongError(what);
  return escaped;
}

/** Every key starting with `prefix`: `RowKey ge prefix and RowKey lt <prefix with its last character raised>`. */
export function prefixRange(prefix: string): { from: string; to: string } {
  const last = prefix.charCodeAt(prefix.length - 1);
  return { from: prefix, to: prefix.slice(0, -1) + String.fromCharCode(last + 1) };
}

/** Offset that makes every JavaScript time (±8.64e15 ms) non-negative, so 17 digits sort as numbers. */
const TIME_OFFSET = 8_640_000_000_000_000;

/** Epoch milliseconds as a fixed-width string that sorts as the number does (keys and string filters). */
export function sortableMs(ms: number): string {
  return String(Math.trunc(ms) + TIME_OFFSET).padStart(17, '0');
}

export function fromSortableMs(text: string): number {
  return Number(text) - TIME_OFFSET;
}

/** Newest first when sorted ascending. */
export function invertedMs(ms: number): string {
  return sortableMs(-(Number.isFinite(ms) ? ms : 0));
}

/** A sequence number as 12 digits (RowKeys of the audit log sort in chain order). */
export function sortableSeq(seq: number): string {
  return String(seq).padStart(12, '0');
}

/** Characters per property: below the 32,768 UTF-16 code units that 64 KiB hold. */
export const CHUNK_LENGTH = 32_000;
/** At most 8 properties per text: 512 KiB in UTF-16, so that an entity (1 MiB) and a transaction of copies (4 MiB) fit. */
export const MAX_TEXT_LENGTH = 8 * CHUNK_LENGTH;

/**
 * Splits `text` over the properties `<name>`, `<name>1`, ... and records their count in
 * `<name>Parts`, never cutting a surrogate pair (half a pair is not valid UTF-16 on the wire).
 */
export function textProperties(name: string, text: string, what: string): Record<string, string | number> {
  if (text.length > MAX_TEXT_LENGTH) throw new StoreValueTooLargeError(what, text.length);
  const properties: Record<string, string | number> = {};
  let part = 0;
  for (let start = 0; start < text.length || part === 0; part++) {
    let end = Math.min(text.length, start + CHUNK_LENGTH);
    if (end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
    properties[part === 0 ? name : `${name}${part}`] = text.slice(start, end);
    start = end;
  }
  properties[`${name}Parts`] = part;
  return properties;
}

/** The text `textProperties` split. */
export function readText(entity: Record<string, unknown>, name: string): string {
  const parts = typeof entity[`${name}Parts`] === 'number' ? (entity[`${name}Parts`] as number) : 1;
  let text = '';
  for (let part = 0; part < parts; part++) {
    const value = entity[part === 0 ? name : `${name}${part}`];
    if (typeof value !== 'string') throw new Error(`stored entity lacks part ${part} of "${name}"`);
    text += value;
  }
  return text;
}

/** A bounded map, oldest entry dropped first: facts that never change (an etag's version), kept to save reads. */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity = 2000) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
