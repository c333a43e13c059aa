import { test } from "node:test";
import assert from "node:assert/strict";
import { accuracy, argmaxRows, confusionMatrix, lmScores, mae, mase, naiveScale, natsToBits, perplexity, perplexityToNats, rmse } from "../../src/baselines/metrics.ts";

test("MAE and RMSE on hand-checked values; RMSE ≥ MAE", () => {
  const p = [1, 2, 3, 4], a = [2, 2, 1, 4]; // errors 1, 0, 2, 0
  assert.equal(mae(p, a), 0.75);
  assert.equal(rmse(p, a), Math.sqrt(5 / 4));
  assert.throws(() => mae([1], [1, 2]), /same non-zero length/);
});

test("MASE divides by the training part's in-sample naive MAE (lag 1, or m)", () => {
  const train = [1, 3, 2, 6]; // |diffs| 2, 1, 4 → 7/3
  assert.equal(naiveScale(train), 7 / 3);
  assert.equal(naiveScale(train, 2), (1 + 3) / 2);
  assert.equal(mase([4], [6], train), 2 / (7 / 3));
  assert.equal(mase([1], [2], [5, 5, 5]), Infinity);
  assert.throws(() => naiveScale([1], 1), /longer than the lag 1/);
});

test("accuracy, argmax and the confusion matrix (rows actual, columns predicted)", () => {
  const scores = [0.1, 0.9, 0.8, 0.2, 0.3, 0.7, 0.6, 0.4]; // (4, 2)
  const pred = argmaxRows(scores, 2);
  assert.deepEqual([...pred], [1, 0, 1, 0]);
  const actual = [1, 1, 0, 0];
  assert.equal(accuracy(pred, actual), 0.5);
  assert.deepEqual(confusionMatrix(pred, actual, 2), [[1, 1], [1, 1]]);
  assert.deepEqual(confusionMatrix([0, 2, 2], [0, 1, 2], 3), [[1, 0, 0], [0, 0, 1], [0, 0, 1]]);
  assert.throws(() => confusionMatrix([3], [0], 3), /class indices/);
});

test("language-model units: uniform over V symbols is ln V nats, log2 V bits, perplexity V", () => {
  for (const V of [2, 65, 10000]) {
    const s = lmScores(Math.log(V));
    assert.ok(Math.abs(s.bits - Math.log2(V)) < 1e-12);
    assert.ok(Math.abs(s.perplexity - V) < 1e-9 * V);
  }
  assert.ok(Math.abs(perplexityToNats(perplexity(4.7)) - 4.7) < 1e-12);
  assert.equal(natsToBits(Math.LN2), 1);
});
