// The adding problem as Hochreiter & Schmidhuber (1997, Exp. 4) define it, variable lengths
// included (src/data/tasks/adding-1997.ts): lengths, marker positions, the −1 end markers at
// each sequence's own last pair, the target formula, the 0.04 criterion, and predictions
// read at each sequence's last real step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { adding1997 } from "../../src/data/tasks/adding-1997.ts";
import { asTrainerBatch, predictionsFrom } from "../../src/data/tasks/as-batch.ts";
import { lengthsFromMask } from "../../src/train/trainer.ts";
import { Rng } from "../../src/rand.ts";
import type { TaskBatch } from "../../src/data/tasks/types.ts";

const value = (b: TaskBatch, t: number, j: number) => b.x[(t * b.B + j) * 2];
const marker = (b: TaskBatch, t: number, j: number) => b.x[(t * b.B + j) * 2 + 1];

/** Each sequence's length, checking that its mask is a prefix of ones. */
function lengths(b: TaskBatch): number[] {
  return Array.from({ length: b.B }, (_, j) => {
    let len = 0;
    while (len < b.T && b.mask![len * b.B + j] === 1) len++;
    for (let t = len; t < b.T; t++) assert.equal(b.mask![t * b.B + j], 0, "the mask is one run of real steps from step 0");
    return len;
  });
}

test("adding-1997: lengths are drawn from T to T + T/10 (every one of them occurs), padded after each end with zeros", () => {
  for (const T of [100, 40]) {
    const b = adding1997.generate({ length: T, batch: 3000, rng: new Rng(T) });
    const top = T + Math.floor(T / 10);
    assert.equal(b.T, top);
    assert.equal(adding1997.steps(T), top);
    const lens = lengths(b), seen = new Set(lens);
    for (let L = T; L <= top; L++) assert.ok(seen.has(L), `length ${L} at T = ${T}`);
    assert.ok(lens.every((L) => L >= T && L <= top));
    for (let j = 0; j < b.B; j++) for (let t = lens[j]; t < top; t++) {
      assert.equal(value(b, t, j), 0); assert.equal(marker(b, t, j), 0);
    }
    assert.deepEqual(lengthsFromMask(asTrainerBatch(b).mask!, b.T, b.B), lens, "the Trainer reads each sequence at its own last step");
  }
});

test("adding-1997: two marked pairs, one among the first ten and one among the first T/2 − 1, −1 on each sequence's first and last pair", () => {
  const T = 100, b = adding1997.generate({ length: T, batch: 4000, rng: new Rng(7) });
  const lens = lengths(b);
  let secondBeyondTen = 0, lastSecondRange = 0, markedFirst = 0;
  for (let j = 0; j < b.B; j++) {
    const marked: number[] = [];
    for (let t = 0; t < lens[j]; t++) {
      const v = value(b, t, j), m = marker(b, t, j);
      assert.ok(v >= -1 && v <= 1);
      if (m === 1) marked.push(t);
      else if (t === 0 || t === lens[j] - 1) assert.equal(m, -1, `end marker at step ${t} of a sequence of ${lens[j]}`);
      else assert.equal(m, 0);
    }
    assert.equal(marked.length, 2);
    assert.ok(marked[0] < 10, "one marker among the first ten pairs");
    assert.ok(marked[1] < T / 2 - 1, "both among the first T/2 − 1 = 49 pairs");
    if (marked[1] >= 10) secondBeyondTen++;
    if (marked[1] === 48) lastSecondRange++;
    if (marked[0] === 0) { markedFirst++; assert.equal(value(b, 0, j), 0, "a marked first pair has value 0"); }
  }
  // The second marker is uniform over the 48 pairs of the first 49 other than the first's:
  // P(it lies beyond the first ten) = 39/48.
  assert.ok(Math.abs(secondBeyondTen / b.B - 39 / 48) < 0.03, `second marker beyond ten: ${secondBeyondTen / b.B}`);
  assert.ok(lastSecondRange > 0, "pair 48 (the last of the first 49) can be marked");
  assert.ok(markedFirst > 0 && markedFirst / b.B < 0.2);
});

test("adding-1997: the target is 0.5 + (X1 + X2)/4 of the marked values, and its constant-0.5 MSE is the stated baseline", () => {
  const b = adding1997.generate({ length: 60, batch: 20000, rng: new Rng(3) });
  let mse = 0;
  for (let j = 0; j < b.B; j++) {
    let sum = 0;
    for (let t = 0; t < b.T; t++) if (marker(b, t, j) === 1) sum += value(b, t, j);
    assert.ok(Math.abs(b.target[j] - (0.5 + sum / 4)) < 1e-6);
    mse += (b.target[j] - 0.5) ** 2 / b.B;
  }
  assert.ok(Math.abs(mse - adding1997.baseline(60).loss) < 0.002, `measured ${mse}`);
});

test("adding-1997: correct means |error| < 0.04 at each sequence's own last pair, not at the padded end", () => {
  const b = adding1997.generate({ length: 50, batch: 500, rng: new Rng(11) });
  const lens = lengths(b);
  assert.ok(lens.some((L) => L < b.T), "some sequences are padded");
  // Model outputs (T, B, 1): target + offset at each sequence's last real step, 9 elsewhere.
  const outputs = (offset: number) => {
    const out = new Float32Array(b.T * b.B).fill(9);
    for (let j = 0; j < b.B; j++) out[(lens[j] - 1) * b.B + j] = b.target[j] + offset;
    return out;
  };
  assert.equal(adding1997.score(predictionsFrom(b, outputs(0.039)), b).accuracy, 1);
  assert.equal(adding1997.score(predictionsFrom(b, outputs(-0.039)), b).accuracy, 1);
  assert.equal(adding1997.score(predictionsFrom(b, outputs(0.041)), b).accuracy, 0);
  const atPaddedEnd = new Float32Array(b.T * b.B).fill(9);
  for (let j = 0; j < b.B; j++) atPaddedEnd[(b.T - 1) * b.B + j] = b.target[j];
  const full = lens.filter((L) => L === b.T).length / b.B;
  assert.equal(adding1997.score(predictionsFrom(b, atPaddedEnd), b).accuracy, full, "only full-length sequences end at step T − 1");
});

test("adding-1997: seeded; another seed gives other lengths and data", () => {
  const a = adding1997.generate({ length: 30, batch: 50, rng: new Rng(1) });
  const c = adding1997.generate({ length: 30, batch: 50, rng: new Rng(1) });
  const d = adding1997.generate({ length: 30, batch: 50, rng: new Rng(2) });
  assert.deepEqual(a.x, c.x); assert.deepEqual(a.mask, c.mask); assert.deepEqual(a.target, c.target);
  assert.notDeepEqual(a.mask, d.mask);
});
