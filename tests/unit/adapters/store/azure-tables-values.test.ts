import assert from 'node:assert/strict';
import {
  CHUNK_LENGTH,
  MAX_TEXT_LENGTH,
  StoreKeyTooLongError,
  StoreValueTooLargeError,
  fromSortableMs,
  invertedMs,
  keyPart,
  prefixRange,
  readText,
  sortableMs,
  textProperties,
} from '../../../../src/adapters/store/azure-tables-values.js';

describe('Azure Tables values', () => {
  it('escapes what a PartitionKey or RowKey may not hold, and our separator, reversibly distinct', () => {
    const keys = ['a/b', 'a\\b', 'a#b', 'a?b', 'a|b', 'a%2Fb', 'a\u0001b', 'a\u0085b', 'plain-key:19@thread'];

    const escaped = keys.map((key) => keyPart(key));

    assert.deepEqual(escaped, ['a%2Fb', 'a%5Cb', 'a%23b', 'a%3Fb', 'a%7Cb', 'a%252Fb', 'a%01b', 'a%85b', 'plain-key:19@thread']);
    assert.equal(new Set(escaped).size, keys.length);
    // eslint-disable-next-line no-control-regex -- control characters are what Azure keys may not hold.
    assert.ok(escaped.every((key) => !/[/\\#?|\u0000-\u001f\u007f-\u009f]/.test(key)));
  });

  it('refuses a key longer than Azure accepts', () => {
    assert.throws(
      () => keyPart('k'.repeat(600), 'document key'),
      (error: Error) => error instanceof StoreKeyTooLongError && /document key/.test(error.message),
    );
  });

  it('sorts times as text the way they sort as numbers, before 1970 too, and inverted for newest first', () => {
    const times = [-86_400_000, 0, 1, 1_772_359_200_000, 253_402_300_799_999];

    assert.deepEqual(times.map(sortableMs), [...times.map(sortableMs)].sort());
    assert.deepEqual(times.map(invertedMs), [...times.map(invertedMs)].sort().reverse());
    assert.deepEqual(times.map(sortableMs).map(fromSortableMs), times);
  });

  it('gives the key range of a prefix', () => {
    assert.deepEqual(prefixRange('req|u1|'), { from: 'req|u1|', to: 'req|u1}' });
  });

  it('splits a long text over properties of at most 32,000 characters, never inside a surrogate pair, and joins it back', () => {
    const text = `${'a'.repeat(CHUNK_LENGTH - 1)}😀${'b'.repeat(CHUNK_LENGTH)}`;

    const properties = textProperties('body', text, 'a test value');

    assert.equal(properties.bodyParts, 3);
    assert.equal((properties.body as string).length, CHUNK_LENGTH - 1);
    assert.ok(Object.entries(properties).every(([name, value]) => name === 'bodyParts' || (value as string).length <= CHUNK_LENGTH));
    assert.equal(readText(properties, 'body'), text);
    assert.deepEqual(textProperties('v', '', 'empty'), { v: '', vParts: 1 });
  });

  it('refuses a text longer than 256,000 characters with a typed error naming it', () => {
    assert.throws(
      () => textProperties('body', 'x'.repeat(MAX_TEXT_LENGTH + 1), 'An elevation record'),
      (error: Error) =>
        error instanceof StoreValueTooLargeError && error.code === 'StoreValueTooLarge' && /An elevation record is 256001 characters/.test(error.message),
    );
  });

  it('names a missing part instead of returning a truncated text', () => {
    assert.throws(() => readText({ body: 'a', bodyParts: 2 }, 'body'), /lacks part 1 of "body"/);
  });
});
