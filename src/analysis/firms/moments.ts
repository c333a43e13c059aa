// The classical measures on rolling windows, computed from window moments so that sliding a
// window by `step` days costs two small GEMMs (add the new rows, subtract the old ones)
// instead of one large one: M = Σ_t x_t x_tᵀ (N, N) and s = Σ_t x_t (N) over the window.
// Every classical measure is a function of (M, s, W):
//   cov = M/W − (s/W)(s/W)ᵀ;  pearson ρ_ij = cov_ij / √(cov_ii cov_jj);
//   cosine = M_ij / √(M_ii M_jj);  rbf = exp(−(1 − ρ_ij)/σ²_day) with the bandwidth fixed
//   from the full period (so the level can move; a per-window median would normalise it
//   away);  residual: the market factor m = mean of the columns, so cov(x_i, m) is the
//   row mean of cov and var(m) its grand mean, and the residual covariance is
//   cov_ij − β_i c_j − β_j c_i + β_i β_j v_m with β_i = c_i / v_m.
// Float64: growth rates have |mean| ≪ sd, so cov = M/W − mean² loses no useful digits.
import { gramInto, type ClassicalMeasure } from "./similarity.ts";

/**
 * (N, N) similarity from window moments M (N, N), s (N) over W days, written into `S`;
 * `cov` (N, N) is scratch. Both are allocated when not given.
 */
export function fromMoments(measure: ClassicalMeasure, M: Float64Array, s: Float64Array, W: number, N: number, bandwidthPerDay: number,
  S = new Float64Array(N * N), cov: Float64Array | null = null): Float64Array {
  if (measure === "cosine") {
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) S[i * N + j] = M[i * N + j] / Math.sqrt(M[i * N + i] * M[j * N + j]);
  } else {
    cov ??= new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) cov[i * N + j] = M[i * N + j] / W - (s[i] / W) * (s[j] / W);
    if (measure === "residual") {
      const c = new Float64Array(N);
      let v = 0;
      for (let i = 0; i < N; i++) { let r = 0; for (let j = 0; j < N; j++) r += cov[i * N + j]; c[i] = r / N; v += r; }
      v /= N * N;
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
        const bi = c[i] / v, bj = c[j] / v;
        cov[i * N + j] += -bi * c[j] - bj * c[i] + bi * bj * v;
      }
    }
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) S[i * N + j] = cov[i * N + j] / Math.sqrt(cov[i * N + i] * cov[j * N + j]);
    if (measure === "rbf") {
      const inv = 1 / (bandwidthPerDay * bandwidthPerDay);
      for (let k = 0; k < N * N; k++) S[k] = Math.exp(-(1 - S[k]) * inv);
    }
  }
  for (let i = 0; i < N; i++) S[i * N + i] = 1;
  return S;
}

/**
 * A function t0 → (N, N) similarity of the window of W days starting at day t0 of the
 * growth matrix x (T, N). Calls with increasing t0 update the moments incrementally. The
 * returned matrix is reused: it is valid until the next call (at 5,000 firms, fresh (N, N)
 * arrays per window cost more than the arithmetic).
 */
export function windowedMeasure(measure: ClassicalMeasure, x: Float64Array, N: number, W: number, bandwidthPerDay: number): (t0: number) => Float64Array {
  const M = new Float64Array(N * N), s = new Float64Array(N), S = new Float64Array(N * N), cov = new Float64Array(N * N);
  let at = -1;
  const add = (from: number, to: number, sign: 1 | -1) => {
    if (to <= from) return;
    gramInto(x.subarray(from * N, to * N), to - from, N, M, true, sign);
    for (let t = from; t < to; t++) for (let j = 0; j < N; j++) s[j] += sign * x[t * N + j];
  };
  return (t0) => {
    if (at < 0 || t0 < at || t0 >= at + W) { M.fill(0); s.fill(0); add(t0, t0 + W, 1); }
    else { add(at, t0, -1); add(at + W, t0 + W, 1); }
    at = t0;
    return fromMoments(measure, M, s, W, N, bandwidthPerDay, S, cov);
  };
}
