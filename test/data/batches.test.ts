import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/rand.ts";
import { classifyBatch, epochOrder, forecastBatch, lmBatch, sliceBatches } from "../../src/data/batches.ts";
import { LmBatches } from "../../src/data/lm-batches.ts";
import { readCsvFile } from "../../src/node/csv-file.ts";
import { prepareForecast } from "../../src/data/prepare-forecast.ts";
import { readClassifyFiles } from "../../src/node/sequences-file.ts";

test("epoch order: a seeded permutation, replayed exactly from a saved Rng state", () => {
  const r = new Rng(3);
  const saved = r.state();
  const a = epochOrder(50, r);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  const q = new Rng(0); q.setState(saved);
  assert.deepEqual(epochOrder(50, q), a);
  assert.deepEqual([...epochOrder(4, null)], [0, 1, 2, 3]);
  assert.deepEqual(sliceBatches(epochOrder(5, null), 2).map((s) => [...s]), [[0, 1], [2, 3], [4]]);
});

test("lm batch: one-hot (T, B, V) inputs whose argmax is the chunk's ids; targets the next ids", () => {
  const ids = Int32Array.from({ length: 60 }, (_, i) => (i * 7) % 5);
  const chunk = new LmBatches(ids, 3, 4).chunk(0);
  const b = lmBatch(chunk, 5);
  assert.equal(b.x.length, 4 * 3 * 5);
  for (let r = 0; r < 12; r++) {
    const row = Array.from(b.x.subarray(r * 5, r * 5 + 5));
    assert.equal(row.indexOf(1), chunk.x[r]);
    assert.equal(row.reduce((s, v) => s + v, 0), 1);
  }
  assert.equal(b.targets, chunk.y);
});

test("forecast batch: chosen windows, x (W, B, F) and targets (B, H) from the scaled series", () => {
  const d = prepareForecast(readCsvFile("test/fixtures/airline_passengers.csv"), { window: 24, horizon: 12 });
  const b = forecastBatch(d.scaled, d.series.n, d.train, [0, 10]);
  assert.deepEqual([b.T, b.B, b.targets.length], [24, 2, 24]);
  assert.deepEqual([...b.starts], [d.train.starts[0], d.train.starts[10]]);
  // relative windows (the default): targets and inputs minus the window's last input value
  const t = d.train.starts[10];
  assert.ok(Math.abs((b.targets[12] as number) - (d.scaled[t] - d.scaled[t - 1])) < 1e-6);
  assert.equal(b.x[(23 * 2 + 1)], 0);
  assert.equal(b.offset[1], d.scaled[t - 1]);
  assert.throws(() => forecastBatch(d.scaled, d.series.n, d.train, [d.train.starts.length]), /window index/);
});

test("classify batch: padded inputs with a Uint8Array mask, lengths and class targets", () => {
  const d = readClassifyFiles("test/fixtures/indoor-sequences-24.csv", "test/fixtures/indoor-labels-24.csv");
  const b = classifyBatch(d, [1, 20]);
  assert.ok(b.mask instanceof Uint8Array);
  assert.deepEqual([...b.lengths], [d.sequences[1].length, d.sequences[20].length]);
  assert.deepEqual([...b.labels], [d.sequences[1].label, d.sequences[20].label]);
  assert.equal(b.targets, b.labels);
});
