// Timing for the benchmark: warm-up runs, then timed repetitions; the median and the
// range of tokens/s. Kept apart from the tools so every tool is timed the same way.

export interface Timing {
  median: number; min: number; max: number; reps: number;
  /** Median tokens per second of this process's CPU time (all its threads). On a shared
   *  machine it leaves out the time other processes take; for one thread it is the fairer
   *  figure, for several it is not a speed. */
  cpuMedian: number;
}

function cpuMs(): number { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }
function medianOf(v: number[]): number {
  const s = [...v].sort((a, b) => a - b), mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Runs `step` (synchronous or async) untimed `warmup` times and for at least `warmupSeconds`,
 * then times repetitions until
 * `reps` are done and at least `minSeconds` have passed (at most `maxReps`).
 * Returns tokens/s statistics for `tokens` tokens per step.
 */
export async function timeSteps(step: () => unknown, tokens: number,
  opts: { warmup?: number; warmupSeconds?: number; reps?: number; minSeconds?: number; maxReps?: number } = {}): Promise<Timing> {
  const { warmup = 1, warmupSeconds = 0.5, reps = 3, minSeconds = 1, maxReps = 1000 } = opts;
  // Warm up for `warmup` steps and at least `warmupSeconds`: a small step takes a millisecond,
  // and the JIT and WebAssembly's tier-up (baseline → optimised code) need many of them.
  const w0 = performance.now();
  for (let i = 0; i < warmup || performance.now() - w0 < warmupSeconds * 1000; i++) await step();
  const rates: number[] = [], cpuRates: number[] = [];
  const start = performance.now();
  while (rates.length < reps || (performance.now() - start < minSeconds * 1000 && rates.length < maxReps)) {
    const t0 = performance.now(), c0 = cpuMs();
    await step();
    rates.push(tokens / ((performance.now() - t0) / 1000));
    cpuRates.push(tokens / (Math.max(cpuMs() - c0, 1e-3) / 1000));
  }
  return { median: medianOf(rates), min: Math.min(...rates), max: Math.max(...rates), reps: rates.length, cpuMedian: medianOf(cpuRates) };
}
