import { CATALOGUES, type Language } from './texts.js';

/**
 * The catalogue language for a browser's `Accept-Language` header (RFC 9110 §12.5.4): the language
 * ranges with their `q` weights, the best-weighted one Elevate has a catalogue for (`de-CH` → de;
 * ties keep the header's order; `q=0` means "not this one"); English when none matches, for `*`,
 * and when the header is missing or unreadable. Used for the browser pages (sign-in callback), which
 * have no Teams locale.
 */
export function languageFromAcceptLanguage(header: string | undefined): Language {
  if (!header) return 'en';
  const ranges = header
    .slice(0, 512)
    .split(',')
    .map((part, order) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
      return { range: range.trim().toLowerCase(), weight: q === undefined ? 1 : Number(q), order };
    })
    .filter((r) => r.range !== '' && r.range !== '*' && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  const best = ranges.map((r) => r.range.split('-')[0]).find((primary): primary is Language => primary !== undefined && Object.hasOwn(CATALOGUES, primary));
  return best ?? 'en';
}
