import template from '../../../adaptive-cards/request-card.json';
import { durationChoices, parseIsoDuration, toIsoDuration } from '../../domain/duration.js';
import type { EligibleRoleOption } from '../../domain/elevation.js';
import type { EnvironmentRef } from '../../domain/environment.js';
import { GLOBAL_ADMINISTRATOR } from '../../domain/roles.js';
import { clip, environmentFacts, isProduction, textFact, type FactRow } from './card-view.js';
import { compileCard, type AdaptiveCard } from './render.js';
import type { Catalogue } from '../locale/catalogue-en.js';
import { ENGLISH, type Texts } from '../locale/texts.js';

export interface RequestCardData {
  /** Elevate request id, echoed by the Elevate and Cancel buttons. */
  requestId: string;
  environment: EnvironmentRef;
  requesterName: string;
  /** Roles the requester may activate here, in display order. */
  roles: readonly EligibleRoleOption[];
  /** ISO 8601 duration selected when nothing was typed. */
  defaultDuration: string;
  /** Elevate's own cap (ISO 8601), below the roles' PIM maximum. */
  maximumDuration?: string;
  /** Prefilled from what was typed or submitted before. */
  roleId?: string;
  duration?: string;
  justification?: string;
  ticketNumber?: string;
  justificationRequired: boolean;
  ticketRequired: boolean;
  /** Why the previous submission was refused, e.g. "Justification is required". */
  error?: string;
  /** Something the requester must know before elevating (e.g. Elevate cannot undo it here). */
  warning?: string;
}

interface Choice {
  title: string;
  value: string;
}

interface RequestCardView {
  t: Catalogue;
  title: string;
  isProduction: boolean;
  hasError: boolean;
  error: string;
  hasWarning: boolean;
  warning: string;
  facts: FactRow[];
  roleId: string;
  roleChoices: Choice[];
  highRiskOffered: boolean;
  duration: string;
  durationChoices: Choice[];
  showMaximumNote: boolean;
  justification: string;
  justificationRequired: boolean;
  ticketRequired: boolean;
  ticketNumber: string;
  requestId: string;
  /** Echoed with the request id, so that a tap on an expired request can offer to start again there. */
  environmentId: string;
}

const compiled = compileCard<RequestCardView>('request-card', template);
const MIN_CHOICE_MINUTES = 30;

function roleMinutes(role: EligibleRoleOption): number {
  return parseIsoDuration(role.maximumDuration) ?? 0;
}

function roleChoice(role: EligibleRoleOption, texts: Texts): Choice {
  const max = roleMinutes(role);
  const limit = max > 0 ? texts.fill(texts.c.request.upTo, { duration: texts.duration(max) }) : '';
  const risk = role.roleId === GLOBAL_ADMINISTRATOR ? texts.c.request.highRiskSuffix : '';
  // Choice titles are plain text, where Teams' DATE()/TIME() do not apply: the requester's own zone.
  const active = role.activeUntil ? texts.fill(texts.c.request.alreadyActive, { time: texts.time(role.activeUntil) }) : '';
  return { title: `${role.roleName}${active || limit}${risk}`, value: role.roleId };
}

/** The typed role when offered, else the first role that is not Global Administrator. */
function selectedRole(data: RequestCardData): string {
  if (data.roleId && data.roles.some((r) => r.roleId === data.roleId)) return data.roleId;
  return (data.roles.find((r) => r.roleId !== GLOBAL_ADMINISTRATOR) ?? data.roles[0])?.roleId ?? '';
}

/** Steps from 30 minutes to the largest maximum among the roles (capped by Elevate), plus the selected value. */
function durationOptions(data: RequestCardData, texts: Texts): { choices: Choice[]; selected: string } {
  const cap = data.maximumDuration ? parseIsoDuration(data.maximumDuration) : undefined;
  const largest = Math.min(Math.max(0, ...data.roles.map(roleMinutes)), cap ?? Number.POSITIVE_INFINITY);
  const minutes = durationChoices(largest, MIN_CHOICE_MINUTES);
  const wanted = parseIsoDuration(data.duration ?? '') ?? parseIsoDuration(data.defaultDuration);
  let selected = wanted === undefined ? undefined : Math.min(Math.round(wanted), Math.floor(largest));
  if (selected !== undefined && selected >= 5 && !minutes.includes(selected)) minutes.push(selected);
  minutes.sort((a, b) => a - b);
  if (selected === undefined || !minutes.includes(selected)) selected = minutes.find((m) => m >= 60) ?? minutes[minutes.length - 1];
  return {
    choices: minutes.map((m) => ({ title: texts.duration(m), value: toIsoDuration(m) })),
    selected: selected === undefined ? '' : toIsoDuration(selected),
  };
}

/** The request card: role, duration, justification (and ticket) for one environment. */
export function renderRequestCard(data: RequestCardData, texts: Texts = ENGLISH): AdaptiveCard {
  const durations = durationOptions(data, texts);
  const maxima = new Set(data.roles.map(roleMinutes));
  return compiled.expand({
    t: texts.c,
    title: texts.fill(texts.c.request.title, { environment: clip(data.environment.displayName, 200) }),
    isProduction: isProduction(data.environment),
    hasError: Boolean(data.error),
    error: clip(data.error ?? '', 500),
    hasWarning: Boolean(data.warning),
    warning: clip(data.warning ?? '', 500),
    facts: [...environmentFacts(data.environment, false, texts), textFact(texts.c.common.requestedBy, clip(data.requesterName, 200))],
    roleId: selectedRole(data),
    roleChoices: data.roles.map((role) => roleChoice(role, texts)),
    highRiskOffered: data.roles.some((r) => r.roleId === GLOBAL_ADMINISTRATOR),
    duration: durations.selected,
    durationChoices: durations.choices,
    showMaximumNote: maxima.size > 1,
    justification: clip(data.justification ?? '', 500),
    justificationRequired: data.justificationRequired,
    ticketRequired: data.ticketRequired,
    ticketNumber: clip(data.ticketNumber ?? '', 64),
    requestId: data.requestId,
    environmentId: data.environment.id,
  });
}
