import type { Request, Response } from 'restify';
import { toCsv } from '../../domain/inventory-export.js';
import { readInventoryExport } from '../../use-cases/inventory-export.js';
import type { StandingAccessDeps } from '../../use-cases/standing-access-deps.js';

export const EXPORT_PATH = '/exports/standing-access/:file';

/**
 * `GET /exports/standing-access/{id}.csv|.json`: an inventory export (issue #15). A Teams bot can attach a file
 * itself only in a 1:1 chat, through the file consent card and the user's OneDrive, and in a channel only through
 * Graph and SharePoint (learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4); the inventory is also
 * asked in the security channel, so the card links here instead: an unguessable id (128 random bits) that works
 * for 15 minutes, `no-store`, served by Elevate's own host.
 */
export function exportDownload(deps: Pick<StandingAccessDeps, 'store' | 'clock'>) {
  return async (req: Request, res: Response): Promise<void> => {
    const file = String((req.params as Record<string, unknown> | undefined)?.['file'] ?? '');
    const match = /^([A-Za-z0-9_-]{22,64})\.(csv|json)$/.exec(file);
    const rows = match ? await readInventoryExport(deps, match[1]!) : undefined;
    if (!match || !rows) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('This export does not exist or has expired. Run the inventory again.');
      return;
    }
    const csv = match[2] === 'csv';
    res.writeHead(200, {
      'content-type': csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="standing-access.${match[2]}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(csv ? toCsv(rows) : JSON.stringify(rows, null, 2));
  };
}
