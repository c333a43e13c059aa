import { test } from "node:test";
import assert from "node:assert/strict";
import { rnnSimilarity, trainRnn, RNN_DEFAULTS } from "../../src/analysis/firms/rnn.ts";
import { syntheticMarket } from "../../src/analysis/firms/synthetic.ts";
import { sectorTest } from "../../src/analysis/firms/stats/sector.ts";
import { sectorCodes } from "../../src/analysis/firms/analyse.ts";
import { Rng } from "../../src/rand.ts";

const N = 24, T = 300;
const m = syntheticMarket({ firms: N, days: T, sectors: 3, sectorLoading: 0.8, seed: 21 });
const small = { ...RNN_DEFAULTS, hidden: 6, window: 10, stride: 5, steps: 40, batch: 16 };

test("the RNN measure: symmetric, unit diagonal, identical firms at similarity 1, reproducible from the seed", () => {
  const x = Float64Array.from(m.growth);
  for (let t = 0; t < T; t++) x[t * N + 3] = x[t * N + 10];
  const a = trainRnn(x, T, N, small), b = trainRnn(x, T, N, small);
  assert.deepEqual(a.states, b.states);
  assert.equal(a.windowEnds.length, Math.floor((T - small.window) / small.stride) + 1);
  for (const emb of ["trajectory", "mean"] as const) {
    const S = rnnSimilarity(a.states, N, small.hidden, 0, a.windowEnds.length, emb);
    assert.ok(Math.abs(S[3 * N + 10] - 1) < 1e-6, `${emb}: ${S[3 * N + 10]}`);
    for (let i = 0; i < N; i++) { assert.equal(S[i * N + i], 1); for (let j = 0; j < N; j++) assert.equal(S[i * N + j], S[j * N + i]); }
  }
  assert.ok(Number.isFinite(a.trainLoss) && a.trainLoss > 0);
});

test("RNN trajectory embeddings separate the sectors of a sector-structured market", () => {
  const r = trainRnn(m.growth, T, N, small);
  const S = rnnSimilarity(r.states, N, small.hidden, 0, r.windowEnds.length, "trajectory");
  const t = sectorTest(S, N, sectorCodes(m.sectors).label, 2000, new Rng(1));
  assert.ok(t.p_value < 0.01 && t.within_mean > t.between_mean, JSON.stringify(t));
});

test("a bidirectional RNN gives each firm both directions' final states (2H per window), trained on the day after each window; its embeddings separate the sectors too", () => {
  const bi = { ...small, bidirectional: true };
  const x = Float64Array.from(m.growth);
  for (let t = 0; t < T; t++) x[t * N + 3] = x[t * N + 10];
  const r = trainRnn(x, T, N, bi);
  assert.equal(r.width, 2 * small.hidden);
  assert.equal(r.states.length, r.windowEnds.length * N * 2 * small.hidden);
  assert.match(r.model.toString(), /^GRU\(2 => 6, bidirectional\) => 1 linear/);
  const again = trainRnn(x, T, N, bi);
  assert.deepEqual(again.states, r.states, "reproducible from the seed");
  const S = rnnSimilarity(r.states, N, r.width, 0, r.windowEnds.length, "trajectory");
  assert.ok(Math.abs(S[3 * N + 10] - 1) < 1e-6, "identical firms at similarity 1");
  assert.ok(Number.isFinite(r.trainLoss) && r.trainLoss > 0);
  // Each window's reverse half differs from its forward half (the two directions were both read).
  let differ = 0;
  for (let k = 0; k < small.hidden; k++) differ += Math.abs(r.states[k]! - r.states[small.hidden + k]!);
  assert.ok(differ > 1e-3);
  const sep = trainRnn(m.growth, T, N, bi);
  const t = sectorTest(rnnSimilarity(sep.states, N, sep.width, 0, sep.windowEnds.length, "trajectory"), N, sectorCodes(m.sectors).label, 2000, new Rng(1));
  assert.ok(t.p_value < 0.01 && t.within_mean > t.between_mean, JSON.stringify(t));
});
