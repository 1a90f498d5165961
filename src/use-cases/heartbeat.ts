/**
 * Runs `work` while `beat` runs now and every `intervalMs` (a failed beat is only warned about: the
 * work goes on), then `settle` whatever the outcome. The heartbeat of work that another instance takes
 * over when it falls silent: in-flight elevations (in-flight-watchdog.ts) and sweeps (sweep-watchdog.ts).
 */
export async function whileBeating<T>(
  beat: () => Promise<unknown>,
  intervalMs: number,
  warn: (error: unknown) => void,
  work: () => Promise<T>,
  settle: () => Promise<unknown>,
): Promise<T> {
  await beat().catch(warn);
  const heartbeat = setInterval(() => void beat().catch(warn), intervalMs);
  heartbeat.unref();
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    await settle().catch(warn);
  }
}
