import { test } from "node:test";
import assert from "node:assert/strict";
import { copy } from "../../src/data/tasks/copy.ts";
import { argmax } from "../../src/data/tasks/types.ts";
import { Rng } from "../../src/rand.ts";

test("copy (Arjovsky 2016): 10 symbols from a1..a8, blanks, the delimiter at T + 9, recall at the end", () => {
  const gap = 15, b = copy.generate({ length: gap, batch: 500, rng: new Rng(1) });
  assert.equal(b.T, gap + 20);
  const counts = new Array(10).fill(0);
  for (let j = 0; j < b.B; j++) {
    for (let t = 0; t < b.T; t++) {
      let hot = 0;
      for (let k = 0; k < 10; k++) hot += b.x[(t * b.B + j) * 10 + k];
      assert.equal(hot, 1, "one-hot input");
      const sym = argmax(b.x, (t * b.B + j) * 10, 10);
      if (t < 10) { assert.ok(sym >= 1 && sym <= 8); counts[sym]++; }
      else assert.equal(sym, t === gap + 9 ? 9 : 0);
      const want = t < gap + 10 ? 0 : argmax(b.x, ((t - gap - 10) * b.B + j) * 10, 10);
      assert.equal(b.target[t * b.B + j], want);
    }
  }
  for (let k = 1; k <= 8; k++) assert.ok(Math.abs(counts[k] / 5000 - 1 / 8) < 0.015, `symbol ${k}: ${counts[k]}`);
});

test("copy: the best memoryless predictor, estimated from data, measures the stated baseline 10·ln 8/(T+20)", () => {
  const gap = 30, O = 9;
  const fit = copy.generate({ length: gap, batch: 4000, rng: new Rng(2) });
  const test = copy.generate({ length: gap, batch: 4000, rng: new Rng(3) });
  // Class frequencies per time step (with add-one smoothing), then the cross-entropy on fresh data.
  const p = new Float64Array(fit.T * O).fill(1);
  for (let t = 0; t < fit.T; t++) for (let j = 0; j < fit.B; j++) p[t * O + fit.target[t * fit.B + j]]++;
  for (let t = 0; t < fit.T; t++) for (let k = 0; k < O; k++) p[t * O + k] /= fit.B + O;
  let ce = 0;
  for (let t = 0; t < test.T; t++) for (let j = 0; j < test.B; j++) ce -= Math.log(p[t * O + test.target[t * test.B + j]]);
  ce /= test.T * test.B;
  const stated = copy.baseline(gap).loss;
  assert.ok(Math.abs(stated - (10 * Math.log(8)) / 50) < 1e-12);
  assert.ok(Math.abs(ce - stated) < 0.01, `measured ${ce}, stated ${stated}`);
});

test("copy: the oracle recalls every symbol; recalling them shifted by one does not", () => {
  const gap = 12, b = copy.generate({ length: gap, batch: 100, rng: new Rng(5) });
  const good = new Float32Array(b.T * b.B * 9), bad = new Float32Array(b.T * b.B * 9);
  for (let j = 0; j < b.B; j++) {
    for (let t = 0; t < b.T; t++) {
      const k = t - (gap + 10);
      const sym = k >= 0 ? argmax(b.x, (k * b.B + j) * 10, 10) : 0;
      const off = k >= 1 ? argmax(b.x, ((k - 1) * b.B + j) * 10, 10) : sym;
      good[(t * b.B + j) * 9 + sym] = 5;
      bad[(t * b.B + j) * 9 + off] = 5;
    }
  }
  const g = copy.score(good, b), w = copy.score(bad, b);
  assert.equal(g.accuracy, 1); assert.equal(g.stepAccuracy, 1);
  assert.ok(w.accuracy < 0.01);
  assert.ok((w.stepAccuracy ?? 1) < 0.3);
});
