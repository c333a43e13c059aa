// Leave-one-out k-nearest-neighbour sector classification from a similarity matrix: each
// firm's sector is predicted by a vote of its k most similar other firms (ties broken by
// the summed similarity of the tied sectors, then by the nearest neighbour). Chance is
// measured, not assumed: the same neighbour lists vote with shuffled labels (neighbours do
// not depend on labels, so each permutation costs N·k), giving the chance accuracy as the
// mean over permutations and a permutation p-value. The majority-class rate is reported
// beside it.
//
// Not here: the within/between test (sector.ts).
import type { Rng } from "../../../rand.ts";

export interface KnnResult {
  k: number;
  accuracy: number;
  chance_accuracy: number;   // mean accuracy with shuffled labels
  majority_rate: number;     // share of the largest sector
  p_value: number;
  permutations: number;
}

/** The k most similar other firms of each firm: (N, k) indices and similarities, nearest first. */
export function neighbours(S: Float64Array, N: number, k: number): { idx: Int32Array; sim: Float64Array } {
  const idx = new Int32Array(N * k), sim = new Float64Array(N * k);
  for (let i = 0; i < N; i++) {
    // Partial selection: insertion into a sorted list of the best k so far.
    let n = 0;
    for (let j = 0; j < N; j++) {
      if (j === i) continue;
      const s = S[i * N + j];
      if (n === k && s <= sim[i * k + k - 1]) continue;
      let p = n < k ? n++ : k - 1;
      while (p > 0 && sim[i * k + p - 1] < s) { sim[i * k + p] = sim[i * k + p - 1]; idx[i * k + p] = idx[i * k + p - 1]; p--; }
      sim[i * k + p] = s; idx[i * k + p] = j;
    }
  }
  return { idx, sim };
}

/** Share of firms whose neighbours' vote gives their own label. */
function accuracyOf(nb: { idx: Int32Array; sim: Float64Array }, N: number, k: number, label: Int32Array, K: number, votes: Float64Array, weight: Float64Array): number {
  let correct = 0;
  for (let i = 0; i < N; i++) {
    votes.fill(0); weight.fill(0);
    for (let a = 0; a < k; a++) { const l = label[nb.idx[i * k + a]]; votes[l]++; weight[l] += nb.sim[i * k + a]; }
    let best = label[nb.idx[i * k]];
    for (let c = 0; c < K; c++) {
      if (votes[c] > votes[best] || (votes[c] === votes[best] && weight[c] > weight[best])) best = c;
    }
    if (best === label[i]) correct++;
  }
  return correct / N;
}

export function knnTest(S: Float64Array, N: number, label: Int32Array, k: number, permutations: number, rng: Rng): KnnResult {
  const kk = Math.min(k, N - 1);
  const K = Math.max(...label) + 1;
  const nb = neighbours(S, N, kk);
  const votes = new Float64Array(K), weight = new Float64Array(K);
  const accuracy = accuracyOf(nb, N, kk, label, K, votes, weight);
  const counts = new Int32Array(K);
  for (let i = 0; i < N; i++) counts[label[i]]++;
  const shuffled = Int32Array.from(label);
  let sum = 0, atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    rng.shuffle(shuffled);
    const acc = accuracyOf(nb, N, kk, shuffled, K, votes, weight);
    sum += acc;
    if (acc >= accuracy - 1e-12) atLeast++;
  }
  return {
    k: kk, accuracy,
    chance_accuracy: permutations ? sum / permutations : NaN,
    majority_rate: Math.max(...counts) / N,
    p_value: (1 + atLeast) / (1 + permutations), permutations,
  };
}
