// How similarity moves over time: the measure recomputed on rolling windows of W common
// trading days (default 252, one year), stepped by `step` days, summarised per window as the
// mean similarity over all pairs, within sectors and between sectors. Crises show up as
// everything moving together (2008).
//
// The measure is passed in as a function of the window's first day (moments.ts gives the
// classical ones with incremental updates; the RNN measure brings its own).
import { check } from "../../errors.ts";

/** (N, N) similarity of the window of `window` common days starting at day t0. */
export type WindowFn = (t0: number) => Float64Array;

export interface RollingPoint { end: string; start: string; mean: number; within: number; between: number }

/** `onWindow(done, windows)` after each window (a progress display). */
export function rolling(dates: string[], N: number, label: Int32Array, measure: WindowFn, window: number, step: number, onWindow?: (done: number, of: number) => void): RollingPoint[] {
  const T = dates.length;
  check(Number.isInteger(window) && window >= 3, "--window", "an integer >= 3 (days)", window);
  check(Number.isInteger(step) && step >= 1, "--step", "an integer >= 1 (days)", step);
  const out: RollingPoint[] = [];
  if (window > T) return out;
  const windows = Math.floor((T - window) / step) + 1;
  for (let t0 = 0; t0 + window <= T; t0 += step) {
    const S = measure(t0);
    let all = 0, w = 0, wN = 0, b = 0, bN = 0;
    for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) {
      const s = S[i * N + j];
      all += s;
      if (label[i] === label[j]) { w += s; wN++; } else { b += s; bN++; }
    }
    out.push({ start: dates[t0], end: dates[t0 + window - 1], mean: all / ((N * (N - 1)) / 2), within: wN ? w / wN : NaN, between: bN ? b / bN : NaN });
    onWindow?.(out.length, windows);
  }
  return out;
}

/** Annualised volatility of the equal-weighted market factor on the same windows. */
export function marketVolatility(growth: Float64Array, dates: string[], N: number, window: number, step: number): Array<{ end: string; value: number }> {
  const T = dates.length, m = new Float64Array(T);
  for (let t = 0; t < T; t++) { let s = 0; for (let j = 0; j < N; j++) s += growth[t * N + j]; m[t] = s / N; }
  const out: Array<{ end: string; value: number }> = [];
  for (let t0 = 0; t0 + window <= T; t0 += step) {
    let mean = 0, ss = 0;
    for (let t = t0; t < t0 + window; t++) mean += m[t];
    mean /= window;
    for (let t = t0; t < t0 + window; t++) ss += (m[t] - mean) ** 2;
    // μ is per year (daily log return × 252): annualised sd = sd(μ)·Δt·√252 = sd(μ)/√252.
    out.push({ end: dates[t0 + window - 1], value: Math.sqrt(ss / (window - 1)) / Math.sqrt(252) });
  }
  return out;
}
