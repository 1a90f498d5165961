import { actionVerbs, isInput, locateAction, walkCard, type CardNode, type ExecuteAction } from './cards.js';

/**
 * What Teams sends when a person taps an `Action.Execute` button: the invoke value
 * `{ action: { type, verb, data }, trigger }` of `adaptiveCard/action` (Universal Actions,
 * learn.microsoft.com/adaptive-cards/authoring-cards/universal-action-model; botframework-schema
 * `AdaptiveCardInvokeValue`). As the Adaptive Cards renderer does, the values of the inputs in the
 * action's scope (the card, plus the ShowCard cards around the action) are merged into a copy of
 * `action.data`, inputs winning; empty inputs are left out; `associatedInputs: "none"` sends no
 * inputs; a required input that is empty stops the tap, as the client would.
 */
export type InputValue = string | number | boolean | readonly string[];
export type ActionInputs = Record<string, InputValue>;

export interface ExecuteInvokeValue {
  action: { type: 'Action.Execute'; verb: string; data: Record<string, unknown>; id?: string };
  trigger: 'manual' | 'automatic';
}

export interface BuildOptions {
  /**
   * Default true: refuse inputs the card does not have and empty required inputs, as the Teams
   * client would. False sends whatever is given (to test the bot's own validation).
   */
  validate?: boolean;
}

/** The value an input holds before anyone touches it (its `value`; a toggle's `valueOff`). */
function initialValue(input: CardNode): string | undefined {
  if (input.type === 'Input.Toggle') return String(input['value'] ?? input['valueOff'] ?? 'false');
  const value = input['value'];
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** Teams submits every input value as a string; multi-select choice sets as "a,b". */
function asSubmitted(input: CardNode | undefined, value: InputValue): string {
  if (typeof value === 'boolean' && input?.type === 'Input.Toggle') {
    return String(value ? (input['valueOn'] ?? 'true') : (input['valueOff'] ?? 'false'));
  }
  return Array.isArray(value) ? value.join(',') : String(value);
}

function startsWith(inner: readonly CardNode[], outer: readonly CardNode[]): boolean {
  return inner.every((card, i) => outer[i] === card);
}

function scopedInputs(card: CardNode, actionShowCards: readonly CardNode[]): Map<string, CardNode> {
  const inputs = new Map<string, CardNode>();
  for (const { node, showCards } of walkCard(card)) {
    if (isInput(node) && startsWith(showCards, actionShowCards)) inputs.set(node['id'] as string, node);
  }
  return inputs;
}

function collectValues(inputs: Map<string, CardNode>, given: ActionInputs, validate: boolean): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [id, input] of inputs) {
    const value = id in given ? asSubmitted(input, given[id] as InputValue) : initialValue(input);
    if (value !== undefined && value !== '') values[id] = value;
    else if (validate && input['isRequired'] === true) {
      throw new Error(`Teams would not send this: required input "${id}" is empty (pass { validate: false } to send anyway)`);
    }
  }
  for (const [id, value] of Object.entries(given)) {
    if (inputs.has(id)) continue;
    if (validate) throw new Error(`the action's scope has no input "${id}"; inputs: ${[...inputs.keys()].join(', ') || 'none'}`);
    values[id] = asSubmitted(undefined, value);
  }
  return values;
}

function invokeAction(action: ExecuteAction, data: Record<string, unknown>): ExecuteInvokeValue['action'] {
  return { type: 'Action.Execute', verb: action.verb ?? '', data, ...(action.id !== undefined ? { id: action.id } : {}) };
}

/** The `adaptiveCard/action` invoke value for tapping `verb` on `card` with `inputs` filled in. */
export function buildExecuteValue(card: CardNode, verb: string, inputs: ActionInputs = {}, options: BuildOptions = {}): ExecuteInvokeValue {
  const found = locateAction(card, verb);
  if (!found) throw new Error(`card has no Action.Execute with verb "${verb}"; verbs: ${actionVerbs(card).join(', ') || 'none'}`);
  const validate = options.validate ?? true;
  const scope = found.action.associatedInputs === 'none' ? new Map<string, CardNode>() : scopedInputs(card, found.showCards);
  const values = collectValues(scope, inputs, validate);
  return { action: invokeAction(found.action, { ...(found.action.data ?? {}), ...values }), trigger: 'manual' };
}

/** The invoke value Teams sends to refresh a card for a listed user (`refresh.action`, trigger "automatic"). */
export function buildRefreshValue(card: CardNode): ExecuteInvokeValue {
  const refresh = card['refresh'];
  const action = typeof refresh === 'object' && refresh !== null ? (refresh as { action?: unknown }).action : undefined;
  if (typeof action !== 'object' || action === null || (action as CardNode).type !== 'Action.Execute') {
    throw new Error('card has no refresh.action of type Action.Execute');
  }
  const execute = action as ExecuteAction;
  return { action: invokeAction(execute, { ...(execute.data ?? {}) }), trigger: 'automatic' };
}
