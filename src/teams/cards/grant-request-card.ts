import template from '../../../adaptive-cards/grant-request-card.json';
import { durationChoices, parseIsoDuration, toIsoDuration } from '../../domain/duration.js';
import type { RbacPrincipal, RbacScope } from '../../domain/rbac.js';
import type { Catalogue } from '../locale/catalogue-en.js';
import { ENGLISH, type Texts } from '../locale/texts.js';
import { clip, textFact, type FactRow } from './card-view.js';
import { compileCard, type AdaptiveCard } from './render.js';

/** The grant request card (issue #14): what the Elevate policy lets this requester ask for, prefilled with what was typed. */
export interface GrantRequestCardData {
  /** Made by Elevate when the card is made; a submission with it names one grant (double taps). */
  draftId: string;
  requester: { aadObjectId: string; name: string };
  principal: RbacPrincipal;
  roles: readonly { id: string; name: string }[];
  scopes: readonly { key: string; scope: RbacScope }[];
  maximumMinutes: number;
  ticket: 'none' | 'some' | 'all';
  minJustificationLength: number;
  /** Prefilled from what was typed or submitted before. */
  roleId?: string;
  scopeKey?: string;
  duration?: string;
  justification?: string;
  ticketNumber?: string;
  /** Why the previous submission was refused, or what was typed that could not be offered. */
  error?: string;
}

interface Choice {
  title: string;
  value: string;
}

interface GrantRequestCardView {
  t: Catalogue;
  title: string;
  hasError: boolean;
  error: string;
  facts: FactRow[];
  roleId: string;
  roleChoices: Choice[];
  scope: string;
  scopeChoices: Choice[];
  duration: string;
  durationChoices: Choice[];
  maximumNote: string;
  justification: string;
  justificationRequired: boolean;
  showTicket: boolean;
  ticketRequired: boolean;
  ticketNumber: string;
  draftId: string;
  requesterId: string;
  app: string;
}

const compiled = compileCard<GrantRequestCardView>('grant-request-card', template);

function scopeTitle(scope: RbacScope, texts: Texts): string {
  const c = texts.c.grantRequest;
  if (scope.kind === 'tenant') return c.tenant;
  return texts.fill(scope.kind === 'environmentGroup' ? c.environmentGroup : c.environment, { name: clip(scope.displayName, 200) });
}

/** Steps from 30 minutes to the maximum; the typed duration (within it) is kept as a choice; else 1 hour or the maximum. */
function durations(data: GrantRequestCardData, texts: Texts): { choices: Choice[]; selected: string } {
  const minutes = durationChoices(data.maximumMinutes, 30);
  const typed = parseIsoDuration(data.duration ?? '');
  const wanted = typed === undefined ? undefined : Math.min(Math.round(typed), Math.floor(data.maximumMinutes));
  if (wanted !== undefined && wanted >= 5 && !minutes.includes(wanted)) minutes.push(wanted);
  minutes.sort((a, b) => a - b);
  const selected = wanted !== undefined && minutes.includes(wanted) ? wanted : (minutes.find((m) => m >= 60) ?? minutes[minutes.length - 1]);
  return {
    choices: minutes.map((m) => ({ title: texts.duration(m), value: toIsoDuration(m) })),
    selected: selected === undefined ? '' : toIsoDuration(selected),
  };
}

/** The request card of a Power Platform RBAC grant: role, scope, duration, justification (and ticket). */
export function renderGrantRequestCard(data: GrantRequestCardData, texts: Texts = ENGLISH): AdaptiveCard {
  const c = texts.c.grantRequest;
  const app = data.principal.type === 'ApplicationUser' ? data.principal : undefined;
  const choice = durations(data, texts);
  const who = app ? texts.fill(c.app, { name: clip(app.name, 200), appId: app.appId }) : texts.fill(c.you, { name: clip(data.requester.name, 200) });
  return compiled.expand({
    t: texts.c,
    title: app ? texts.fill(c.titleApp, { app: clip(app.name, 200) }) : c.title,
    hasError: Boolean(data.error),
    error: clip(data.error ?? '', 500),
    facts: [textFact(c.forWho, who)],
    roleId: data.roles.some((r) => r.id === data.roleId) ? (data.roleId ?? '') : data.roles.length === 1 ? data.roles[0]!.id : '',
    roleChoices: data.roles.map((r) => ({ title: clip(r.name, 200), value: r.id })),
    scope: data.scopes.some((s) => s.key === data.scopeKey) ? (data.scopeKey ?? '') : data.scopes.length === 1 ? data.scopes[0]!.key : '',
    scopeChoices: data.scopes.map((s) => ({ title: scopeTitle(s.scope, texts), value: s.key })),
    duration: choice.selected,
    durationChoices: choice.choices,
    maximumNote: texts.fill(c.maximumNote, { duration: texts.duration(data.maximumMinutes) }),
    justification: clip(data.justification ?? '', 500),
    justificationRequired: data.minJustificationLength > 0,
    showTicket: data.ticket !== 'none' || Boolean(data.ticketNumber),
    ticketRequired: data.ticket === 'all',
    ticketNumber: clip(data.ticketNumber ?? '', 64),
    draftId: data.draftId,
    requesterId: data.requester.aadObjectId,
    app: app?.appId ?? '',
  });
}
