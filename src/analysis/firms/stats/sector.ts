// Does similarity go with sector? Mean within-sector vs between-sector similarity over all
// pairs i < j, Cohen's d between the two groups of pairs, and a permutation test that
// shuffles the sector labels (the pairs are not independent, so the permutation
// distribution, not a t-test, gives the p-value).
//
// Speed: the number of within pairs is the same under every permutation, so the statistic
// (within mean − between mean) is a monotone function of the within-sector SUM alone. Each
// permutation therefore only sums the within pairs of the shuffled groups (about 1/K of
// all pairs for K sectors), reading the (N, N) matrix S directly.
//
// Not here: kNN (knn.ts), clustering (cluster.ts), market cap (mantel.ts).
import type { Rng } from "../../../rand.ts";

export interface SectorTest {
  within_mean: number; between_mean: number; difference: number;
  effect_size: number;       // Cohen's d, pooled sd of within and between pair similarities
  p_value: number;           // one-sided: within − between at least as large as observed
  permutations: number;
  within_pairs: number; between_pairs: number;
}

/** Integer codes 0..K−1 for string labels, in order of first appearance. */
export function codes(labels: string[]): { code: Int32Array; names: string[] } {
  const ids = new Map<string, number>();
  const code = Int32Array.from(labels, (l) => {
    let c = ids.get(l);
    if (c === undefined) { c = ids.size; ids.set(l, c); }
    return c;
  });
  return { code, names: [...ids.keys()] };
}

export function sectorTest(S: Float64Array, N: number, label: Int32Array, permutations: number, rng: Rng): SectorTest {
  let wSum = 0, wSq = 0, wN = 0, bSum = 0, bSq = 0, bN = 0;
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) {
    const s = S[i * N + j];
    if (label[i] === label[j]) { wSum += s; wSq += s * s; wN++; } else { bSum += s; bSq += s * s; bN++; }
  }
  const wMean = wN ? wSum / wN : NaN, bMean = bN ? bSum / bN : NaN;
  const wVar = wN > 1 ? (wSq - wN * wMean * wMean) / (wN - 1) : 0;
  const bVar = bN > 1 ? (bSq - bN * bMean * bMean) / (bN - 1) : 0;
  const pooled = Math.sqrt(((wN - 1) * wVar + (bN - 1) * bVar) / Math.max(1, wN + bN - 2));

  // Group sizes; a permutation deals the shuffled firms into groups of those sizes.
  const K = Math.max(...label) + 1;
  const bounds = new Int32Array(K + 1);
  for (let i = 0; i < N; i++) bounds[label[i] + 1]++;
  for (let k = 0; k < K; k++) bounds[k + 1] += bounds[k];
  const perm = Int32Array.from({ length: N }, (_, i) => i);
  let atLeast = 0;
  const eps = 1e-12 * Math.max(1, Math.abs(wSum));
  for (let p = 0; p < permutations; p++) {
    rng.shuffle(perm);
    let sum = 0;
    for (let k = 0; k < K; k++) {
      for (let a = bounds[k]; a < bounds[k + 1]; a++) {
        const row = perm[a] * N;
        for (let b = a + 1; b < bounds[k + 1]; b++) sum += S[row + perm[b]];
      }
    }
    if (sum >= wSum - eps) atLeast++;
  }
  return {
    within_mean: wMean, between_mean: bMean, difference: wMean - bMean,
    effect_size: pooled > 0 ? (wMean - bMean) / pooled : 0,
    p_value: (1 + atLeast) / (1 + permutations), permutations,
    within_pairs: wN, between_pairs: bN,
  };
}

/** Mean similarity of pairs within each sector (K) and between each pair of sectors (K, K). */
export function sectorBlocks(S: Float64Array, N: number, label: Int32Array, K: number): { mean: Float64Array; pairs: Int32Array } {
  const sum = new Float64Array(K * K), pairs = new Int32Array(K * K);
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) {
    const a = label[i], b = label[j], s = S[i * N + j];
    sum[a * K + b] += s; pairs[a * K + b]++;
    if (a !== b) { sum[b * K + a] += s; pairs[b * K + a]++; }
  }
  const mean = new Float64Array(K * K);
  for (let k = 0; k < K * K; k++) mean[k] = pairs[k] ? sum[k] / pairs[k] : NaN;
  return { mean, pairs };
}
