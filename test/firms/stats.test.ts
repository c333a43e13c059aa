import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/rand.ts";
import { similarity } from "../../src/analysis/firms/similarity.ts";
import { syntheticMarket } from "../../src/analysis/firms/synthetic.ts";
import { sectorTest } from "../../src/analysis/firms/stats/sector.ts";
import { knnTest, neighbours } from "../../src/analysis/firms/stats/knn.ts";
import { averageLinkage, cutTree, leafOrder } from "../../src/analysis/firms/stats/cluster.ts";
import { adjustedRand } from "../../src/analysis/firms/stats/ari.ts";
import { mantel, quintiles } from "../../src/analysis/firms/stats/mantel.ts";
import { sectorCodes } from "../../src/analysis/firms/analyse.ts";

const N = 40, T = 400;
const structured = syntheticMarket({ firms: N, days: T, sectors: 4, sectorLoading: 0.7, seed: 11 });
const S = similarity("residual", structured.growth, T, N).S;
const { label } = sectorCodes(structured.sectors);

test("a sector-structured market gives a significant sector permutation test, high kNN accuracy and ARI", () => {
  const r = sectorTest(S, N, label, 10000, new Rng(1));
  assert.ok(r.within_mean > r.between_mean + 0.1, JSON.stringify(r));
  assert.ok(r.p_value < 0.001, `p = ${r.p_value}`);
  assert.equal(r.p_value, 1 / 10001); // no permutation reaches the observed statistic
  assert.ok(r.effect_size > 1);
  assert.equal(r.within_pairs + r.between_pairs, (N * (N - 1)) / 2);
  const k = knnTest(S, N, label, 5, 2000, new Rng(2));
  assert.ok(k.accuracy > 0.9 && k.chance_accuracy < 0.4 && k.p_value < 0.001, JSON.stringify(k));
  const clusters = cutTree(averageLinkage(S, N), N, 4);
  assert.ok(adjustedRand(clusters, label) > 0.8);
});

test("shuffled sector labels are not significant (p-values spread like a uniform, few below 0.05)", () => {
  const rng = new Rng(99);
  let significant = 0;
  const ps: number[] = [];
  for (let rep = 0; rep < 20; rep++) {
    const shuffled = Int32Array.from(label);
    rng.shuffle(shuffled);
    const p = sectorTest(S, N, shuffled, 999, new Rng(rep)).p_value;
    ps.push(p);
    if (p < 0.05) significant++;
  }
  assert.ok(significant <= 4, `significant in ${significant}/20: ${ps.map((p) => p.toFixed(3))}`);
  assert.ok(ps.some((p) => p > 0.5), "some p-values should be large under the null");
});

test("a market with no sector factor is not significant for its sector labels", () => {
  const flat = syntheticMarket({ firms: N, days: T, sectors: 4, sectorLoading: 0, seed: 12 });
  const r = sectorTest(similarity("residual", flat.growth, T, N).S, N, sectorCodes(flat.sectors).label, 2000, new Rng(3));
  assert.ok(r.p_value > 0.01, `p = ${r.p_value}`);
});

test("permutation tests are reproducible from the seed", () => {
  const a = sectorTest(S, N, label, 500, new Rng(5)), b = sectorTest(S, N, label, 500, new Rng(5));
  assert.deepEqual(a, b);
});

test("kNN neighbours are the k most similar other firms, nearest first", () => {
  const rng = new Rng(4), n = 15;
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { const v = i === j ? 1 : rng.uniform(); M[i * n + j] = v; M[j * n + i] = v; }
  const nb = neighbours(M, n, 3);
  for (let i = 0; i < n; i++) {
    const want = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i).sort((a, b) => M[i * n + b] - M[i * n + a]).slice(0, 3);
    assert.deepEqual(Array.from(nb.idx.subarray(i * 3, i * 3 + 3)), want);
  }
});

/** Textbook O(N³) UPGMA: merge heights in order. */
function naiveUpgmaHeights(M: Float64Array, n: number): number[] {
  let clusters = Array.from({ length: n }, (_, i) => [i]);
  const out: number[] = [];
  while (clusters.length > 1) {
    let best = Infinity, bi = 0, bj = 1;
    for (let a = 0; a < clusters.length; a++) for (let b = a + 1; b < clusters.length; b++) {
      let s = 0;
      for (const i of clusters[a]) for (const j of clusters[b]) s += 1 - M[i * n + j];
      s /= clusters[a].length * clusters[b].length;
      if (s < best) { best = s; bi = a; bj = b; }
    }
    out.push(best);
    const merged = [...clusters[bi], ...clusters[bj]];
    clusters = clusters.filter((_, k) => k !== bi && k !== bj);
    clusters.push(merged);
  }
  return out;
}

test("nearest-neighbour-chain average linkage gives the textbook UPGMA merge heights and a valid tree", () => {
  const sub = 25;
  const M = similarity("pearson", structured.growth.subarray(0, T * N), T, N).S;
  const Ms = new Float64Array(sub * sub);
  for (let i = 0; i < sub; i++) for (let j = 0; j < sub; j++) Ms[i * sub + j] = M[i * N + j];
  const merges = averageLinkage(Ms, sub);
  const naive = naiveUpgmaHeights(Ms, sub);
  assert.equal(merges.length, sub - 1);
  merges.forEach((m, k) => assert.ok(Math.abs(m.height - naive[k]) < 1e-12, `merge ${k}: ${m.height} vs ${naive[k]}`));
  assert.equal(merges[sub - 2].size, sub);
  const { order } = leafOrder(merges, sub);
  assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: sub }, (_, i) => i));
  assert.equal(new Set(cutTree(merges, sub, 5)).size, 5);
});

test("adjusted Rand index: 1 for the same partition renamed, sklearn's 0.5714 example, about 0 at random", () => {
  assert.equal(adjustedRand(Int32Array.from([0, 0, 1, 1, 2]), Int32Array.from([2, 2, 0, 0, 1])), 1);
  assert.ok(Math.abs(adjustedRand(Int32Array.from([0, 0, 1, 1]), Int32Array.from([0, 0, 1, 2])) - 0.5714285714285714) < 1e-12);
  const rng = new Rng(8), a = new Int32Array(2000), b = new Int32Array(2000);
  for (let i = 0; i < 2000; i++) { a[i] = rng.int(5); b[i] = rng.int(5); }
  assert.ok(Math.abs(adjustedRand(a, b)) < 0.01);
});

test("Mantel test: similarity that falls with size difference is detected; unrelated sizes are not", () => {
  const rng = new Rng(6), n = 30;
  const x = Float64Array.from({ length: n }, () => 3 * rng.uniform());
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M[i * n + j] = Math.exp(-Math.abs(x[i] - x[j])) + 0.05 * (i === j ? 0 : 1);
  const r = mantel(M, n, x, 2000, new Rng(1));
  assert.ok(r.mantel_r < -0.9 && r.p_value < 0.001, JSON.stringify(r));
  const y = Float64Array.from({ length: n }, () => 3 * rng.uniform());
  const q = mantel(M, n, y, 2000, new Rng(1));
  assert.ok(q.p_value > 0.01, JSON.stringify(q));
  assert.deepEqual(Array.from(quintiles(Float64Array.from([5, 1, 4, 2, 3, 9, 8, 7, 6, 10]))), [2, 0, 1, 0, 1, 4, 3, 3, 2, 4]);
});
