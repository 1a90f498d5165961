import template from '../../../adaptive-cards/progress-card.json';
import { formatDuration, parseIsoDuration } from '../../domain/duration.js';
import type { EnvironmentRef } from '../../domain/environment.js';
import { clip, environmentFacts, isProduction, roleFact, teamsTimestamp, textFact, type FactRow, type TextColor } from './card-view.js';
import { compileCard, type AdaptiveCard } from './render.js';

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

function durationText(iso: string): string {
  const minutes = parseIsoDuration(iso);
  return minutes === undefined ? clip(iso, 40) : formatDuration(minutes);
}

/** The requester's card while PIM activation and Power Platform elevation run; no buttons. */
export function renderProgressCard(data: ProgressCardData): AdaptiveCard {
  return compiled.expand({
    title: `Elevating in ${clip(data.environment.displayName, 200)}`,
    isProduction: isProduction(data.environment),
    facts: [roleFact(data.roleName), textFact('Duration', durationText(data.duration)), ...environmentFacts(data.environment).slice(1)],
    steps: data.steps.slice(0, MAX_STEPS).map(stepView),
    note: clip(data.note ?? 'This usually takes under a minute. This card updates as each step finishes.', 300),
  });
}
