import template from '../../../adaptive-cards/message-card.json';
import { clip, teamsTimestamp, type TextColor } from './card-view.js';
import { compileCard, type AdaptiveCard } from './render.js';
import type { Verb } from './verbs.js';

export type ButtonData = Record<string, string | number | boolean>;

export interface CardButton {
  title: string;
  verb: Verb;
  data?: ButtonData;
}

export interface MessageItem {
  text: string;
  at?: string;
}

export type MessageTone = 'default' | 'good' | 'warning' | 'attention';

export interface MessageCardData {
  title: string;
  text?: string;
  /** Shown as a bullet list; an item's `at` (ISO instant) is shown under it with Teams' DATE()/TIME(), in the viewer's zone. */
  items?: readonly (string | MessageItem)[];
  /** A time line under the text ("Possible from <date> <time>"), in the viewer's zone; `label` is Elevate's own text, never user text. */
  when?: { label: string; at: string };
  /** `Action.Execute` buttons, e.g. one per suggested environment (verb `elevate.start`). */
  buttons?: readonly CardButton[];
  /** `Action.OpenUrl` links after the buttons (an export's download), https only; with the buttons at most `MAX_BUTTONS`. */
  links?: readonly { title: string; url: string }[];
  tone?: MessageTone;
  /**
   * A command to copy (`npm run audit -- --verify --anchor <seq>:<hash>`), in a wrapping TextBlock: a long
   * hash breaks across lines within Teams' mobile width and still copies whole (a RichTextBlock does not
   * wrap inside a word). Elevate's own text only, never user text (a TextBlock reads markdown).
   */
  command?: string;
}

interface MessageCardView {
  title: string;
  color: TextColor;
  hasText: boolean;
  text: string;
  hasCommand: boolean;
  command: string;
  hasWhen: boolean;
  whenLabel: string;
  whenAt: string;
  hasItems: boolean;
  items: { text: string; hasAt: boolean; at: string }[];
  buttons: { title: string; verb: Verb; data: ButtonData }[];
  links: { title: string; url: string }[];
}

/** Teams shows at most six card actions. */
export const MAX_BUTTONS = 6;
const MAX_ITEMS = 25;
/** Titles are never green or yellow (too little contrast on white); the tone's icon says it without colour. */
const TONE_COLORS: Readonly<Record<MessageTone, TextColor>> = { default: 'Default', good: 'Default', warning: 'Default', attention: 'Attention' };
const TONE_ICONS: Readonly<Record<MessageTone, string>> = { default: '', good: '✅', warning: '⚠️', attention: '⛔' };
/** A title that already starts with an icon (not a letter, digit or quote) keeps it. */
const STARTS_WITH_ICON = /^[^\p{L}\p{N}"'(]/u;

function toneTitle(title: string, tone: MessageTone): string {
  const icon = TONE_ICONS[tone];
  return icon && !STARTS_WITH_ICON.test(title) ? `${icon} ${title}` : title;
}
const compiled = compileCard<MessageCardView>('message-card', template);

/** A titled message with optional bullets and buttons: refusals, "did you mean", no eligible role. */
export function renderMessageCard(data: MessageCardData): AdaptiveCard {
  const text = clip(data.text ?? '');
  const items = (data.items ?? []).slice(0, MAX_ITEMS).map((item) => {
    const at = typeof item === 'string' ? undefined : teamsTimestamp(item.at ?? '');
    return { text: clip(typeof item === 'string' ? item : item.text, 300), hasAt: at !== undefined, at: at ?? '' };
  });
  const whenAt = data.when ? teamsTimestamp(data.when.at) : undefined;
  return compiled.expand({
    title: toneTitle(clip(data.title, 200), data.tone ?? 'default'),
    color: TONE_COLORS[data.tone ?? 'default'],
    hasText: text !== '',
    text,
    hasCommand: (data.command ?? '') !== '',
    command: clip(data.command ?? '', 300),
    hasWhen: whenAt !== undefined,
    whenLabel: clip(data.when?.label ?? '', 100),
    whenAt: whenAt ?? '',
    hasItems: items.length > 0,
    items,
    buttons: (data.buttons ?? []).slice(0, MAX_BUTTONS).map((b) => ({ title: clip(b.title, 60), verb: b.verb, data: { ...(b.data ?? {}) } })),
    links: (data.links ?? [])
      .filter((l) => l.url.startsWith('https://') || l.url.startsWith('http://127.0.0.1') || l.url.startsWith('http://localhost'))
      .slice(0, Math.max(0, MAX_BUTTONS - (data.buttons ?? []).length))
      .map((l) => ({ title: clip(l.title, 60), url: l.url })),
  });
}
