import https from 'node:https';

/**
 * A `fetch` over node:https that trusts the simulator's CA. The global fetch reads
 * NODE_EXTRA_CA_CERTS only at process start, before the in-process simulator made its CA;
 * everything above the transport (retries, errors, headers) is the production HttpClient's.
 */
export function trustingFetch(ca: string): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = input instanceof Request ? input.url : String(input);
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const body = typeof init?.body === 'string' ? init.body : undefined;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const options: https.RequestOptions = { method: init?.method ?? 'GET', headers, ca, agent: false };
      if (init?.signal) options.signal = init.signal;
      const req = https.request(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const answerHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          const payload = status === 204 || status === 304 ? null : new Uint8Array(Buffer.concat(chunks));
          resolve(new Response(payload, { status, headers: answerHeaders }));
        });
      });
      req.on('error', reject);
      req.end(body);
    });
}
