import { test } from "node:test";
import assert from "node:assert/strict";
import { LmBatches, oneHot } from "../../src/data/lm-batches.ts";
import { splitByPosition, splitBounds } from "../../src/data/split.ts";

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

test("lm batches: column b of chunk k+1 continues column b of chunk k (state carries across chunks)", () => {
  const ids = range(103); // B = 4 streams of L = 25, 3 tokens dropped
  const bt = new LmBatches(ids, 4, 5);
  assert.equal(bt.streamLen, 25);
  const chunks = [...bt];
  assert.equal(chunks.length, bt.length);
  for (let b = 0; b < 4; b++) {
    const stream: number[] = [];
    for (const c of chunks) for (let t = 0; t < c.T; t++) stream.push(c.x[t * c.B + b]);
    // the inputs of stream b, read across chunks, are its tokens in order except the last
    assert.deepEqual(stream, Array.from({ length: 24 }, (_, i) => b * 25 + i));
  }
});

test("lm batches: targets are the inputs shifted by one; every predicted token is counted once", () => {
  const bt = new LmBatches(range(103), 4, 5);
  let count = 0;
  for (const c of bt) {
    for (let i = 0; i < c.x.length; i++) assert.equal(c.y[i], c.x[i] + 1);
    count += c.x.length;
  }
  assert.equal(count, bt.tokens);
  assert.equal(bt.tokens, 4 * 24);
  const last = bt.chunk(bt.length - 1);
  assert.equal(last.T, 24 - 5 * 4); // the remainder chunk is shorter
  const dropped = new LmBatches(range(103), 4, 5, { dropRemainder: true });
  assert.equal(dropped.length, 4);
  assert.equal(dropped.tokens, 4 * 20);
});

test("lm batches: empty text and text shorter than one window are one-line errors", () => {
  assert.throws(() => new LmBatches(new Int32Array(0), 2, 3), /non-empty/);
  assert.throws(() => new LmBatches(range(7), 2, 3), (e: Error) => /2 × 4 = 8 tokens/.test(e.message) && /got 7 tokens/.test(e.message));
  assert.doesNotThrow(() => new LmBatches(range(8), 2, 3));
});

test("one-hot: (T, B) ids to (T, B, V) with a single 1 per row", () => {
  const x = oneHot(Int32Array.from([2, 0, 1]), 3);
  assert.deepEqual([...x], [0, 0, 1, 1, 0, 0, 0, 1, 0]);
  assert.throws(() => oneHot(Int32Array.from([3]), 3), /\[0, 3\)/);
});

test("split by position: shares and counts, in order, no overlap", () => {
  const ids = range(100);
  const s = splitByPosition(ids, { val: 0.1, test: 0.2 });
  assert.deepEqual([s.train.length, s.val.length, s.test.length], [70, 10, 20]);
  assert.equal(s.val[0], 70);
  assert.deepEqual(splitBounds(17420, { val: 2880, test: 2880 }), { trainEnd: 11660, valEnd: 14540, n: 17420 });
  assert.throws(() => splitBounds(10, { val: 0.6, test: 0.5 }), /smaller than the length/);
  assert.throws(() => splitBounds(10, { val: 2.5 }), /whole count/);
});

test("split with a training size lays the parts out from the start (ETTh1's 12/4/4 months of 24)", () => {
  assert.deepEqual(splitBounds(17420, { train: 8640, val: 2880, test: 2880 }), { trainEnd: 8640, valEnd: 11520, n: 14400 });
  assert.throws(() => splitBounds(100, { train: 60, val: 30, test: 20 }), /within the length/);
});

test("lm batches for evaluation shrink B, then T, to fit a short validation part", () => {
  const a = LmBatches.forEval(range(50), 32, 64);
  assert.deepEqual([a.B, a.T], [1, 49]);
  assert.equal(a.tokens, 49);
  const b = LmBatches.forEval(range(1000), 32, 9);
  assert.deepEqual([b.B, b.T], [32, 9]);
  const c = LmBatches.forEval(range(100), 32, 9);
  assert.deepEqual([c.B, c.T], [10, 9]);
  assert.throws(() => LmBatches.forEval(range(1), 4, 4), /at least 2 tokens/);
});
