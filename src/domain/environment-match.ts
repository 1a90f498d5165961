import type { EnvironmentRef } from './environment.js';
import { foldText } from './text.js';

/** The outcome of looking a typed name up among the requester's own environments. */
export type EnvironmentMatch =
  { kind: 'match'; environment: EnvironmentRef } | { kind: 'ambiguous'; candidates: EnvironmentRef[] } | { kind: 'none'; suggestions: EnvironmentRef[] };

const MAX_SUGGESTIONS = 3;
const MAX_FUZZY_LENGTH = 100;
const MIN_PREFIX_LENGTH = 2;

interface Keys {
  environment: EnvironmentRef;
  name: string;
  compact: string;
  domain: string;
  host: string;
}

type Tier = (query: string, keys: Keys[]) => Keys[];

/**
 * Finds the environment the requester means, trying in order: id, display name (ignoring case,
 * accents, punctuation and spacing), domain name or Dataverse host/URL, display name without spaces,
 * unique prefix, whole words of the display name. A tier with several hits is ambiguous. With none,
 * up to three near names (Damerau-Levenshtein) are suggested. Only environments from the given list
 * are ever returned, so a user can never reach one they were not shown.
 */
export function matchEnvironment(query: string, environments: readonly EnvironmentRef[]): EnvironmentMatch {
  const keys = environments.map(keysOf);
  for (const variant of queryVariants(query)) {
    for (const tier of TIERS) {
      const hits = tier(variant, keys);
      if (hits.length === 1 && hits[0]) return { kind: 'match', environment: hits[0].environment };
      if (hits.length > 1) return { kind: 'ambiguous', candidates: byName(hits).map((k) => k.environment) };
    }
  }
  return { kind: 'none', suggestions: suggest(query.trim(), keys) };
}

/** The query as typed, then without "the" in front and "environment"/"env" behind. */
function queryVariants(query: string): string[] {
  const raw = query.trim();
  const stripped = raw.replace(/^the\s+/i, '').replace(/\s+(?:environment|env)$/i, '');
  return stripped !== raw && stripped ? [raw, stripped] : raw ? [raw] : [];
}

function keysOf(environment: EnvironmentRef): Keys {
  const name = foldText(environment.displayName);
  return {
    environment,
    name,
    compact: name.replace(/ /g, ''),
    domain: (environment.domainName ?? '').trim().toLowerCase(),
    host: environment.url ? (hostOf(environment.url) ?? '') : '',
  };
}

/** `https://contosoprod.crm.dynamics.com/main.aspx` → `contosoprod.crm.dynamics.com`; undefined if not a host. */
function hostOf(text: string): string | undefined {
  const host = text
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .split(/[/?#]/, 1)[0]
    ?.replace(/:\d+$/, '')
    .replace(/\.$/, '');
  return host && host.includes('.') && /^[a-z0-9.-]+$/.test(host) ? host : undefined;
}

const TIERS: readonly Tier[] = [
  (query, keys) => keys.filter((k) => k.environment.id.toLowerCase() === query.toLowerCase()),
  (query, keys) => keys.filter((k) => k.name !== '' && k.name === foldText(query)),
  (query, keys) => {
    const host = hostOf(query);
    const label = host?.split('.')[0];
    const lower = query.toLowerCase();
    return keys.filter((k) => (k.domain !== '' && (k.domain === lower || k.domain === label)) || (host !== undefined && k.host === host));
  },
  (query, keys) => keys.filter((k) => k.compact !== '' && k.compact === foldText(query).replace(/ /g, '')),
  (query, keys) => {
    const folded = foldText(query);
    if (folded.length < MIN_PREFIX_LENGTH) return [];
    return keys.filter((k) => k.name.startsWith(folded) || (k.domain !== '' && k.domain.startsWith(folded.replace(/ /g, ''))));
  },
  (query, keys) => {
    const folded = foldText(query);
    if (folded.length < MIN_PREFIX_LENGTH) return [];
    return keys.filter((k) => ` ${k.name} `.includes(` ${folded} `));
  },
];

/** By display name, then id, so that the order never depends on the host's locale or the input order. */
function compareNames(a: EnvironmentRef, b: EnvironmentRef): number {
  return a.displayName.localeCompare(b.displayName, 'en', { sensitivity: 'base' }) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function byName(keys: Keys[]): Keys[] {
  return [...keys].sort((a, b) => compareNames(a.environment, b.environment));
}

/** Edits allowed for a suggestion: about one in three characters, at least one, at most four. */
function threshold(length: number): number {
  return Math.min(4, Math.max(1, Math.floor(length / 3)));
}

function suggest(query: string, keys: Keys[]): EnvironmentRef[] {
  const folded = foldText(query);
  if (folded.length < MIN_PREFIX_LENGTH || folded.length > MAX_FUZZY_LENGTH) return [];
  const limit = threshold(folded.length);
  return (
    keys
      .map((k) => ({ k, score: score(folded, k) }))
      // Fractions only rank (a name typed with extra words, a matching word): they never exclude.
      .filter(({ score }) => Math.floor(score) <= limit)
      .sort((a, b) => a.score - b.score || compareNames(a.k.environment, b.k.environment))
      .slice(0, MAX_SUGGESTIONS)
      .map(({ k }) => k.environment)
  );
}

/** How far the query is from an environment: the closest of its name, compact name, domain and words. */
function score(query: string, k: Keys): number {
  // "Contoso Prod please": the whole name typed with extra words is the best suggestion there is.
  if (k.name !== '' && query.startsWith(`${k.name} `)) return 0.5;
  const name = k.name.slice(0, MAX_FUZZY_LENGTH);
  const candidates = [editDistance(query, name), editDistance(query.replace(/ /g, ''), k.compact.slice(0, MAX_FUZZY_LENGTH))];
  if (k.domain) candidates.push(editDistance(query.replace(/ /g, ''), k.domain));
  if (query.length >= 3 && !query.includes(' ')) {
    for (const word of name.split(' ')) if (word.length >= 3) candidates.push(editDistance(query, word) + 0.25);
    if (name.length > query.length) candidates.push(editDistance(query, name.slice(0, query.length)) + 0.25);
  }
  return Math.min(...candidates);
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
