import type { ServicePrincipalDirectory } from '../../ports/power-platform-rbac.js';
import type { TokenSource } from '../../ports/token-broker.js';
import type { HttpClient } from '../http/http-client.js';
import { getAllPages } from '../http/paged.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Service principals and their owners, read with Elevate's own app token (Graph application permission
 * `Application.Read.All`: the least privilege of `GET servicePrincipals` and `servicePrincipals/{id}/owners`,
 * learn.microsoft.com/graph/api/serviceprincipal-list-owners [D]).
 */
export class GraphServicePrincipals implements ServicePrincipalDirectory {
  private readonly v1: string;

  constructor(private readonly options: { baseUrl: string; http: HttpClient; appToken: TokenSource }) {
    this.v1 = `${options.baseUrl.replace(/\/+$/, '')}/v1.0`;
  }

  async find(nameOrAppId: string): Promise<{ id: string; appId: string; displayName: string }[]> {
    const text = nameOrAppId.trim();
    const field = GUID.test(text) ? 'appId' : 'displayName';
    const filter = `${field} eq '${text.replace(/'/g, "''")}'`;
    const url = `${this.v1}/servicePrincipals?$filter=${encodeURIComponent(filter)}&$select=id,appId,displayName`;
    const items = await getAllPages<{ id?: string; appId?: string; displayName?: string }>(this.options.http, url, this.options.appToken, {
      trustedPrefix: `${this.v1}/`,
      maxPages: 2,
    });
    return items.flatMap((sp) =>
      sp.id && sp.appId ? [{ id: sp.id.toLowerCase(), appId: sp.appId.toLowerCase(), displayName: sp.displayName ?? sp.appId }] : [],
    );
  }

  async ownerIds(servicePrincipalId: string): Promise<string[]> {
    const url = `${this.v1}/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/owners?$select=id`;
    const items = await getAllPages<{ '@odata.type'?: string; id?: string }>(this.options.http, url, this.options.appToken, {
      trustedPrefix: `${this.v1}/`,
      maxPages: 5,
    });
    // Owners can be users or service principals; only users can be requesters.
    return items.filter((o) => o.id && (o['@odata.type'] ?? '#microsoft.graph.user') === '#microsoft.graph.user').map((o) => o.id!.toLowerCase());
  }
}
