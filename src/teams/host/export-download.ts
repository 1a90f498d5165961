import type { Request, Response } from 'restify';
import { csvTable, toCsv } from '../../domain/inventory-export.js';
import { ACTIVITY_COLUMNS, activityRows } from '../../domain/what-changed.js';
import { readActivityExport, readElevationActivity, type ElevationActivityDeps } from '../../use-cases/elevation-activity.js';
import { readInventoryExport } from '../../use-cases/inventory-export.js';
import type { StandingAccessDeps } from '../../use-cases/standing-access-deps.js';
import { auditExportDownload, type AuditTrailDeps } from '../../use-cases/audit-trail.js';

type ActivityRead = Awaited<ReturnType<typeof readElevationActivity>>;

/**
 * An activity export reads up to 100,000 Dataverse audit rows (about 200 pages): the CSV and the JSON
 * link, a second click or a link preview must not read them again each time and spend the environment's
 * service protection limits. One read per elevation is shared by concurrent downloads and kept a few
 * minutes (in this instance's memory only, never in the store); a failed read is not kept.
 */
const ACTIVITY_READ_KEEP_MS = 5 * 60_000;
const MAX_KEPT_ACTIVITY_READS = 8;

class RecentReads<T extends { kind: string }> {
  private readonly kept = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly keepMs: number,
    private readonly max: number,
    private readonly now: () => number,
  ) {}

  get(key: string, read: () => Promise<T>): Promise<T> {
    const found = this.kept.get(key);
    if (found && this.now() - found.at < this.keepMs) return found.value;
    const value = read();
    const entry = { at: this.now(), value };
    this.kept.delete(key);
    this.kept.set(key, entry);
    while (this.kept.size > this.max) this.kept.delete(this.kept.keys().next().value!);
    const forget = () => {
      if (this.kept.get(key) === entry) this.kept.delete(key);
    };
    value.then((outcome) => outcome.kind === 'read' || forget(), forget);
    return value;
  }
}

export const EXPORT_PATH = '/exports/standing-access/:file';
export const ACTIVITY_EXPORT_PATH = '/exports/elevation-activity/:file';
const FILE = /^([A-Za-z0-9_-]{22,64})\.(csv|json)$/;

/**
 * Where a download came from: the connection's address, and what a proxy in front (App Service's front
 * ends) says in `X-Forwarded-For`, recorded as said (anyone can send the header).
 */
function remoteOf(req: Request): string {
  const forwarded = req.headers['x-forwarded-for'];
  // The last entries: a proxy appends the address it saw, whatever the client put before it.
  const hops =
    typeof forwarded === 'string'
      ? forwarded
          .split(',')
          .map((hop) => hop.trim().slice(0, 64))
          .filter(Boolean)
      : [];
  const said = hops.length > 0 ? ` (forwarded for ${hops.slice(-2).join(', ')})` : '';
  return `${req.socket?.remoteAddress ?? 'unknown'}${said}`;
}

/** How long a link works (use-cases/inventory-export.ts, elevation-activity.ts). */
const LINK_LIFETIME_MS = 15 * 60_000;

/**
 * A download is audited once per link, format and address while the link lives: a link preview, a
 * mail scanner's visit or a second click do not each add a chained entry. In this instance's memory.
 */
class AuditedDownloads {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** True the first time within the link's lifetime. */
  first(key: string): boolean {
    const at = this.now();
    for (const [k, until] of this.seen) if (until <= at) this.seen.delete(k);
    if (this.seen.has(key)) return false;
    this.seen.set(key, at + LINK_LIFETIME_MS);
    return true;
  }
}

function notFound(res: Response, again: string): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`This export does not exist or has expired. ${again}`);
}

function attachment(res: Response, name: string, format: string, body: string): void {
  res.writeHead(200, {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    'content-disposition': `attachment; filename="${name}.${format}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

/**
 * `GET /exports/standing-access/{id}.csv|.json`: an inventory export (issue #15). A Teams bot can attach a file
 * itself only in a 1:1 chat, through the file consent card and the user's OneDrive, and in a channel only through
 * Graph and SharePoint (learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4); the inventory is also
 * asked in the security channel, so the card links here instead: an unguessable id (128 random bits) that works
 * for 15 minutes, `no-store`, served by Elevate's own host.
 */
export function exportDownload(deps: Pick<StandingAccessDeps, 'store' | 'clock' | 'audit' | 'logger'>) {
  const audited = new AuditedDownloads(() => deps.clock.now().getTime());
  return async (req: Request, res: Response): Promise<void> => {
    const match = FILE.exec(String((req.params as Record<string, unknown> | undefined)?.['file'] ?? ''));
    const stored = match ? await readInventoryExport(deps, match[1]!) : undefined;
    if (!match || !stored) return notFound(res, 'Run the inventory again.');
    const format = match[2]!;
    const remoteAddress = remoteOf(req);
    // Audited before the file goes out (a failed append is logged loudly and does not hold the download, as for every step).
    if (audited.first(`${match[1]}|${format}|${remoteAddress}`)) {
      await auditExportDownload(deps, { export: 'standingAccess', format, requestedBy: stored.requestedBy, remoteAddress, rows: stored.rows.length });
    }
    attachment(res, 'standing-access', format, format === 'csv' ? toCsv(stored.rows) : JSON.stringify(stored.rows, null, 2));
  };
}

/**
 * `GET /exports/elevation-activity/{id}.csv|.json` (`audit <elevation id>`, issue #16): the link names an elevation
 * for 15 minutes; its rows are read from Dataverse now, every page, with Elevate's own identity. 404 for an unknown
 * or expired link, 502 when Dataverse could not be read or auditing is off.
 */
export function activityDownload(deps: ElevationActivityDeps & AuditTrailDeps) {
  const reads = new RecentReads<ActivityRead>(ACTIVITY_READ_KEEP_MS, MAX_KEPT_ACTIVITY_READS, () => deps.clock.now().getTime());
  const audited = new AuditedDownloads(() => deps.clock.now().getTime());
  return async (req: Request, res: Response): Promise<void> => {
    const match = FILE.exec(String((req.params as Record<string, unknown> | undefined)?.['file'] ?? ''));
    const link = match ? await readActivityExport(deps, match[1]!) : undefined;
    if (!match || !link) return notFound(res, 'Say audit <elevation id> again.');
    const outcome = await reads.get(link.elevationId, () => readElevationActivity(deps, link.elevationId));
    if (outcome.kind !== 'read') {
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('Elevate could not read the Dataverse audit log of this elevation now. Try again later.');
      return;
    }
    const rows = activityRows(outcome.entries);
    const format = match[2]!;
    const remoteAddress = remoteOf(req);
    if (audited.first(`${match[1]}|${format}|${remoteAddress}`)) {
      const { requestedBy, elevationId } = link;
      await auditExportDownload(deps, { export: 'elevationActivity', format, requestedBy, remoteAddress, rows: rows.length, elevationId });
    }
    attachment(res, `elevation-${link.elevationId}`, format, format === 'csv' ? csvTable(ACTIVITY_COLUMNS, rows) : JSON.stringify(rows, null, 2));
  };
}
