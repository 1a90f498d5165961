import { TableClient, type TableEntityResult } from '@azure/data-tables';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { StoreSpecError } from './store-spec-error.js';

/** Where the tables are: an account connection string (keys or SAS; Azurite), or an https endpoint used with an Entra credential. */
export type AzureTablesLocation = { kind: 'connectionString'; connectionString: string } | { kind: 'endpoint'; url: string };

export interface AzureTablesOptions {
  /** Letters and digits that start every table name (default `elevate`: `elevateElevations`, ...). */
  tablePrefix?: string;
  /** Entities per query page (Azure's maximum and the default: 1000); tests lower it to cross pages cheaply. */
  pageSize?: number;
  /** Client id of the user-assigned managed identity for the endpoint form (else `AZURE_CLIENT_ID`, as @azure/identity reads it). */
  managedIdentityClientId?: string;
  /** Replaces DefaultAzureCredential for the endpoint form. */
  credential?: TokenCredential;
  /** Opens tables that exist and creates none (the audit tool: an empty store would verify as intact). */
  existingOnly?: boolean;
}

export const TABLE_NAMES = ['Elevations', 'Documents', 'Claims', 'Timers', 'Audit'] as const;
export type TableName = (typeof TABLE_NAMES)[number];
export type Tables = Record<TableName, TableClient>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The part of `ELEVATE_STORE` after `azuretables:`. Error messages never repeat it: a connection
 * string carries the account key.
 */
export function parseAzureTablesLocation(rest: string): AzureTablesLocation {
  const text = rest.trim();
  if (text === '')
    throw new StoreSpecError('ELEVATE_STORE "azuretables:" names no account: give a connection string or https://<account>.table.core.windows.net.');
  if (/^[a-z]+:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new StoreSpecError('ELEVATE_STORE azuretables: the endpoint is not a valid URL.');
    }
    if (url.protocol !== 'https:')
      throw new StoreSpecError('ELEVATE_STORE azuretables: an endpoint must be https:// (Azurite over http: use its connection string).');
    if (url.search !== '' || url.username !== '' || url.password !== '') {
      throw new StoreSpecError(
        'ELEVATE_STORE azuretables: put a SAS in a connection string (TableEndpoint=...;SharedAccessSignature=...), not in the endpoint URL.',
      );
    }
    return { kind: 'endpoint', url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
  }
  const parts = connectionStringParts(text);
  const usable = parts.has('usedevelopmentstorage') || (parts.has('accountname') && parts.has('accountkey')) || parts.has('sharedaccesssignature');
  if (!usable) throw new StoreSpecError('ELEVATE_STORE azuretables: the connection string needs AccountName and AccountKey, or SharedAccessSignature.');
  return { kind: 'connectionString', connectionString: text };
}

/** Names the account without the key or SAS: `azuretables:https://…`, or the connection string's endpoint or account name. */
export function describeAzureTablesLocation(location: AzureTablesLocation): string {
  if (location.kind === 'endpoint') return `azuretables:${location.url}`;
  const parts = connectionStringParts(location.connectionString);
  if (parts.has('usedevelopmentstorage')) return 'azuretables:UseDevelopmentStorage=true';
  const where = parts.get('tableendpoint') ?? parts.get('accountname') ?? 'the account';
  return `azuretables:${where} (connection string)`;
}

function connectionStringParts(text: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const pair of text.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) parts.set(pair.slice(0, at).trim().toLowerCase(), pair.slice(at + 1).trim());
  }
  return parts;
}

/** http is for Azurite on this machine only; anywhere else the data would cross the network in clear. */
function allowsHttp(connectionString: string): boolean {
  const parts = connectionStringParts(connectionString);
  if (parts.has('usedevelopmentstorage')) return true;
  const endpoint = parts.get('tableendpoint');
  if (endpoint === undefined) {
    if (parts.get('defaultendpointsprotocol')?.toLowerCase() === 'http')
      throw new StoreSpecError('ELEVATE_STORE azuretables: http is allowed for a local Azurite TableEndpoint only.');
    return false;
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new StoreSpecError('ELEVATE_STORE azuretables: the TableEndpoint is not a valid URL.');
  }
  if (url.protocol === 'https:') return false;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return true;
  throw new StoreSpecError('ELEVATE_STORE azuretables: the TableEndpoint must be https (http is allowed for a local Azurite only).');
}

function tableClient(location: AzureTablesLocation, table: string, options: AzureTablesOptions): TableClient {
  if (location.kind === 'endpoint') {
    // DefaultAzureCredential: managed identity on Azure (user-assigned when a client id is given), developer sign-ins elsewhere.
    // The client asks for https://storage.azure.com/.default, or https://cosmos.azure.com/.default for *.table.cosmos.azure.com.
    const credential =
      options.credential ?? new DefaultAzureCredential(options.managedIdentityClientId ? { managedIdentityClientId: options.managedIdentityClientId } : {});
    return new TableClient(location.url, table, credential);
  }
  try {
    return TableClient.fromConnectionString(location.connectionString, table, { allowInsecureConnection: allowsHttp(location.connectionString) });
  } catch (error) {
    if (error instanceof StoreSpecError) throw error;
    throw new StoreSpecError('ELEVATE_STORE azuretables: the connection string is not one Azure Tables accepts.');
  }
}

const PREFIX = /^[A-Za-z][A-Za-z0-9]{0,39}$/;

/**
 * One client per table, the tables created when missing. Creating a table that exists is a no-op
 * for the client (it swallows 409); where the identity may not create tables (Cosmos DB for Table
 * with Entra data-plane roles covers items and queries only:
 * learn.microsoft.com/azure/cosmos-db/table/security/how-to-grant-data-plane-role-based-access),
 * a 403 is ignored and the tables must exist already.
 */
export async function connectTables(location: AzureTablesLocation, options: AzureTablesOptions): Promise<Tables> {
  const prefix = options.tablePrefix ?? 'elevate';
  if (!PREFIX.test(prefix)) throw new StoreSpecError(`table prefix "${prefix}" must be letters and digits, starting with a letter.`);
  const tables = Object.fromEntries(TABLE_NAMES.map((name) => [name, tableClient(location, `${prefix}${name}`, options)])) as Tables;
  for (const client of Object.values(tables)) {
    if (options.existingOnly) await requireTable(client, location);
    else await createOrReach(client);
  }
  return tables;
}

/** The table exists and can be read; else says which (a 404 is no Elevate store there). */
async function requireTable(client: TableClient, location: AzureTablesLocation): Promise<void> {
  try {
    await firstPage(client);
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) throw new StoreSpecError(`no Elevate store at ${describeAzureTablesLocation(location)}: table ${client.tableName} does not exist.`);
    if (status === undefined) throw error;
    throw new StoreSpecError(`ELEVATE_STORE azuretables: table ${client.tableName} cannot be read (HTTP ${status}).`);
  }
}

function firstPage(client: TableClient): Promise<unknown> {
  return client
    .listEntities({ queryOptions: { filter: "PartitionKey eq ''" } })
    .byPage({ maxPageSize: 1 })
    .next();
}

/** Creates the table, or, where creating is forbidden, makes sure it can be read (else says which role is missing). */
async function createOrReach(client: TableClient): Promise<void> {
  try {
    await client.createTable();
    return;
  } catch (error) {
    if (statusOf(error) !== 403) throw error;
  }
  try {
    await firstPage(client);
  } catch (error) {
    throw new StoreSpecError(
      `ELEVATE_STORE azuretables: table ${client.tableName} can be neither created nor read (HTTP ${statusOf(error) ?? '?'}); ` +
        'give the identity Storage Table Data Contributor (Cosmos DB: a data-plane role, and create the tables beforehand).',
    );
  }
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The write lost a race: the entity exists (409), changed (412) or went away (404). */
export function isLostRace(error: unknown): boolean {
  const status = statusOf(error);
  return status === 409 || status === 412 || status === 404;
}

/** Runs `write`; a lost race is `undefined`, anything else is thrown. */
export async function unlessLost<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if (isLostRace(error)) return undefined;
    throw error;
  }
}

/** A point read; undefined when there is no such entity. */
export async function readEntity(client: TableClient, partitionKey: string, rowKey: string): Promise<TableEntityResult<Record<string, unknown>> | undefined> {
  try {
    return await client.getEntity<Record<string, unknown>>(partitionKey, rowKey);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/** Every entity of one partition whose RowKey is in [from, to), in RowKey order, read page by page. */
export async function* rowRange(
  client: TableClient,
  partitionKey: string,
  range: { from: string; to: string },
  pageSize: number,
  extraFilter?: string,
): AsyncIterable<TableEntityResult<Record<string, unknown>>> {
  const filter = `PartitionKey eq ${quote(partitionKey)} and RowKey ge ${quote(range.from)} and RowKey lt ${quote(range.to)}${extraFilter ? ` and (${extraFilter})` : ''}`;
  const pages = client.listEntities<Record<string, unknown>>({ queryOptions: { filter } }).byPage({ maxPageSize: pageSize });
  for await (const page of pages) yield* page;
}

/** Every entity of the table (the copy tool only; never on a request path). */
export async function* wholeTable(client: TableClient, pageSize: number): AsyncIterable<TableEntityResult<Record<string, unknown>>> {
  for await (const page of client.listEntities<Record<string, unknown>>().byPage({ maxPageSize: pageSize })) yield* page;
}

/** An OData string literal. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
