import type { GrantRefusal } from '../../use-cases/grants/request-grant.js';
import type { Texts } from '../locale/texts.js';

/**
 * What a refused grant request says, for every refusal (issue #14: every outcome in words), in the
 * reader's language. `detail` is the use case's value for the text's placeholder (the rule, the
 * longest duration, the shortest justification).
 */
export function refusalText(reason: GrantRefusal, detail: string | undefined, texts: Texts): string {
  return texts.fill(texts.c.grantRefusal[reason], { rule: detail ?? '', max: detail ?? '', min: detail ?? '' });
}
