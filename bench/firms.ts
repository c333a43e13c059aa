// Scale benchmark of the firm-similarity analysis on synthetic markets (sector-structured
// growth rates; real data stops at 401 firms): wall time of each stage and peak memory,
// from the shared data's size (400 firms × 2,500 days) up to 5,000 × 5,000.
//
//   node --import tsx bench/firms.ts [--sizes 400x2500,1000x2500,2000x5000,5000x5000] [--perms 200] [--json]
//
// Permutation tests and rolling windows are timed on a sample (--perms permutations, 3
// windows) and extrapolated linearly to 10,000 permutations and all windows; each
// permutation and each window does the same work, so the extrapolation is exact up to
// cache effects. The float64 Gram product runs on whatever GEMM is active (the reference
// today); the float32 line shows the wasm SIMD kernel on the same product for comparison
// (the analysis itself stays in float64).
import { Command } from "commander";
import { Rng } from "../src/rand.ts";
import { similarity } from "../src/analysis/firms/similarity.ts";
import { windowedMeasure } from "../src/analysis/firms/moments.ts";
import { sectorTest } from "../src/analysis/firms/stats/sector.ts";
import { knnTest } from "../src/analysis/firms/stats/knn.ts";
import { averageLinkage, cutTree } from "../src/analysis/firms/stats/cluster.ts";
import { adjustedRand } from "../src/analysis/firms/stats/ari.ts";
import { mantel } from "../src/analysis/firms/stats/mantel.ts";
import { createFastBackend } from "../src/tensor/fast.ts";
import { gemmName } from "../src/tensor/gemm.ts";

const program = new Command("bench-firms")
  .option("--sizes <list>", "NxT sizes", "400x2500,1000x2500,2000x5000,5000x5000")
  .option("--perms <n>", "permutations timed per test (extrapolated to 10,000)", "200")
  .option("--json", "print JSON lines")
  .parse();
const opts = program.opts<{ sizes: string; perms: string; json?: boolean }>();
const PERMS = Number(opts.perms), FULL = 10_000, K = 11;

/** Growth rates (T, N) per year of a market with a market factor and K sector factors. */
function market(N: number, T: number, seed: number): { growth: Float64Array; label: Int32Array; logCap: Float64Array } {
  const rng = new Rng(seed), growth = new Float64Array(T * N), f = new Float64Array(K);
  const label = Int32Array.from({ length: N }, (_, i) => i % K);
  for (let t = 0; t < T; t++) {
    const m = rng.normal();
    for (let k = 0; k < K; k++) f[k] = rng.normal();
    for (let i = 0; i < N; i++) growth[t * N + i] = 252 * 0.01 * (m + 0.5 * f[label[i]] + rng.normal());
  }
  return { growth, label, logCap: Float64Array.from({ length: N }, () => 22 + 3 * rng.uniform()) };
}

// CPU seconds of this (single-threaded) process, not wall time: on a shared, loaded machine
// wall time measures the neighbours; CPU time measures the work. Wall time is printed too.
let wallTotal = 0;
const time = <T>(f: () => T): [T, number] => {
  const c0 = process.cpuUsage(), t0 = performance.now();
  const r = f();
  const c = process.cpuUsage(c0);
  wallTotal += (performance.now() - t0) / 1000;
  return [r, (c.user + c.system) / 1e6];
};
const rssMB = () => process.resourceUsage().maxRSS / 1024;

const rows: Array<Record<string, number | string>> = [];
for (const spec of opts.sizes.split(",")) {
  const [N, T] = spec.split("x").map(Number);
  wallTotal = 0;
  const [{ growth, label, logCap }, tGen] = time(() => market(N, T, 1));
  const [sim, tSim] = time(() => similarity("pearson", growth, T, N));
  const S = sim.S;
  // float32 Gram on the wasm kernel, same shape (C = Zᵀ Z), for comparison only.
  let tF32 = NaN;
  try {
    const fb = createFastBackend();
    const Z = fb.heap.allocF32(T * N), C = fb.heap.allocF32(N * N);
    if (Z && C) {
      for (let k = 0; k < T * N; k++) Z[k] = growth[k] / 252;
      [, tF32] = time(() => fb.gemmSingle(true, false, N, N, T, Z, 0, Z, 0, C, 0, false));
    }
    fb.stop();
  } catch { /* the wasm heap could not hold this size */ }
  const [, tSector] = time(() => sectorTest(S, N, label, PERMS, new Rng(1)));
  const [knn, tKnn] = time(() => knnTest(S, N, label, 5, PERMS, new Rng(2)));
  const [merges, tClust] = time(() => averageLinkage(S, N));
  const ari = adjustedRand(cutTree(merges, N, K), label);
  const [, tMantel] = time(() => mantel(S, N, logCap, PERMS, new Rng(3)));
  const W = 252, step = 21, windows = Math.floor((T - W) / step) + 1;
  const fn = windowedMeasure("pearson", growth, N, W, 1);
  const [, tRoll0] = time(() => fn(0));
  const [, tRoll3] = time(() => { fn(step); fn(2 * step); fn(3 * step); });
  const perWindow = tRoll3 / 3;
  const row = {
    firms: N, days: T, gemm: gemmName(),
    generate_s: tGen, similarity_f64_s: tSim, gram_f32_wasm_s: tF32,
    sector_test_10k_s: (tSector / PERMS) * FULL, knn_10k_s: (tKnn / PERMS) * FULL, clustering_s: tClust,
    mantel_10k_s: (tMantel / PERMS) * FULL, rolling_all_windows_s: tRoll0 + perWindow * (windows - 1), windows,
    knn_accuracy: knn.accuracy, ari,
    peak_rss_mb: rssMB(), wall_s: wallTotal,
    // growth + its standardised copy (2·T·N), then S, the clustering distances and the rolling window moments, covariance and similarity (5·N²), float64.
    bound_mb: (8 * (2 * T * N + 5 * N * N)) / 2 ** 20,
  };
  rows.push(row);
  if (opts.json) console.log(JSON.stringify(row));
  else {
    const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");
    console.log(`${N} firms × ${T} days (CPU seconds; ${f(wallTotal)} s wall for the timed parts): similarity ${f(tSim)} s (f64, ${gemmName()} GEMM; f32 wasm ${f(tF32)} s), ` +
      `sector test ${f(row.sector_test_10k_s)} s, kNN ${f(row.knn_10k_s)} s, Mantel ${f(row.mantel_10k_s)} s (10,000 permutations each), ` +
      `clustering ${f(tClust)} s, rolling ${windows} windows ${f(row.rolling_all_windows_s)} s; peak RSS ${row.peak_rss_mb.toFixed(0)} MB (bound ${row.bound_mb.toFixed(0)} MB); ` +
      `kNN ${(100 * knn.accuracy).toFixed(1)}%, ARI ${ari.toFixed(2)}`);
  }
}
