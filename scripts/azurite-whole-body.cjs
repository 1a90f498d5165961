// Preloaded into Azurite's process by azurite.cjs. Works around Azure/Azurite#2670 (open in 3.35.0):
// the Table service decodes a request body chunk by chunk (`segments.join("")` in
// generated/utils/serializer.js), so a multi-byte UTF-8 character that straddles two chunks of the
// socket (about 64 KiB each) is stored as U+FFFD replacement characters. Real Azure Tables keeps it.
// Which character straddles depends on the bytes before it (the table name included), so without
// this a test with a long non-ASCII value passes or fails by the table prefix.
// The fix: Azurite reads every request body through ExpressRequestAdapter#getBodyStream; hand it the
// whole body as one Buffer, which its JSON path and its batch path (Buffer.concat) both decode whole.
'use strict';
const { Readable } = require('node:stream');
const Adapter = require('azurite/dist/src/table/generated/ExpressRequestAdapter.js').default;

const WHOLE = Symbol('elevate whole body');
const bodyStream = Adapter.prototype.getBodyStream;
if (typeof bodyStream !== 'function') throw new Error('azurite-whole-body: ExpressRequestAdapter#getBodyStream is gone; check Azure/Azurite#2670');

Adapter.prototype.getBodyStream = function getWholeBodyStream() {
  // Several adapters wrap one request: keep the stream on the request itself.
  const req = this.req;
  if (!req[WHOLE]) {
    const source = bodyStream.call(this);
    req[WHOLE] = Readable.from(
      (async function* whole() {
        const chunks = [];
        for await (const chunk of source) chunks.push(chunk);
        if (chunks.length > 0) yield Buffer.concat(chunks);
      })(),
      { objectMode: false },
    );
  }
  return req[WHOLE];
};
