import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createTlsMaterial } from '../simulator/core/ca.js';

/**
 * A local Application Insights ingestion endpoint (Breeze) for telemetry tests. The Azure Monitor
 * exporter POSTs a JSON array of envelopes `{name, time, iKey, tags, data: {baseType, baseData}}` to
 * `{IngestionEndpoint}/v2.1/track`, gzip-encoded only for Azure's ingestion hosts
 * (@azure/monitor-opentelemetry-exporter `platform/nodejs/gzipHttpClient.js`, `generated/api/operations.js`
 * [S]); it expects 200 (or 206) `{itemsReceived, itemsAccepted, errors}`. HTTPS with its own test CA,
 * which the bot trusts through NODE_EXTRA_CA_CERTS beside the simulator's (`caBundle`).
 */
export interface Envelope {
  name: string;
  time: string;
  iKey?: string;
  tags?: Record<string, string>;
  data?: { baseType?: string; baseData?: Record<string, unknown> };
}

export interface BreezeReceiver {
  /** `InstrumentationKey=…;IngestionEndpoint=https://127.0.0.1:PORT/` */
  connectionString: string;
  /** A PEM file with the simulator's CA and this receiver's CA, for NODE_EXTRA_CA_CERTS. */
  caBundle: string;
  envelopes: Envelope[];
  /** Raw request bodies as received (after gunzip), to search for secrets. */
  bodies: string[];
  close(): Promise<void>;
}

export const TEST_INSTRUMENTATION_KEY = '00000000-0000-4000-8000-0000000000a1';

export async function startBreezeReceiver(simulatorCaPath: string): Promise<BreezeReceiver> {
  const tls = createTlsMaterial();
  const envelopes: Envelope[] = [];
  const bodies: string[] = [];
  const server = https.createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      // Not chained: restify, loaded in the same test process, replaces ServerResponse#writeHead with one that returns nothing.
      if (req.method !== 'POST' || !req.url?.endsWith('/track')) {
        res.statusCode = 404;
        res.end();
        return;
      }
      bodies.push(text);
      const items = JSON.parse(text) as Envelope[];
      envelopes.push(...items);
      res.statusCode = 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const caBundle = path.join(mkdtempSync(path.join(os.tmpdir(), 'elevate-breeze-')), 'ca-bundle.pem');
  writeFileSync(caBundle, `${readFileSync(simulatorCaPath, 'utf8')}\n${tls.caPem}`);
  return {
    connectionString: `InstrumentationKey=${TEST_INSTRUMENTATION_KEY};IngestionEndpoint=https://127.0.0.1:${port}/`,
    caBundle,
    envelopes,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
