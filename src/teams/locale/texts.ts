import { DE } from './catalogue-de.js';
import { listFormat, numberFormat } from './intl-cache.js';
import { EN, type Catalogue } from './catalogue-en.js';
import { FR } from './catalogue-fr.js';
import { DEFAULT_VIEWER, plainTime, viewerOf, type Viewer } from './viewer.js';

export type Language = 'en' | 'de' | 'fr';

function deepFreeze<T extends object>(value: T): T {
  for (const item of Object.values(value)) if (typeof item === 'object' && item !== null) deepFreeze(item as object);
  return Object.freeze(value);
}

/**
 * The message catalogues by language; English is complete, and the others have exactly its keys.
 * Frozen: nothing changes them at run time, and card rendering prepares each one once (render.ts).
 */
export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en: deepFreeze(EN), de: deepFreeze(DE), fr: deepFreeze(FR) };

/** The catalogue language for a Teams locale (`de-DE`, `de-AT` → de; `fr-FR`, `fr-CA` → fr); English otherwise. */
export function languageOf(locale: string | undefined): Language {
  const primary = (locale ?? '').toLowerCase().split(/[-_]/, 1)[0];
  return primary === 'de' || primary === 'fr' ? primary : 'en';
}

export type TextParams = Readonly<Record<string, string | number>>;

/**
 * The words of one reader: their language's catalogue (`c`), and times, durations and lists in their
 * locale and zone. Made from the activity (a turn) or from the chat stored for proactive messages.
 */
export class Texts {
  readonly c: Catalogue;
  readonly language: Language;

  constructor(readonly viewer: Viewer) {
    this.language = languageOf(viewer.locale);
    this.c = CATALOGUES[this.language];
  }

  /** `template` with each `{name}` replaced by `params[name]` (unknown names are left as they are). */
  fill(template: string, params: TextParams): string {
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  }

  /** "2 h 30 min", "2 Std. 30 Min.", in the reader's language. */
  duration(minutes: number): string {
    const whole = Math.max(0, Math.round(minutes));
    const hours = Math.floor(whole / 60);
    const rest = whole % 60;
    const number = (n: number): string => numberFormat(this.viewer.locale).format(n);
    const h = this.fill(this.c.common.hours, { n: number(hours) });
    const m = this.fill(this.c.common.minutes, { n: number(rest) });
    if (hours === 0) return m;
    return rest === 0 ? h : `${h} ${m}`;
  }

  /** A plain-text time in the reader's locale and zone, the zone named. */
  time(iso: string): string {
    return plainTime(this.viewer, iso);
  }

  /** "A, B and C" in the reader's language. */
  list(items: readonly string[]): string {
    return listFormat(this.viewer.locale, { style: 'long', type: 'conjunction' }).format(items);
  }
}

/** English, UTC: for callers that know nothing of the reader (the security channel before anyone spoke there). */
export const ENGLISH = new Texts(DEFAULT_VIEWER);

/** The texts of a chat: its stored (or current) Teams locale and time zone. */
export function textsFor(chat?: { locale?: string | undefined; timezone?: string | undefined }): Texts {
  return chat?.locale || chat?.timezone ? new Texts(viewerOf(chat)) : ENGLISH;
}
