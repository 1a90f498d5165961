import type { TokenSource } from '../../ports/token-broker.js';
import type { HttpClient, HttpResponse, RetryListener } from './http-client.js';

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  nextLink?: string;
}

export interface PagingOptions {
  /** A next link is followed only when it starts with this (the token never goes to another host). */
  trustedPrefix: string;
  maxPages?: number;
  onRetry?: RetryListener;
}

/** GETs an OData collection (`{"value":[...],"@odata.nextLink"}`), following next links. */
export async function getAllPages<T>(http: HttpClient, url: string, token: TokenSource, options: PagingOptions): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = url;
  for (let page = 0; next && page < (options.maxPages ?? 20); page++) {
    const response: HttpResponse<Page<T> | undefined> = await http.request<Page<T> | undefined>({
      method: 'GET',
      url: next,
      token,
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    });
    items.push(...(response.body?.value ?? []));
    const link: string | undefined = response.body?.['@odata.nextLink'] ?? response.body?.nextLink;
    next = link && link.startsWith(options.trustedPrefix) ? link : undefined;
  }
  return items;
}
