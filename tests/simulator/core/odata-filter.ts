/**
 * The few OData `$filter` forms Elevate sends: `field eq value` joined by `and`, where a value is a
 * quoted string (`'x'`, quotes doubled inside), a bare GUID (Dataverse) or `null`. Anything else is
 * refused by the caller with the service's 400.
 */
export interface Comparison {
  field: string;
  /** `null` for the literal null. */
  value: string | null;
  quoted: boolean;
}

const COMPARISON =
  /^\(?\s*([A-Za-z_][\w/]*)\s+eq\s+(?:'((?:[^']|'')*)'|(null)|([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))\s*\)?$/i;

export function parseFilter(filter: string): Comparison[] | undefined {
  const clauses = filter.trim().split(/\s+and\s+/i);
  const comparisons: Comparison[] = [];
  for (const clause of clauses) {
    const match = COMPARISON.exec(clause.trim());
    if (!match) return undefined;
    const [, field, quoted, isNull, guid] = match;
    if (quoted !== undefined) comparisons.push({ field: field!, value: quoted.replace(/''/g, "'"), quoted: true });
    else if (isNull !== undefined) comparisons.push({ field: field!, value: null, quoted: false });
    else comparisons.push({ field: field!, value: guid!, quoted: false });
  }
  return comparisons;
}

/** The value compared to `field` (case-insensitive name), or undefined. */
export function valueOf(comparisons: readonly Comparison[], field: string): Comparison | undefined {
  return comparisons.find((c) => c.field.toLowerCase() === field.toLowerCase());
}

/** `$select=a,b` → `['a','b']`, or undefined when absent. */
export function parseSelect(select: string | null): string[] | undefined {
  if (select === null || select.trim() === '') return undefined;
  return select
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function project(item: Record<string, unknown>, select: readonly string[] | undefined): Record<string, unknown> {
  if (!select) return item;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (key.startsWith('@odata.') || select.some((s) => s.toLowerCase() === key.toLowerCase())) out[key] = value;
  }
  return out;
}
