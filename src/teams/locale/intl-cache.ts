/**
 * Intl formatters are costly to build (a locale lookup each time) and were built per call: in a
 * storm of requests their construction was a measurable share of the bot's CPU (issue #13). These
 * keep one formatter per locale and options. Locales and zones come from the wire, so each cache is
 * bounded: past its size it starts again rather than grow.
 */
const MAX_ENTRIES = 500;

function memo<T>(build: (locale: string, options: object) => T): (locale: string, options?: object) => T {
  const cache = new Map<string, T>();
  return (locale, options = {}) => {
    const key = `${locale}\u0000${JSON.stringify(options)}`;
    let found = cache.get(key);
    if (found === undefined) {
      if (cache.size >= MAX_ENTRIES) cache.clear();
      found = build(locale, options);
      cache.set(key, found);
    }
    return found;
  };
}

export const numberFormat: (locale: string, options?: Intl.NumberFormatOptions) => Intl.NumberFormat = memo(
  (locale, options) => new Intl.NumberFormat(locale, options),
);
export const dateTimeFormat: (locale: string, options?: Intl.DateTimeFormatOptions) => Intl.DateTimeFormat = memo(
  (locale, options) => new Intl.DateTimeFormat(locale, options),
);
export const listFormat: (locale: string, options?: Intl.ListFormatOptions) => Intl.ListFormat = memo(
  (locale, options) => new Intl.ListFormat(locale, options),
);
