import template from '../../../adaptive-cards/progress-card.json';
import { parseIsoDuration } from '../../domain/duration.js';
import type { EnvironmentRef } from '../../domain/environment.js';
import { clip, environmentFacts, isProduction, roleFact, teamsTimestamp, textFact, type FactRow, type TextColor } from './card-view.js';
import { compileCard, type AdaptiveCard } from './render.js';
import type { Catalogue } from '../locale/catalogue-en.js';
import { ENGLISH, type Texts } from '../locale/texts.js';

export type StepState = 'done' | 'running' | 'pending' | 'failed';

export interface ProgressStep {
  label: string;
  state: StepState;
  /** e.g. "Waiting for Power Platform to see the role (attempt 3)". */
  detail?: string;
  /** Times under the step ("Next try …"), shown with Teams' DATE()/TIME() in each viewer's zone; labels are Elevate's own text. */
  times?: readonly { label: string; at: string }[];
}

export interface ProgressCardData {
  environment: EnvironmentRef;
  roleName: string;
  /** ISO 8601 duration requested. */
  duration: string;
  steps: readonly ProgressStep[];
  /** Replaces "This usually takes under a minute." */
  note?: string;
}

interface StepView {
  icon: string;
  label: string;
  weight: 'Default' | 'Bolder';
  color: TextColor;
  hasDetail: boolean;
  detail: string;
  times: { label: string; at: string }[];
}

interface ProgressCardView {
  t: Catalogue;
  title: string;
  isProduction: boolean;
  facts: FactRow[];
  steps: StepView[];
  note: string;
}

export const STEP_ICONS: Readonly<Record<StepState, string>> = { done: '✅', running: '⏳', pending: '▫️', failed: '❌' };
const MAX_STEPS = 12;
const compiled = compileCard<ProgressCardView>('progress-card', template);

function stepView(step: ProgressStep): StepView {
  const detail = clip(step.detail ?? '', 300);
  return {
    icon: STEP_ICONS[step.state],
    label: clip(step.label, 200),
    weight: step.state === 'running' ? 'Bolder' : 'Default',
    color: step.state === 'failed' ? 'Attention' : 'Default',
    hasDetail: detail !== '',
    detail,
    times: (step.times ?? []).flatMap((t) => {
      const at = teamsTimestamp(t.at);
      return at ? [{ label: clip(t.label, 60), at }] : [];
    }),
  };
}

function durationText(iso: string, texts: Texts): string {
  const minutes = parseIsoDuration(iso);
  return minutes === undefined ? clip(iso, 40) : texts.duration(minutes);
}

/** The requester's card while PIM activation and Power Platform elevation run; no buttons. */
export function renderProgressCard(data: ProgressCardData, texts: Texts = ENGLISH): AdaptiveCard {
  return compiled.expand({
    t: texts.c,
    title: texts.fill(texts.c.progress.title, { environment: clip(data.environment.displayName, 200) }),
    isProduction: isProduction(data.environment),
    facts: [
      roleFact(data.roleName, texts),
      textFact(texts.c.common.duration, durationText(data.duration, texts)),
      ...environmentFacts(data.environment, false, texts).slice(1),
    ],
    steps: data.steps.slice(0, MAX_STEPS).map(stepView),
    note: clip(data.note ?? texts.c.progress.note, 300),
  });
}
