import type { EnvironmentRef } from '../../domain/environment.js';
import { ENGLISH, type Texts } from '../locale/texts.js';

/**
 * Pieces shared by the card view models. Every text that comes from a person or a service goes
 * into a `TextRun` (no Markdown), so a justification like `[click](https://...)` stays plain text.
 */
/**
 * Text colours Elevate uses. Not Good or Warning: in Teams' light theme their green and yellow on white
 * are below 3:1 (tests/unit/teams/cards/accessibility.test.ts checks every theme). Colour is never the
 * only signal: coloured text carries an icon or says it in words.
 */
export type TextColor = 'Default' | 'Attention' | 'Accent';

/** A label/value row; `time` values are ISO instants shown with Teams' DATE() and TIME(). */
export interface FactRow {
  label: string;
  value: string;
  kind: 'text' | 'time' | 'link';
  url: string;
  color: TextColor;
}

/** Longest text Elevate puts into one card field; justifications are capped at 500 anyway. */
export const MAX_FIELD_LENGTH = 1000;

/** `text` cut to `max` characters (with an ellipsis), never splitting a surrogate pair. */
export function clip(text: string, max = MAX_FIELD_LENGTH): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

export function textFact(label: string, value: string, color: TextColor = 'Default'): FactRow {
  return { label, value: clip(value), kind: 'text', url: '', color };
}

/** A time row, or a text row saying "unknown" when `iso` is not a timestamp. */
export function timeFact(label: string, iso: string, texts: Texts = ENGLISH): FactRow {
  const teams = teamsTimestamp(iso);
  return teams ? { label, value: teams, kind: 'time', url: '', color: 'Default' } : textFact(label, texts.c.common.unknown);
}

/** A link row when `url` is an https URL, plain text otherwise. */
export function linkFact(label: string, value: string, url: string | undefined): FactRow {
  return url && isHttpsUrl(url) ? { label, value: clip(value), kind: 'link', url, color: 'Default' } : textFact(label, value);
}

export function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * `2026-01-01T10:00:00Z` form (UTC, no milliseconds), which Teams' `{{DATE()}}`/`{{TIME()}}`
 * accept; undefined when `iso` is not a timestamp.
 */
export function teamsTimestamp(iso: string): string | undefined {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isProduction(environment: EnvironmentRef): boolean {
  return (environment.type ?? '').toLowerCase() === 'production';
}

/** The role row; Global Administrator is flagged (⚠, red) on every card it appears on. */
export function roleFact(roleName: string, texts: Texts = ENGLISH): FactRow {
  const global = roleName.trim().toLowerCase() === 'global administrator';
  return textFact(texts.c.common.role, global ? `${clip(roleName, 200)} ⚠` : clip(roleName, 200), global ? 'Attention' : 'Default');
}

/** Environment rows: name (linked when its URL is known) and type, Production in red. */
export function environmentFacts(environment: EnvironmentRef, link = false, texts: Texts = ENGLISH): FactRow[] {
  const { environment: label, type } = texts.c.common;
  const name = clip(environment.displayName, 200);
  const rows = [link ? linkFact(label, name, environment.url) : textFact(label, name)];
  if (environment.type)
    rows.push(textFact(type, isProduction(environment) ? `${environment.type} ⚠` : environment.type, isProduction(environment) ? 'Attention' : 'Default'));
  return rows;
}
