import { test } from "node:test";
import assert from "node:assert/strict";
import { actualsOf, driftForecast, meanForecast, naiveForecast, seasonalNaiveForecast } from "../../src/baselines/naive.ts";
import { compareForecasts } from "../../src/baselines/forecast-eval.ts";
import { readCsvFile } from "../../src/node/csv-file.ts";
import { prepareForecast } from "../../src/data/prepare-forecast.ts";

const y = Float64Array.from([5, 1, 2, 3, 4, 5, 6, 7]);

test("naive repeats the value before the window; seasonal naive the value one season back", () => {
  assert.deepEqual([...naiveForecast(y, [3, 5], 2)], [2, 2, 4, 4]);
  // m = 3, t = 4, h = 0..4 → y[1], y[2], y[3], y[1], y[2]
  assert.deepEqual([...seasonalNaiveForecast(y, [4], 5, 3)], [1, 2, 3, 1, 2]);
  assert.deepEqual([...seasonalNaiveForecast(y, [3, 5], 2, 1)], [...naiveForecast(y, [3, 5], 2)]);
  assert.throws(() => seasonalNaiveForecast(y, [2], 1, 3), /one season of history/);
});

test("drift extends the line through the window's ends; mean repeats the window mean", () => {
  assert.deepEqual([...driftForecast(y, [6], 2, 4)], [6, 7]); // window 2,3,4,5 → slope 1 from 5
  assert.deepEqual([...meanForecast(y, [5], 1, 4)], [2.5]);
  assert.deepEqual([...actualsOf(y, [5], 3)], [5, 6, 7]);
});

test("on a purely seasonal series seasonal naive is exact and naive is not", () => {
  const m = 12, s = Float64Array.from({ length: 120 }, (_, t) => 10 + Math.sin((2 * Math.PI * t) / m));
  const starts = Int32Array.from({ length: 20 }, (_, i) => 80 + i);
  const c = compareForecasts(s, starts, 6, null, 60, m);
  assert.ok(c.seasonalNaive!.mae < 1e-12);
  assert.ok(c.naive.mae > 0.1);
});

test("MASE of the one-step naive forecast over the training part is exactly 1", () => {
  const d = prepareForecast(readCsvFile("test/fixtures/airline_passengers.csv"), { window: 12, horizon: 1 });
  const starts = Int32Array.from({ length: d.bounds.trainEnd - 1 }, (_, i) => i + 1);
  const c = compareForecasts(d.target, starts, 1, naiveForecast(d.target, starts, 1), d.bounds.trainEnd, 12);
  assert.ok(Math.abs(c.model!.mase - 1) < 1e-12);
  assert.equal(c.model!.mae, c.naive.mae);
  assert.equal(c.seasonalNaive, null); // windows starting before one season of history
});

test("compareForecasts scores the model and both baselines on the same test windows", () => {
  const d = prepareForecast(readCsvFile("test/fixtures/airline_passengers.csv"), { window: 24, horizon: 12 });
  const starts = d.test!.starts;
  const perfect = actualsOf(d.target, starts, 12);
  const c = compareForecasts(d.target, starts, 12, perfect, d.bounds.trainEnd, 12);
  assert.equal(c.windows, starts.length);
  assert.equal(c.values, starts.length * 12);
  assert.deepEqual(c.model, { mae: 0, rmse: 0, mase: 0 });
  assert.ok(c.naive.rmse >= c.naive.mae && c.seasonalNaive!.rmse >= c.seasonalNaive!.mae);
  assert.throws(() => compareForecasts(d.target, starts, 12, perfect.subarray(1), d.bounds.trainEnd, 12), /forecast/);
});
