// Timing for the benchmark: warm-up runs, then timed repetitions; the median and the
// range of tokens/s. Kept apart from the tools so every tool is timed the same way.

export interface Timing { median: number; min: number; max: number; reps: number }

/**
 * Runs `step` (synchronous or async) `warmup` times untimed, then times repetitions until
 * `reps` are done and at least `minSeconds` have passed (at most `maxReps`).
 * Returns tokens/s statistics for `tokens` tokens per step.
 */
export async function timeSteps(step: () => unknown, tokens: number,
  opts: { warmup?: number; reps?: number; minSeconds?: number; maxReps?: number } = {}): Promise<Timing> {
  const { warmup = 1, reps = 3, minSeconds = 1, maxReps = 50 } = opts;
  for (let i = 0; i < warmup; i++) await step();
  const rates: number[] = [];
  const start = performance.now();
  while (rates.length < reps || (performance.now() - start < minSeconds * 1000 && rates.length < maxReps)) {
    const t0 = performance.now();
    await step();
    rates.push(tokens / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  const mid = rates.length >> 1;
  const median = rates.length % 2 ? rates[mid] : (rates[mid - 1] + rates[mid]) / 2;
  return { median, min: rates[0], max: rates[rates.length - 1], reps: rates.length };
}
