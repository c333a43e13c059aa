// Does similarity go with size? A Mantel test between the similarity matrix S and the
// size-difference matrix D_ij = |log cap_i − log cap_j| (Pearson r over the pairs i < j;
// the permutation relabels firms, i.e. permutes rows and columns of D together), and the
// mean similarity within and between market-capitalisation quintiles.
//
// Speed: means and variances of both pair sets do not change under relabelling, so each
// permutation only needs Σ s_ij·D_π(i)π(j); D is recomputed on the fly from the permuted
// log caps, so S is read in order and no second (N, N) matrix is stored.
import type { Rng } from "../../../rand.ts";

export interface MantelResult {
  mantel_r: number;
  p_value: number;           // two-sided: |r_perm| ≥ |r|
  permutations: number;
}

export function mantel(S: Float64Array, N: number, x: Float64Array, permutations: number, rng: Rng): MantelResult {
  const P = (N * (N - 1)) / 2;
  let sSum = 0, sSq = 0, dSum = 0, dSq = 0;
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) {
    const s = S[i * N + j], d = Math.abs(x[i] - x[j]);
    sSum += s; sSq += s * s; dSum += d; dSq += d * d;
  }
  const sMean = sSum / P, dMean = dSum / P;
  const denom = Math.sqrt((sSq - P * sMean * sMean) * (dSq - P * dMean * dMean));
  const cross = (v: Float64Array) => {
    let c = 0;
    for (let i = 0; i < N; i++) {
      const row = i * N, vi = v[i];
      for (let j = i + 1; j < N; j++) c += S[row + j] * Math.abs(vi - v[j]);
    }
    return c;
  };
  const r = (c: number) => (denom > 0 ? (c - P * sMean * dMean) / denom : 0);
  const observed = r(cross(x));
  const xp = new Float64Array(N), perm = Int32Array.from({ length: N }, (_, i) => i);
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    rng.shuffle(perm);
    for (let i = 0; i < N; i++) xp[i] = x[perm[i]];
    if (Math.abs(r(cross(xp))) >= Math.abs(observed) - 1e-12) atLeast++;
  }
  return { mantel_r: observed, p_value: (1 + atLeast) / (1 + permutations), permutations };
}

/** Quintile (0 = smallest .. 4 = largest) of each firm by market cap; ties by index. */
export function quintiles(cap: Float64Array): Int32Array {
  const N = cap.length;
  const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => cap[a] - cap[b] || a - b);
  const q = new Int32Array(N);
  order.forEach((i, rank) => { q[i] = Math.min(4, Math.floor((rank * 5) / N)); });
  return q;
}

/** Mean similarity between size quintiles (5, 5) over pairs i < j, and each quintile's cap range. */
export function quintileTable(S: Float64Array, N: number, cap: Float64Array): { mean: number[][]; range: Array<[number, number]>; count: number[] } {
  const q = quintiles(cap);
  const sum = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
  const n = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) {
    const a = q[i], b = q[j], s = S[i * N + j];
    sum[a][b] += s; n[a][b]++;
    if (a !== b) { sum[b][a] += s; n[b][a]++; }
  }
  const range: Array<[number, number]> = Array.from({ length: 5 }, () => [Infinity, -Infinity]);
  const count = new Array<number>(5).fill(0);
  for (let i = 0; i < N; i++) { const r = range[q[i]]; r[0] = Math.min(r[0], cap[i]); r[1] = Math.max(r[1], cap[i]); count[q[i]]++; }
  return { mean: sum.map((row, a) => row.map((v, b) => (n[a][b] ? v / n[a][b] : NaN))), range, count };
}
