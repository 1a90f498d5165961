import { effectivePolicy } from '../../domain/elevate-policy.js';
import { extensionLeft } from '../../domain/extension.js';
import type { Command } from '../../domain/command.js';
import { extendElevation } from '../../use-cases/extend-elevation.js';
import type { ExtendOutcome } from '../../use-cases/apply-extension.js';
import { elevationById } from '../../use-cases/requester-status.js';
import { extendOutcomeCard } from '../cards/extend-card.js';
import { messageCard, type AdaptiveCard } from '../cards/elevation-cards.js';
import { textsFor, type Texts } from '../locale/texts.js';
import type { TeamsServices } from '../services.js';
import { turnUser, type Turn } from '../turn.js';
import { needsSignIn, refuseNotYours, text, type VerbHandler } from './card-action-support.js';

/** `extend [by 1h] [because …]`: the requester's active elevation that ends last gets more time (issue #16). */
export async function handleExtend(services: TeamsServices, turn: Turn, command: Extract<Command, { kind: 'extend' }>): Promise<void> {
  const user = turnUser(turn);
  if (!user) return;
  const texts = textsFor(turn.chat);
  if (!(await services.signIn.ensureSignedIn(turn, turn.text ?? 'extend'))) return;
  const outcome = await extendElevation(services.elevation, {
    tapperId: user.aadObjectId,
    ...(command.minutes !== undefined ? { minutes: command.minutes } : {}),
    ...(command.justification ? { justification: command.justification } : {}),
  });
  await turn.send({ card: outcomeCard(services, outcome, texts) });
}

/** **Extend** on the reminder card (data `{ requestId, from, minutes }`: untrusted; `from` only makes a double tap harmless). */
export const extendTap: VerbHandler = async (services, turn, data) => {
  const user = turnUser(turn);
  const texts = textsFor(turn.chat);
  const requestId = text(data.requestId) ?? '';
  const current = await elevationById(services.elevation, requestId);
  if (!user || !current) return messageCard({ title: texts.c.extend.nothingToExtend, text: texts.c.elevation.noLongerExists });
  if (user.aadObjectId.toLowerCase() !== current.requester.aadObjectId.toLowerCase()) return refuseNotYours(services, user.aadObjectId, requestId, texts);
  const signInCard = await needsSignIn(services, turn, 'extend');
  if (signInCard) return signInCard;
  const minutes = Number(text(data.minutes) ?? data.minutes);
  const from = text(data.from);
  const outcome = await extendElevation(services.elevation, {
    tapperId: user.aadObjectId,
    elevationId: requestId,
    ...(Number.isInteger(minutes) && minutes > 0 ? { minutes } : {}),
    ...(from ? { from } : {}),
  });
  return outcomeCard(services, outcome, texts);
};

function outcomeCard(services: TeamsServices, outcome: ExtendOutcome, texts: Texts): AdaptiveCard {
  if (outcome.kind !== 'extended') return extendOutcomeCard(outcome, texts);
  const record = outcome.record;
  const limits = effectivePolicy(services.elevation.settings.policy, record.environment, record.roleId ?? '').extensions;
  return extendOutcomeCard(outcome, texts, extensionLeft(record, limits));
}
