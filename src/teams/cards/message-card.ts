import template from '../../../adaptive-cards/message-card.json';
import { clip, type TextColor } from './card-view.js';
import { compileCard, type AdaptiveCard } from './render.js';
import type { Verb } from './verbs.js';

export type ButtonData = Record<string, string | number | boolean>;

export interface CardButton {
  title: string;
  verb: Verb;
  data?: ButtonData;
}

export type MessageTone = 'default' | 'good' | 'warning' | 'attention';

export interface MessageCardData {
  title: string;
  text?: string;
  /** Shown as a bullet list. */
  items?: readonly string[];
  /** `Action.Execute` buttons, e.g. one per suggested environment (verb `elevate.start`). */
  buttons?: readonly CardButton[];
  tone?: MessageTone;
}

interface MessageCardView {
  title: string;
  color: TextColor;
  hasText: boolean;
  text: string;
  hasItems: boolean;
  items: { text: string }[];
  buttons: { title: string; verb: Verb; data: ButtonData }[];
}

/** Teams shows at most six card actions. */
export const MAX_BUTTONS = 6;
const MAX_ITEMS = 25;
const TONE_COLORS: Readonly<Record<MessageTone, TextColor>> = { default: 'Default', good: 'Good', warning: 'Warning', attention: 'Attention' };
const compiled = compileCard<MessageCardView>('message-card', template);

/** A titled message with optional bullets and buttons: refusals, "did you mean", no eligible role. */
export function renderMessageCard(data: MessageCardData): AdaptiveCard {
  const text = clip(data.text ?? '');
  const items = (data.items ?? []).slice(0, MAX_ITEMS).map((item) => ({ text: clip(item, 300) }));
  return compiled.expand({
    title: clip(data.title, 200),
    color: TONE_COLORS[data.tone ?? 'default'],
    hasText: text !== '',
    text,
    hasItems: items.length > 0,
    items,
    buttons: (data.buttons ?? []).slice(0, MAX_BUTTONS).map((b) => ({ title: clip(b.title, 60), verb: b.verb, data: { ...(b.data ?? {}) } })),
  });
}
