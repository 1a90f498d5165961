import template from '../../../adaptive-cards/failure-card.json';
import { clip } from './card-view.js';
import { compileCard, type AdaptiveCard } from './render.js';
import type { Catalogue } from '../locale/catalogue-en.js';
import { ENGLISH, type Texts } from '../locale/texts.js';

export interface CorrelationId {
  /** e.g. "Graph request-id", "Power Platform correlation id". */
  label: string;
  value: string;
}

export interface FailureCardData {
  title: string;
  /** What happened, in one or two sentences. */
  message: string;
  /** What the user can do about it. */
  hint?: string;
  correlationIds?: readonly CorrelationId[];
  /** Shows **Try again** (verb `elevate.retry`, data `{ requestId }`). */
  retryable?: boolean;
  requestId: string;
  /** Shows **Sign in** (Action.OpenUrl): the interactive sign-in a step-up or consent needs. */
  signInUrl?: string;
}

interface FailureCardView {
  t: Catalogue;
  title: string;
  message: string;
  hasHint: boolean;
  hint: string;
  hasCorrelationIds: boolean;
  correlationIds: CorrelationId[];
  retryable: boolean;
  requestId: string;
  hasSignIn: boolean;
  signInUrl: string;
}

const MAX_IDS = 6;
const compiled = compileCard<FailureCardView>('failure-card', template);

/** A failed elevation: what happened, what to do, ids for support, optionally Try again. */
export function renderFailureCard(data: FailureCardData, texts: Texts = ENGLISH): AdaptiveCard {
  const ids = (data.correlationIds ?? [])
    .filter((id) => id.value.trim() !== '')
    .slice(0, MAX_IDS)
    .map((id) => ({ label: clip(id.label, 60), value: clip(id.value, 120) }));
  const hint = clip(data.hint ?? '', 500);
  return compiled.expand({
    t: texts.c,
    title: `❌ ${clip(data.title, 200)}`,
    message: clip(data.message),
    hasHint: hint !== '',
    hint,
    hasCorrelationIds: ids.length > 0,
    correlationIds: ids,
    retryable: data.retryable === true,
    requestId: data.requestId,
    hasSignIn: data.signInUrl !== undefined,
    signInUrl: data.signInUrl ?? '',
  });
}
