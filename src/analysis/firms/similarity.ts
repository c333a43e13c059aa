// Classical similarity measures between firms' growth-rate histories. All pairs come from
// one matrix product through `gemm` (whatever backend is active; blocked, see gramInto):
// S = Xᵀ X for a suitably normalised (T, N) matrix X. Float64 throughout, because these
// numbers feed statistics.
//
//   pearson   X = columns standardised (mean 0, population sd 1) / √T  → S_ij = ρ_ij
//   cosine    X = raw growth rates, columns scaled to unit norm       → S_ij = cos θ_ij
//   rbf       S_ij = exp(−d²_ij / (2σ²)) on standardised columns, d²_ij = 2T(1 − ρ_ij),
//             σ = median pairwise distance (the median heuristic)
//   residual  Pearson correlation of the residuals of each firm's OLS regression on the
//             market factor m_t = mean_i μ_{i,t} (equal-weighted), which dominates raw
//             correlations
//
// Shapes: T days, N firms; X (T, N) row-major; S (N, N) row-major, symmetric.
// Not here: the RNN measure (rnn-measure.ts), statistics on S (stats/).
import { gemm } from "../../tensor/gemm.ts";

export const CLASSICAL = ["pearson", "cosine", "rbf", "residual"] as const;
export type ClassicalMeasure = (typeof CLASSICAL)[number];

export interface SimilarityResult {
  S: Float64Array;                   // (N, N)
  info: Record<string, number>;      // e.g. { bandwidth } for rbf, { market_r2 } for residual
}

/** Columns of x (T, N) centred and scaled so that Xᵀ X is the correlation matrix. */
export function standardise(x: Float64Array, T: number, N: number): Float64Array {
  const z = new Float64Array(T * N), mean = new Float64Array(N), ss = new Float64Array(N);
  for (let t = 0; t < T; t++) for (let j = 0; j < N; j++) mean[j] += x[t * N + j];
  for (let j = 0; j < N; j++) mean[j] /= T;
  for (let t = 0; t < T; t++) for (let j = 0; j < N; j++) { const d = x[t * N + j] - mean[j]; z[t * N + j] = d; ss[j] += d * d; }
  for (let j = 0; j < N; j++) ss[j] = ss[j] > 0 ? 1 / Math.sqrt(ss[j]) : 0;
  for (let t = 0; t < T; t++) for (let j = 0; j < N; j++) z[t * N + j] *= ss[j];
  return z;
}

/** Columns scaled to unit Euclidean norm (no centring). */
function unitColumns(x: Float64Array, T: number, N: number): Float64Array {
  const z = Float64Array.from(x), ss = new Float64Array(N);
  for (let t = 0; t < T; t++) for (let j = 0; j < N; j++) ss[j] += x[t * N + j] ** 2;
  for (let j = 0; j < N; j++) ss[j] = ss[j] > 0 ? 1 / Math.sqrt(ss[j]) : 0;
  for (let t = 0; t < T; t++) for (let j = 0; j < N; j++) z[t * N + j] *= ss[j];
  return z;
}

/**
 * out (N, N) (+)= sign · Xᵀ X for X (T, N), through `gemm` on (b, b) blocks of the upper
 * triangle, mirrored. Mathematically one matrix product; blocking keeps each block of the
 * result in cache (a single call streams the whole (N, N) result once per day, which at
 * 5,000 firms is memory-bound), and symmetry halves the work. Every element is still summed
 * over t in increasing order, so the bits do not depend on the block size.
 */
export function gramInto(x: Float64Array, T: number, N: number, out: Float64Array, accumulate: boolean, sign = 1, block = 128): void {
  const P = Math.ceil(N / block);
  // Column panels of X, each (T, bp) contiguous, so that gemm sees plain row-major operands.
  const panels: Float64Array[] = [];
  for (let p = 0; p < P; p++) {
    const j0 = p * block, bp = Math.min(block, N - j0), panel = new Float64Array(T * bp);
    for (let t = 0; t < T; t++) for (let c = 0; c < bp; c++) panel[t * bp + c] = x[t * N + j0 + c];
    panels.push(panel);
  }
  const tmp = new Float64Array(block * block);
  for (let pi = 0; pi < P; pi++) {
    const i0 = pi * block, bi = Math.min(block, N - i0);
    for (let pj = pi; pj < P; pj++) {
      const j0 = pj * block, bj = Math.min(block, N - j0);
      gemm(true, false, bi, bj, T, panels[pi], 0, panels[pj], 0, tmp, 0, false);
      for (let a = 0; a < bi; a++) for (let c = 0; c < bj; c++) {
        const v = sign * tmp[a * bj + c], u = (i0 + a) * N + j0 + c, l = (j0 + c) * N + i0 + a;
        if (accumulate) { out[u] += v; if (pj !== pi) out[l] += v; }
        else { out[u] = v; out[l] = v; }
      }
    }
  }
}

/** S = Xᵀ X (N, N) from X (T, N) (see gramInto). The diagonal is set to exactly 1 when `unit`. */
export function gram(x: Float64Array, T: number, N: number, unit: boolean): Float64Array {
  const S = new Float64Array(N * N);
  gramInto(x, T, N, S, false);
  for (let i = 0; i < N; i++) {
    // Clamp rounding so that |ρ| ≤ 1 (the blocks are mirrored, so S is exactly symmetric).
    for (let j = 0; j < N; j++) if (i !== j) S[i * N + j] = Math.max(-1, Math.min(1, S[i * N + j]));
    if (unit) S[i * N + i] = 1;
  }
  return S;
}

/** Residuals of each column's OLS fit on the row mean (the equal-weighted market factor). */
export function marketResiduals(x: Float64Array, T: number, N: number): { residuals: Float64Array; r2: number } {
  const m = new Float64Array(T);
  for (let t = 0; t < T; t++) { let s = 0; for (let j = 0; j < N; j++) s += x[t * N + j]; m[t] = s / N; }
  let mMean = 0;
  for (let t = 0; t < T; t++) mMean += m[t];
  mMean /= T;
  let mVar = 0;
  for (let t = 0; t < T; t++) mVar += (m[t] - mMean) ** 2;
  const mean = new Float64Array(N), cov = new Float64Array(N), tot = new Float64Array(N);
  for (let t = 0; t < T; t++) for (let j = 0; j < N; j++) mean[j] += x[t * N + j];
  for (let j = 0; j < N; j++) mean[j] /= T;
  for (let t = 0; t < T; t++) {
    const dm = m[t] - mMean;
    for (let j = 0; j < N; j++) { const d = x[t * N + j] - mean[j]; cov[j] += d * dm; tot[j] += d * d; }
  }
  const residuals = new Float64Array(T * N);
  let explained = 0, total = 0;
  for (let j = 0; j < N; j++) {
    const beta = mVar > 0 ? cov[j] / mVar : 0;
    explained += beta * cov[j]; total += tot[j];
    for (let t = 0; t < T; t++) residuals[t * N + j] = x[t * N + j] - mean[j] - beta * (m[t] - mMean);
  }
  return { residuals, r2: total > 0 ? explained / total : 0 };
}

/** Median of the upper triangle (i < j) of a symmetric (N, N) matrix. */
export function upperMedian(S: Float64Array, N: number): number {
  const v = new Float64Array((N * (N - 1)) / 2);
  let p = 0;
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) v[p++] = S[i * N + j];
  v.sort();
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

/** The (N, N) similarity matrix of growth rates x (T, N) under a classical measure. */
export function similarity(measure: ClassicalMeasure, x: Float64Array, T: number, N: number): SimilarityResult {
  switch (measure) {
    case "pearson":
      return { S: gram(standardise(x, T, N), T, N, true), info: {} };
    case "cosine":
      return { S: gram(unitColumns(x, T, N), T, N, true), info: {} };
    case "residual": {
      const { residuals, r2 } = marketResiduals(x, T, N);
      return { S: gram(standardise(residuals, T, N), T, N, true), info: { market_r2: r2 } };
    }
    case "rbf": {
      // Squared distances between standardised vectors (population sd): d² = 2T(1 − ρ).
      const S = gram(standardise(x, T, N), T, N, true);
      for (let k = 0; k < N * N; k++) S[k] = 2 * T * (1 - S[k]);
      const sigma2 = upperMedian(S, N); // (median distance)² = median of squared distances
      const inv = sigma2 > 0 ? 1 / (2 * sigma2) : 0;
      for (let k = 0; k < N * N; k++) S[k] = Math.exp(-S[k] * inv);
      return { S, info: { bandwidth: Math.sqrt(sigma2), bandwidth_per_day: Math.sqrt(sigma2 / T) } };
    }
  }
}
