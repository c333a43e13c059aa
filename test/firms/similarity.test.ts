import { test } from "node:test";
import assert from "node:assert/strict";
import { CLASSICAL, similarity, marketResiduals } from "../../src/analysis/firms/similarity.ts";
import { windowedMeasure } from "../../src/analysis/firms/moments.ts";
import { syntheticMarket } from "../../src/analysis/firms/synthetic.ts";

function naivePearson(x: Float64Array, T: number, N: number, i: number, j: number): number {
  let mi = 0, mj = 0;
  for (let t = 0; t < T; t++) { mi += x[t * N + i]; mj += x[t * N + j]; }
  mi /= T; mj /= T;
  let c = 0, vi = 0, vj = 0;
  for (let t = 0; t < T; t++) { const a = x[t * N + i] - mi, b = x[t * N + j] - mj; c += a * b; vi += a * a; vj += b * b; }
  return c / Math.sqrt(vi * vj);
}

const market = syntheticMarket({ firms: 12, days: 300, sectors: 3, sectorLoading: 0.8, seed: 3 });
const T = 300, N = 12;

test("pearson from one GEMM equals the textbook formula pair by pair", () => {
  const { S } = similarity("pearson", market.growth, T, N);
  for (const [i, j] of [[0, 1], [2, 7], [5, 11]]) assert.ok(Math.abs(S[i * N + j] - naivePearson(market.growth, T, N, i, j)) < 1e-12);
});

test("identical series have similarity 1 under every measure; matrices are symmetric with unit diagonal", () => {
  const x = Float64Array.from(market.growth);
  for (let t = 0; t < T; t++) x[t * N + 4] = x[t * N + 9]; // firm 4 := firm 9
  for (const m of CLASSICAL) {
    const { S } = similarity(m, x, T, N);
    assert.ok(Math.abs(S[4 * N + 9] - 1) < 1e-9, `${m}: ${S[4 * N + 9]}`);
    for (let i = 0; i < N; i++) {
      assert.equal(S[i * N + i], 1);
      for (let j = 0; j < N; j++) assert.equal(S[i * N + j], S[j * N + i]);
    }
  }
});

test("cosine differs from pearson by not centring; rbf is exp(−(1 − ρ)/σ²_day) with the median heuristic", () => {
  const p = similarity("pearson", market.growth, T, N).S;
  const r = similarity("rbf", market.growth, T, N);
  const s2 = r.info.bandwidth_per_day ** 2;
  for (const k of [1, 20, 77]) assert.ok(Math.abs(r.S[k] - Math.exp(-(1 - p[k]) / s2)) < 1e-12);
  // Median heuristic: half the pairs lie beyond σ, i.e. have kernel value below e^{-1/2}.
  let below = 0;
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) if (r.S[i * N + j] < Math.exp(-0.5)) below++;
  assert.equal(below, (N * (N - 1)) / 4);
  const shifted = market.growth.map((v, k) => v + ((k % N) === 0 ? 500 : 0)); // a large drift in firm 0
  const c = similarity("cosine", shifted, T, N).S, q = similarity("pearson", shifted, T, N).S;
  assert.ok(Math.abs(q[1] - p[1]) < 1e-9 && Math.abs(c[1] - q[1]) > 0.05);
});

test("residual correlation removes the market: a market-only world has mean residual similarity near 0", () => {
  const mo = syntheticMarket({ firms: 30, days: 500, sectors: 3, sectorLoading: 0, seed: 5 });
  const raw = similarity("pearson", mo.growth, 500, 30).S, res = similarity("residual", mo.growth, 500, 30);
  const mean = (S: Float64Array) => { let s = 0; for (let i = 0; i < 30; i++) for (let j = i + 1; j < 30; j++) s += S[i * 30 + j]; return s / 435; };
  assert.ok(mean(raw) > 0.3, `raw ${mean(raw)}`);
  assert.ok(Math.abs(mean(res.S)) < 0.05, `residual ${mean(res.S)}`);
  assert.ok(res.info.market_r2 > 0.3 && res.info.market_r2 < 1);
  // Residuals are orthogonal to the market factor.
  const { residuals } = marketResiduals(mo.growth, 500, 30);
  let dot = 0;
  for (let t = 0; t < 500; t++) { let m = 0; for (let j = 0; j < 30; j++) m += mo.growth[t * 30 + j]; dot += residuals[t * 30] * m; }
  assert.ok(Math.abs(dot) < 1e-6);
});

test("windowed measures from incremental moments equal the direct computation on each window", () => {
  const W = 60;
  for (const m of CLASSICAL) {
    const bw = similarity(m, market.growth, T, N).info.bandwidth_per_day ?? 1;
    const fn = windowedMeasure(m, market.growth, N, W, bw);
    for (const t0 of [0, 21, 42, 63, 200, 5]) {
      const S = fn(t0);
      const direct = similarity(m, market.growth.subarray(t0 * N, (t0 + W) * N), W, N);
      const expect = m === "rbf" ? direct.S.map((_, k) => Math.exp(-(1 - similarity("pearson", market.growth.subarray(t0 * N, (t0 + W) * N), W, N).S[k]) / (bw * bw))) : direct.S;
      for (let k = 0; k < N * N; k++) assert.ok(Math.abs(S[k] - expect[k]) < 1e-9, `${m} t0=${t0} k=${k}: ${S[k]} vs ${expect[k]}`);
    }
  }
});
