/** Waits between tries of a grant's assignment or removal: 10 s, 20 s, 40 s … at most ten minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(10 * 60_000, 10_000 * 2 ** Math.max(0, attempts));
}
