import { createSecureContext } from 'node:tls';
import type { Agent } from 'undici';

/**
 * Connections kept per origin (Graph, the Power Platform API, each Dataverse environment, Entra).
 * Node's global fetch opens a new connection for every request that finds none idle, so a storm of
 * simultaneous turns opened hundreds of TLS connections to one host and the handshakes were a third
 * of the bot's CPU (issue #13 profile). Past this many, a request waits for a connection to come free
 * instead of opening one more; idle ones are kept alive between turns.
 */
export const CONNECTIONS_PER_ORIGIN = 32;

type Undici = typeof import('undici');
let pool: Promise<{ undici: Undici; agent: Agent }> | undefined;

/**
 * undici is loaded with the first outbound call, not at start-up (issue #13). One TLS context serves
 * every connection: without one, each connection builds its own from the root store (with
 * `NODE_EXTRA_CA_CERTS`), which costs as much as the handshake. Built without options it trusts
 * exactly what a connection built alone would: Node's roots and the extra CAs.
 */
function sharedPool(): Promise<{ undici: Undici; agent: Agent }> {
  pool ??= import('undici').then((undici) => ({
    undici,
    agent: new undici.Agent({ connections: CONNECTIONS_PER_ORIGIN, connect: { secureContext: createSecureContext() } }),
  }));
  return pool;
}

/** `fetch` over the shared, bounded connection pool; HttpClient's default. */
export const pooledFetch: typeof fetch = async (input, init) => {
  const { undici, agent } = await sharedPool();
  type Init = Parameters<Undici['fetch']>[1];
  return (await undici.fetch(input as Parameters<Undici['fetch']>[0], { ...(init as Init), dispatcher: agent })) as unknown as Response;
};
