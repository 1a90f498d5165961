import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AdaptiveCard } from '../../harness/cards.js';

/** A fresh copy of the sample request card (nested containers, action sets, ShowCards, inputs). */
export function requestCard(): AdaptiveCard {
  return JSON.parse(readFileSync(path.join(__dirname, 'fixtures/request-card.json'), 'utf8')) as AdaptiveCard;
}
