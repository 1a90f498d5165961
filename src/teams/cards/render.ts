import { createRequire } from 'node:module';
import type { Template } from 'adaptivecards-templating';

type TemplatingModule = typeof import('adaptivecards-templating');
let templating: TemplatingModule | undefined;

/**
 * adaptivecards-templating (with adaptive-expressions and antlr4ts under it) is loaded at the first
 * card, not at start-up, where it was a fifth of the bot's own start time (issue #13).
 */
function newTemplate(json: unknown): Template {
  templating ??= createRequire(__filename)('adaptivecards-templating') as TemplatingModule;
  return new templating.Template(json);
}

/**
 * Expands the Adaptive Card templates of `adaptive-cards/` with typed data. Templates are
 * compiled once; data is only ever bound into them, never used as template source.
 */
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_VERSION = '1.5';
/** Teams accepts about 28 KB per card; Elevate's cards must stay under it. */
export const MAX_CARD_BYTES = 28 * 1024;

export interface CardElement {
  type: string;
  [key: string]: unknown;
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: CardElement[];
  actions?: CardElement[];
  [key: string]: unknown;
}

export class CardRenderError extends Error {
  constructor(
    readonly card: string,
    problem: string,
  ) {
    super(`Card ${card}: ${problem}`);
    this.name = 'CardRenderError';
  }
}

/**
 * `${` in data would be indistinguishable from a template expression the engine left
 * unexpanded, so data strings carry it as this private-use character during expansion.
 */
const SHIELD = '\uE000';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Shielded copies of frozen objects (the message catalogues): they cannot change, so each is copied once. */
const shieldedFrozen = new WeakMap<object, Json>();

function shieldStrings(value: unknown): Json {
  if (typeof value === 'string') return shield(value);
  if (Array.isArray(value)) return value.map(shieldStrings);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value !== 'object') return null;
  const frozen = Object.isFrozen(value);
  const kept = frozen ? shieldedFrozen.get(value) : undefined;
  if (kept !== undefined) return kept;
  const copy: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) copy[key] = shieldStrings(item);
  }
  if (frozen) shieldedFrozen.set(value, copy);
  return copy;
}

// Most strings hold neither: they are passed through as they are (cards are rendered on every turn).
const shield = (text: string): string => (text.includes('$') || text.includes(SHIELD) ? text.replaceAll(SHIELD, '').replaceAll('${', `${SHIELD}{`) : text);

/**
 * The expanded card as plain JSON with data's `${` given back, in one walk; throws on a template
 * expression the engine left unexpanded (a field missing from the view).
 */
function finish(value: unknown, name: string): Json {
  if (typeof value === 'string') {
    if (value.includes('${')) throw new CardRenderError(name, `template expression left unexpanded in "${value.slice(0, 80)}"`);
    return value.includes(SHIELD) ? value.replaceAll(`${SHIELD}{`, '${') : value;
  }
  if (Array.isArray(value)) return value.map((item) => finish(item, name));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value !== 'object') return null;
  const copy: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) copy[key] = finish(item, name);
  }
  return copy;
}

/** A compiled card template: `expand` binds data and checks the result. */
export interface CardTemplate<TView extends object> {
  readonly name: string;
  expand(view: TView): AdaptiveCard;
}

/**
 * Compiles `json` (one file of `adaptive-cards/`) once, at its first use (compiling all forty
 * templates at start-up was a tenth of the start time, issue #13). `expand` deep-copies the view, binds it as
 * `$root`, and throws CardRenderError when a template expression was left unexpanded (a field
 * missing from the view) or the card exceeds MAX_CARD_BYTES. User text such as `${requester.name}`
 * in a justification comes out literally.
 */
export function compileCard<TView extends object>(name: string, json: object): CardTemplate<TView> {
  const source = JSON.stringify(json);
  let template: Template | undefined;
  return {
    name,
    expand(view: TView): AdaptiveCard {
      template ??= newTemplate(JSON.parse(source));
      const card = finish(template.expand({ $root: shieldStrings(view) }), name) as unknown as AdaptiveCard;
      if (card.type !== 'AdaptiveCard' || !Array.isArray(card.body)) throw new CardRenderError(name, 'the template is not an Adaptive Card');
      if (Array.isArray(card.actions) && card.actions.length === 0) delete card.actions;
      withSummary(card, MAX_FALLBACK_CHARS, MAX_SPEAK_CHARS);
      let size = cardBytes(card);
      if (size > MAX_CARD_BYTES) {
        // A card full of user text keeps the title only as its summary rather than go over the limit.
        withSummary(card, SHORT_SUMMARY_CHARS, SHORT_SUMMARY_CHARS, true);
        size = cardBytes(card);
      }
      if (size > MAX_CARD_BYTES) throw new CardRenderError(name, `is ${size} bytes, over the ${MAX_CARD_BYTES}-byte limit`);
      return card;
    },
  };
}

const MAX_FALLBACK_CHARS = 600;
const MAX_SPEAK_CHARS = 300;
const SHORT_SUMMARY_CHARS = 80;

/**
 * The text a reader sees, in order: TextBlocks and RichTextBlocks (not inputs, not actions), times left
 * out; `enoughChars`: stop once the texts found hold that many characters (a summary needs no more).
 */
export function readableTexts(node: unknown, enoughChars = Infinity): string[] {
  const found: string[] = [];
  let chars = 0;
  const visit = (value: unknown): void => {
    if (chars >= enoughChars) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const element = value as Record<string, unknown>;
    if (typeof element['type'] === 'string' && element['type'].startsWith('Input.')) return;
    const own =
      element['type'] === 'TextBlock' && typeof element['text'] === 'string'
        ? element['text']
        : element['type'] === 'RichTextBlock' && Array.isArray(element['inlines'])
          ? element['inlines'].map((i) => (typeof i === 'object' && i !== null ? String((i as { text?: unknown }).text ?? '') : String(i))).join('')
          : undefined;
    const text = own === undefined ? '' : readable(own);
    if (text !== '') {
      found.push(text);
      chars += text.length;
    }
    for (const key of ['body', 'items', 'columns']) visit(element[key]);
  };
  visit(node);
  return found;
}

function readable(text: string): string {
  return text
    .replace(/\{\{[^}]*\}\}/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Accessibility: `fallbackText` (what a client that cannot render the card shows, and notifications)
 * and `speak` (what a screen reader or voice client says first: the title and the first sentence), both
 * from the card's own text. `speak` may be read as SSML, so markup characters are left out of it.
 */
function withSummary(card: AdaptiveCard, fallbackChars: number, speakChars: number, titleOnly = false): void {
  const texts = readableTexts(card.body, titleOnly ? 1 : fallbackChars).slice(0, titleOnly ? 1 : undefined);
  card['fallbackText'] = clipText(texts.join('\n'), fallbackChars);
  card['speak'] = clipText(texts.slice(0, 2).join('. ').replace(/[<>]/g, ' ').replaceAll('&', ' and '), speakChars);
}

function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Size of the card as sent (UTF-8 JSON). */
export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
