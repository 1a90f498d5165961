import { json, type SimResponse } from '../core/http.js';
import { parseSelect, project } from '../core/odata-filter.js';
import { route, type Route } from '../core/router.js';
import type { SimContext } from '../core/state.js';
import type { DataverseAudit } from '../tenant/model.js';
import { page } from './limits.js';
import { isSystemAdministrator } from './model.js';
import { API, dv, dvError, GUID, type DvCall } from './routes.js';

/**
 * The organization row and the audit table, as Elevate reads them at the end of an elevation:
 * - `GET organizations?$select=isauditenabled` (learn.microsoft.com/power-apps/developer/data-platform/auditing/configure:
 *   the organization table has a single row; `isauditenabled` says whether auditing is on for the environment);
 * - `GET audits?$filter=_userid_value eq {id} and createdon ge {t} and createdon le {t}&$orderby=createdon asc`
 *   (.../auditing/retrieve-audit-data: the audit table is read-only, columns `createdon`, `operation`
 *   (1 Create, 2 Update, 3 Delete, 4 Access), `action`, `objecttypecode`, `objectid`, `userid`; the caller needs
 *   `prvReadAuditSummary`), paged like every collection (webapi/query/page-results).
 */
const AUDIT_COLUMNS = ['auditid', 'createdon', 'operation', 'action', 'objecttypecode', '_objectid_value', '_userid_value'];
const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
const CLAUSE = new RegExp(`^\\(?\\s*(_userid_value|createdon)\\s+(eq|ge|gt|le|lt)\\s+(${GUID}|\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z)\\s*\\)?$`, 'i');

interface AuditFilter {
  userId?: string;
  test: ((at: number) => boolean)[];
}

function parseAuditFilter(raw: string): AuditFilter | undefined {
  const filter: AuditFilter = { test: [] };
  for (const clause of raw.trim().split(/\s+and\s+/i)) {
    const match = CLAUSE.exec(clause.trim());
    if (!match) return undefined;
    const [, field, op, value] = match as unknown as [string, string, string, string];
    if (field.toLowerCase() === '_userid_value') {
      if (op.toLowerCase() !== 'eq') return undefined;
      filter.userId = value.toLowerCase();
      continue;
    }
    const t = Date.parse(value);
    if (Number.isNaN(t)) return undefined;
    const compare: Record<string, (at: number) => boolean> = {
      eq: (at) => at === t,
      ge: (at) => at >= t,
      gt: (at) => at > t,
      le: (at) => at <= t,
      lt: (at) => at < t,
    };
    filter.test.push(compare[op.toLowerCase()]!);
  }
  return filter;
}

function present(row: DataverseAudit, annotations: boolean): Record<string, unknown> {
  return {
    auditid: row.auditid,
    createdon: row.createdon,
    operation: row.operation,
    action: row.action,
    objecttypecode: row.objecttypecode,
    _objectid_value: row.objectid,
    ...(annotations && row.objectname ? { [`_objectid_value${FORMATTED}`]: row.objectname } : {}),
    _userid_value: row.userid,
  };
}

function audits(call: DvCall): SimResponse {
  if (!isSystemAdministrator(call.org, call.caller)) {
    return dvError(403, '0x80040220', `Principal user (Id=${call.caller.systemuserid}, type=8) is missing prvReadAuditSummary privilege.`);
  }
  const select = parseSelect(call.req.query.get('$select'));
  const bad = select?.find((s) => !AUDIT_COLUMNS.includes(s.toLowerCase()));
  if (bad) return dvError(400, '0x80060888', `Could not find a property named '${bad}' on type 'Microsoft.Dynamics.CRM.audit'.`);
  const orderBy = call.req.query.get('$orderby');
  if (orderBy !== null && !/^createdon( asc)?$/i.test(orderBy.trim())) return dvError(400, '0x80060888', `The $orderby '${orderBy}' is not supported.`);
  const rawFilter = call.req.query.get('$filter');
  const filter = rawFilter === null ? { test: [] } : parseAuditFilter(rawFilter);
  if (!filter) return dvError(400, '0x80060888', `The $filter expression '${rawFilter}' is not supported.`);
  // `Prefer: odata.include-annotations="OData.Community.Display.V1.FormattedValue"` (or "*") adds the lookup's name [D webapi/query/select-columns].
  const annotations = /include-annotations="[^"]*(\*|FormattedValue)/i.test(String(call.req.headers['prefer'] ?? ''));
  const rows = (call.org.audits ?? [])
    .filter((a) => (filter.userId === undefined || a.userid.toLowerCase() === filter.userId) && filter.test.every((t) => t(Date.parse(a.createdon))))
    .sort((a, b) => Date.parse(a.createdon) - Date.parse(b.createdon))
    .map((a) => present(a, annotations));
  const { value, nextLink, applied } = page(call.req, rows, call.envUrl);
  return json(
    200,
    {
      '@odata.context': `${call.envUrl}/api/data/v9.2/$metadata#audits`,
      value: value.map((r) => withAnnotations(r, project(r, select))),
      ...(nextLink ? { '@odata.nextLink': nextLink } : {}),
    },
    { 'OData-Version': '4.0', ...(applied ? { 'Preference-Applied': applied } : {}) },
  );
}

/** An annotation of a selected column stays with it (`_objectid_value@OData.Community.Display.V1.FormattedValue`). */
function withAnnotations(row: Record<string, unknown>, projected: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(row)) if (key.includes('@') && key.split('@')[0]! in projected) projected[key] = value;
  return projected;
}

function organizations(call: DvCall): SimResponse {
  const row = { '@odata.etag': 'W/"1"', organizationid: call.org.organizationId, isauditenabled: call.org.isAuditEnabled ?? false };
  const select = parseSelect(call.req.query.get('$select'));
  const bad = select?.find((s) => !['organizationid', 'isauditenabled'].includes(s.toLowerCase()));
  if (bad) return dvError(400, '0x80060888', `Could not find a property named '${bad}' on type 'Microsoft.Dynamics.CRM.organization'.`);
  return json(200, { '@odata.context': `${call.envUrl}/api/data/v9.2/$metadata#organizations`, value: [project(row, select)] }, { 'OData-Version': '4.0' });
}

export const auditRoutes: Route<SimContext>[] = [route('GET', [...API, 'audits'], dv(audits)), route('GET', [...API, 'organizations'], dv(organizations))];
