import { test } from "node:test";
import assert from "node:assert/strict";
import { rolling, marketVolatility } from "../../src/analysis/firms/rolling.ts";
import { windowedMeasure } from "../../src/analysis/firms/moments.ts";
import { businessDays } from "../../src/analysis/firms/synthetic.ts";
import { Rng } from "../../src/rand.ts";

/** Growth rates (T, N) with one market factor whose volatility is `calm` then `crisis` from day `from`. */
function regimeMarket(N: number, T: number, from: number, calm: number, crisis: number) {
  const rng = new Rng(5), g = new Float64Array(T * N);
  for (let t = 0; t < T; t++) {
    const m = rng.normal() * (t >= from ? crisis : calm);
    for (let i = 0; i < N; i++) g[t * N + i] = 252 * 0.01 * (m + rng.normal());
  }
  return g;
}

test("rolling windows: count, dates and within/between means of the supplied similarity", () => {
  const N = 4, dates = businessDays(100), label = Int32Array.from([0, 0, 1, 1]);
  // Within-sector pairs 0.8, between 0.2, for every window.
  const S = Float64Array.from({ length: 16 }, (_, k) => { const i = k >> 2, j = k & 3; return i === j ? 1 : label[i] === label[j] ? 0.8 : 0.2; });
  const pts = rolling(dates, N, label, () => S, 30, 10);
  assert.equal(pts.length, Math.floor((100 - 30) / 10) + 1);
  assert.equal(pts[0].start, dates[0]); assert.equal(pts[0].end, dates[29]);
  assert.equal(pts[7].end, dates[99]);
  for (const p of pts) { assert.equal(p.within, 0.8); assert.equal(p.between, 0.2); assert.ok(Math.abs(p.mean - (2 * 0.8 + 4 * 0.2) / 6) < 1e-15); }
  assert.throws(() => rolling(dates, N, label, () => S, 2, 10), /--window: expected an integer >= 3/);
});

test("a crisis (market volatility tripled) stands out in rolling correlation and market volatility", () => {
  const N = 20, T = 600, W = 100;
  const g = regimeMarket(N, T, 400, 0.5, 1.5);
  const dates = businessDays(T), label = new Int32Array(N);
  const pts = rolling(dates, N, label, windowedMeasure("pearson", g, N, W, 1), W, 50);
  const calm = pts.filter((p) => p.end < dates[400]), crisis = pts.filter((p) => p.start >= dates[400]);
  const mean = (a: typeof pts) => a.reduce((s, p) => s + p.mean, 0) / a.length;
  assert.ok(mean(crisis) > mean(calm) + 0.3, `calm ${mean(calm)}, crisis ${mean(crisis)}`);
  const vol = marketVolatility(g, dates, N, W, 50);
  assert.equal(vol.length, pts.length);
  const vCalm = vol.filter((v) => v.end < dates[400]).map((v) => v.value), vCrisis = vol.filter((v, k) => pts[k].start >= dates[400]).map((v) => v.value);
  assert.ok(Math.min(...vCrisis) > 2 * Math.max(...vCalm), `${vCalm} vs ${vCrisis}`);
  // Annualised: daily sd of the market factor ≈ 0.01·√(calm² + 1/N), so ≈ 0.01·√252·√(0.25 + 0.05).
  const expectCalm = 0.01 * Math.sqrt(252) * Math.sqrt(0.25 + 1 / N);
  for (const v of vCalm) assert.ok(Math.abs(v - expectCalm) / expectCalm < 0.25, `${v} vs ${expectCalm}`);
});
