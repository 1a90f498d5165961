import { Template } from 'adaptivecards-templating';

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

function mapStrings(value: unknown, map: (text: string) => string): Json {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value !== 'object') return null;
  const copy: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) copy[key] = mapStrings(item, map);
  }
  return copy;
}

const shield = (text: string): string => text.replaceAll(SHIELD, '').replaceAll('${', `${SHIELD}{`);
const unshield = (text: string): string => text.replaceAll(`${SHIELD}{`, '${');

function findUnexpanded(value: Json): string | undefined {
  if (typeof value === 'string') return value.includes('${') ? value : undefined;
  if (Array.isArray(value)) return value.map(findUnexpanded).find((found) => found !== undefined);
  if (value !== null && typeof value === 'object')
    return Object.values(value)
      .map(findUnexpanded)
      .find((found) => found !== undefined);
  return undefined;
}

/** A compiled card template: `expand` binds data and checks the result. */
export interface CardTemplate<TView extends object> {
  readonly name: string;
  expand(view: TView): AdaptiveCard;
}

/**
 * Compiles `json` (one file of `adaptive-cards/`) once. `expand` deep-copies the view, binds it as
 * `$root`, and throws CardRenderError when a template expression was left unexpanded (a field
 * missing from the view) or the card exceeds MAX_CARD_BYTES. User text such as `${requester.name}`
 * in a justification comes out literally.
 */
export function compileCard<TView extends object>(name: string, json: object): CardTemplate<TView> {
  const template = new Template(JSON.parse(JSON.stringify(json)));
  return {
    name,
    expand(view: TView): AdaptiveCard {
      const expanded = mapStrings(template.expand({ $root: mapStrings(view, shield) }), (text) => text);
      const leftover = findUnexpanded(expanded);
      if (leftover !== undefined) throw new CardRenderError(name, `template expression left unexpanded in "${leftover.slice(0, 80)}"`);
      const card = mapStrings(expanded, unshield) as unknown as AdaptiveCard;
      if (card.type !== 'AdaptiveCard' || !Array.isArray(card.body)) throw new CardRenderError(name, 'the template is not an Adaptive Card');
      if (Array.isArray(card.actions) && card.actions.length === 0) delete card.actions;
      const size = cardBytes(card);
      if (size > MAX_CARD_BYTES) throw new CardRenderError(name, `is ${size} bytes, over the ${MAX_CARD_BYTES}-byte limit`);
      return card;
    },
  };
}

/** Size of the card as sent (UTF-8 JSON). */
export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
