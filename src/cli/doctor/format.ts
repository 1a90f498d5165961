import type { CheckResult, CheckStatus } from './catalog.js';

/** One line per check for people, or one JSON document for scripts (`--json`). */
const ICONS: Record<CheckStatus, string> = { pass: '✅', fail: '❌', warn: '⚠', skip: '⚠' };

export function formatLine(result: CheckResult): string {
  const detail = result.status === 'skip' ? `skipped: ${result.detail}` : result.detail;
  const fix = result.fix && (result.status === 'fail' || result.status === 'warn') ? ` → fix: ${result.fix}` : '';
  return `${ICONS[result.status]} ${result.id} — ${result.title}: ${detail}${fix}`;
}

export type Summary = Record<CheckStatus, number>;

export function summarize(results: readonly CheckResult[]): Summary {
  const summary: Summary = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}

/** 0 only when nothing failed (warnings and skipped checks do not fail the run). */
export function exitCodeOf(results: readonly CheckResult[]): number {
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}

export function formatSummary(results: readonly CheckResult[], operatorSkipped: boolean): string {
  const s = summarize(results);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const line = `${results.length} checks: ${s.pass} passed, ${s.fail} failed, ${plural(s.warn, 'warning')}, ${s.skip} skipped.`;
  return operatorSkipped
    ? `${line} Checks that need the operator's sign-in were skipped (--no-operator): the exit status covers only the checks that ran.`
    : line;
}

export function toJson(results: readonly CheckResult[], operator: 'signed-in' | 'skipped' | 'failed'): string {
  return `${JSON.stringify({ ok: exitCodeOf(results) === 0, operator, summary: summarize(results), checks: results }, null, 2)}\n`;
}
