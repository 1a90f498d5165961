/**
 * Reading Adaptive Cards the way a Teams client does: walk every element (body, containers,
 * columns, tables, action sets, ShowCard cards, select actions), find `Action.Execute` buttons,
 * inputs and their choices, and the text a person would read. Pure functions, no I/O.
 */
export type CardNode = Record<string, unknown> & { type?: unknown };

export interface AdaptiveCard extends CardNode {
  type: 'AdaptiveCard';
  body?: CardNode[];
  actions?: CardNode[];
  refresh?: { action?: ExecuteAction; userIds?: string[] };
}

export interface ExecuteAction extends CardNode {
  type: 'Action.Execute';
  verb?: string;
  id?: string;
  title?: string;
  data?: Record<string, unknown>;
  associatedInputs?: 'auto' | 'none';
}

export interface Choice {
  title: string;
  value: string;
}

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** An element and the ShowCard cards it sits in, outermost first. */
export interface Visit {
  node: CardNode;
  showCards: readonly CardNode[];
}

/** Child collections of Adaptive Card elements up to 1.5 (`refresh` and `fallback` are not shown, so not walked). */
const CHILD_KEYS = ['body', 'items', 'columns', 'rows', 'cells', 'actions', 'inlines', 'card', 'selectAction'] as const;

function isNode(value: unknown): value is CardNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every element and action of `card` in document order. */
export function* walkCard(card: CardNode): Generator<Visit> {
  function* visit(node: CardNode, showCards: readonly CardNode[]): Generator<Visit> {
    yield { node, showCards };
    for (const key of CHILD_KEYS) {
      const child = node[key];
      const inner = key === 'card' && node.type === 'Action.ShowCard' && isNode(child) ? [...showCards, child] : showCards;
      for (const item of Array.isArray(child) ? child : [child]) {
        if (isNode(item)) yield* visit(item, inner);
      }
    }
  }
  yield* visit(card, []);
}

/** The text a reader sees: TextBlocks, RichTextBlocks and FactSets (facts as "title value"), one per line. */
export function cardText(card: CardNode | undefined): string {
  if (!card) return '';
  const lines: string[] = [];
  for (const { node } of walkCard(card)) {
    if (node.type === 'TextBlock' && typeof node['text'] === 'string') lines.push(node['text']);
    if (node.type === 'RichTextBlock' && Array.isArray(node['inlines'])) {
      lines.push(node['inlines'].map((i: unknown) => (typeof i === 'string' ? i : isNode(i) && typeof i['text'] === 'string' ? i['text'] : '')).join(''));
    }
    if (node.type === 'FactSet' && Array.isArray(node['facts'])) {
      for (const fact of node['facts'] as unknown[]) {
        if (isNode(fact)) lines.push(`${String(fact['title'] ?? '')} ${String(fact['value'] ?? '')}`.trim());
      }
    }
  }
  return lines.join('\n');
}

function isExecute(node: CardNode): node is ExecuteAction {
  return node.type === 'Action.Execute';
}

/** The `Action.Execute` with `verb` anywhere in the card, with the ShowCard cards around it. */
export function locateAction(card: CardNode, verb: string): { action: ExecuteAction; showCards: readonly CardNode[] } | undefined {
  for (const { node, showCards } of walkCard(card)) {
    if (isExecute(node) && node.verb === verb) return { action: node, showCards };
  }
  return undefined;
}

export function findAction(card: CardNode, verb: string): ExecuteAction | undefined {
  return locateAction(card, verb)?.action;
}

/** Verbs of every `Action.Execute` on the card (buttons, action sets, select actions, ShowCards). */
export function actionVerbs(card: CardNode): string[] {
  return [...walkCard(card)]
    .map((v) => v.node)
    .filter(isExecute)
    .map((a) => a.verb ?? '');
}

/** Titles of all actions, for assertions on what buttons a card offers. */
export function actionTitles(card: CardNode): string[] {
  return [...walkCard(card)]
    .map((v) => v.node)
    .filter((n) => typeof n.type === 'string' && n.type.startsWith('Action.') && typeof n['title'] === 'string')
    .map((n) => n['title'] as string);
}

export function isInput(node: CardNode): boolean {
  return typeof node.type === 'string' && node.type.startsWith('Input.') && typeof node['id'] === 'string';
}

export function inputIds(card: CardNode): string[] {
  return [...walkCard(card)].filter((v) => isInput(v.node)).map((v) => v.node['id'] as string);
}

export function findInput(card: CardNode, inputId: string): CardNode | undefined {
  return [...walkCard(card)].find((v) => isInput(v.node) && v.node['id'] === inputId)?.node;
}

/** The static choices of an `Input.ChoiceSet`; throws when there is no such choice set. */
export function choices(card: CardNode, inputId: string): Choice[] {
  const input = findInput(card, inputId);
  if (!input) throw new Error(`card has no input "${inputId}"; inputs: ${inputIds(card).join(', ') || 'none'}`);
  if (input.type !== 'Input.ChoiceSet') throw new Error(`input "${inputId}" is ${String(input.type)}, not Input.ChoiceSet`);
  const list = Array.isArray(input['choices']) ? (input['choices'] as unknown[]) : [];
  return list.filter(isNode).map((c) => ({ title: String(c['title'] ?? ''), value: String(c['value'] ?? '') }));
}
