import { test } from "node:test";
import assert from "node:assert/strict";
import { adding, addingMarkerRanges } from "../../src/data/tasks/adding.ts";
import { addingArjovsky } from "../../src/data/tasks/adding-arjovsky.ts";
import { Rng } from "../../src/rand.ts";
import type { TaskBatch } from "../../src/data/tasks/types.ts";

// The oracle: reads the marked values from the inputs (marker channel = 1).
function addingOracle(b: TaskBatch, f: (sum: number) => number): Float64Array {
  const out = new Float64Array(b.B);
  for (let j = 0; j < b.B; j++) {
    let s = 0;
    for (let t = 0; t < b.T; t++) if (b.x[(t * b.B + j) * 2 + 1] === 1) s += b.x[(t * b.B + j) * 2];
    out[j] = f(s);
  }
  return out;
}

test("adding (H&S 1997): two markers, in the documented ranges, -1 at the ends, values in [-1, 1]", () => {
  for (const T of [4, 11, 100]) {
    const b = adding.generate({ length: T, batch: 300, rng: new Rng(T) });
    const [n1, n2] = addingMarkerRanges(T);
    let firstInFirst10 = 0;
    for (let j = 0; j < b.B; j++) {
      const marked: number[] = [];
      for (let t = 0; t < T; t++) {
        const v = b.x[(t * b.B + j) * 2], m = b.x[(t * b.B + j) * 2 + 1];
        assert.ok(v >= -1 && v <= 1);
        if (m === 1) marked.push(t);
        else if (t === 0 || t === T - 1) assert.equal(m, -1);
        else assert.equal(m, 0);
      }
      assert.equal(marked.length, 2);
      assert.ok(marked.every((p) => p < Math.max(n1, n2)));
      if (marked.some((p) => p < n1)) firstInFirst10++;
      if (marked[0] === 0) assert.equal(b.x[j * 2], 0, "a marked first step has X1 = 0");
      assert.ok(b.target[j] >= 0 && b.target[j] <= 1);
    }
    assert.equal(firstInFirst10, b.B);
    if (T === 100) assert.deepEqual([n1, n2], [10, 49]);
  }
});

test("adding: the oracle scores 100%, the constant 0.5 does not, and its MSE is the stated baseline", () => {
  const b = adding.generate({ length: 50, batch: 20000, rng: new Rng(3) });
  assert.equal(adding.score(addingOracle(b, (s) => 0.5 + s / 4), b).accuracy, 1);
  assert.ok(adding.score(addingOracle(b, (s) => 0.5 + s / 4 + 0.05), b).accuracy === 0, "off by 0.05 is wrong");
  const half = new Float64Array(b.B).fill(0.5);
  assert.ok(adding.score(half, b).accuracy < 0.35);
  let mse = 0;
  for (let j = 0; j < b.B; j++) mse += (b.target[j] - 0.5) ** 2 / b.B;
  assert.ok(Math.abs(mse - adding.baseline(50).loss) < 0.002, `measured ${mse}`);
});

test("adding-arjovsky: one marker in each half, values U[0,1], measured baseline MSE ≈ 0.167", () => {
  const T = 30, b = addingArjovsky.generate({ length: T, batch: 20000, rng: new Rng(5) });
  let mse = 0, mean = 0;
  for (let j = 0; j < b.B; j++) {
    const marks: number[] = [];
    for (let t = 0; t < T; t++) {
      const v = b.x[(t * b.B + j) * 2];
      assert.ok(v >= 0 && v < 1);
      if (b.x[(t * b.B + j) * 2 + 1] === 1) marks.push(t);
    }
    assert.equal(marks.length, 2);
    assert.ok(marks[0] < T / 2 && marks[1] >= T / 2);
    mse += (b.target[j] - 1) ** 2 / b.B;
    mean += b.target[j] / b.B;
  }
  assert.ok(Math.abs(mean - 1) < 0.01);
  assert.ok(Math.abs(mse - 0.167) < 0.004, `measured baseline MSE ${mse}`);
  assert.ok(Math.abs(addingArjovsky.baseline(T).loss - 0.1667) < 1e-3);
  assert.equal(addingArjovsky.score(addingOracle(b, (s) => s), b).accuracy, 1);
  assert.ok(addingArjovsky.score(new Float64Array(b.B).fill(1), b).accuracy < 0.1);
});
