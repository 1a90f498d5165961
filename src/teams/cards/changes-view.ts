import type { ChangeSummary } from '../../domain/what-changed.js';
import type { Texts } from '../locale/texts.js';
import type { MessageItem } from './message-card.js';

/**
 * The "what changed" sentence of an ended elevation: counts by operation and table, none, auditing off
 * (with the setting to change), or that the audit log could not be read. Undefined for records ended
 * before Elevate read audit logs.
 */
export function changesText(summary: ChangeSummary | undefined, environment: string, who: string, texts: Texts): string | undefined {
  const c = texts.c.changes;
  if (!summary) return undefined;
  if (summary.state === 'off') return texts.fill(c.off, { environment });
  if (summary.state === 'unread') return texts.fill(c.unread, { environment });
  if (summary.total === 0) return texts.fill(c.none, { environment, who });
  const operations = texts.list(summary.byOperation.map((o) => texts.fill(c.count, { n: o.count, name: c[o.operation] })));
  const tables = texts.list(summary.byTable.map((t) => texts.fill(c.count, { n: t.count, name: t.table })));
  return texts.fill(summary.truncated ? c.countedAtLeast : c.counted, { count: summary.total, who, environment, operations, tables });
}

/** The first records as bullets, each with its time (Teams' DATE()/TIME(), the viewer's zone). */
export function changesItems(summary: ChangeSummary | undefined, texts: Texts): MessageItem[] {
  if (summary?.state !== 'on') return [];
  return summary.first.map((e) => ({ text: recordLine(e, texts), at: e.at }));
}

/** The first records in one line, for the channel post's facts (no times: those are on the requester's card). */
export function changesRecords(summary: ChangeSummary | undefined, texts: Texts): string | undefined {
  if (summary?.state !== 'on' || summary.first.length === 0) return undefined;
  return summary.first.map((e) => recordLine(e, texts)).join('; ');
}

function recordLine(e: Extract<ChangeSummary, { state: 'on' }>['first'][number], texts: Texts): string {
  const c = texts.c.changes;
  const operation = c[({ 1: 'Create', 2: 'Update', 3: 'Delete', 4: 'Access' } as const)[e.operation as 1 | 2 | 3 | 4] ?? 'Other'];
  return texts.fill(c.item, { operation, table: e.table, name: e.recordName ?? e.recordId ?? '' });
}
