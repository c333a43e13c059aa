import { test } from "node:test";
import assert from "node:assert/strict";
import { xor, xorPredictable } from "../../src/data/tasks/xor.ts";
import { Rng } from "../../src/rand.ts";

test("xor (Elman 1990): every third bit is the XOR of the two before, the target is the next bit", () => {
  const T = 30, b = xor.generate({ length: T, batch: 400, rng: new Rng(2) });
  let ones = 0;
  for (let j = 0; j < b.B; j++) {
    for (let t = 0; t < T; t++) {
      const bit = b.x[t * b.B + j];
      assert.ok(bit === 0 || bit === 1);
      ones += bit;
      if (t % 3 === 2) assert.equal(bit, b.x[(t - 1) * b.B + j] ^ b.x[(t - 2) * b.B + j]);
      if (t + 1 < T) assert.equal(b.target[t * b.B + j], b.x[(t + 1) * b.B + j]);
    }
  }
  assert.ok(Math.abs(ones / (T * b.B) - 0.5) < 0.02);
});

test("xor: the oracle (XOR of the last two inputs at predictable steps) is correct; copying the input is not", () => {
  const T = 31, b = xor.generate({ length: T, batch: 200, rng: new Rng(4) });
  const oracle = new Float64Array(T * b.B), copyIn = new Float64Array(T * b.B);
  for (let j = 0; j < b.B; j++) {
    for (let t = 0; t < T; t++) {
      const i = t * b.B + j;
      oracle[i] = xorPredictable(t) ? b.x[i] ^ b.x[i - b.B] : 0.5;
      copyIn[i] = b.x[i];
    }
  }
  const good = xor.score(oracle, b), bad = xor.score(copyIn, b);
  assert.equal(good.accuracy, 1); assert.equal(good.stepAccuracy, 1);
  assert.ok(bad.accuracy < 0.05);
  assert.ok(Math.abs((bad.stepAccuracy ?? 0) - 0.5) < 0.05, "copying the input is right half the time");
});
