import { test } from "node:test";
import assert from "node:assert/strict";
import { readCsvFile } from "../../src/node/csv-file.ts";
import { parseCsv } from "../../src/data/csv.ts";
import { StandardScaler } from "../../src/data/scaler.ts";
import { gatherWindows, windowsIn } from "../../src/data/windows.ts";
import { forecastDefaults, futureDates, inferFrequency } from "../../src/data/period.ts";
import { optionsFromConfig, prepareForecast, toUnits } from "../../src/data/prepare-forecast.ts";
import { lastWindow } from "../../src/data/windows.ts";

test("scaler: fitted on the training rows only, mean 0 and std 1 there; JSON round-trip", () => {
  // (N = 4, F = 2): the last row is "validation" and must not move the fit
  const values = [1, 10, 2, 10, 3, 10, 100, 1000];
  const s = StandardScaler.fit(["a", "b"], values, 3);
  assert.deepEqual([...s.mean], [2, 10]);
  assert.ok(Math.abs(s.std[0] - Math.sqrt(2 / 3)) < 1e-12);
  assert.equal(s.std[1], 1); // constant column: no division by zero
  const z = s.transform(values);
  assert.ok(Math.abs(z[0] + z[2] + z[4]) < 1e-12);
  assert.deepEqual([...s.inverseColumn([z[6]], 0)], [100]);
  const back = StandardScaler.fromJSON(JSON.parse(JSON.stringify(s)));
  assert.deepEqual([...back.transform(values)], [...z]);
  assert.throws(() => StandardScaler.fromJSON({ kind: "standard", columns: ["a"], mean: [0], std: [0] }), /positive/);
});

test("windows: inputs are the W steps before t (all columns), targets the next H target values", () => {
  // series (N = 10, F = 2): column 0 = t, column 1 = 100 + t
  const n = 10, F = 2, values = Float64Array.from({ length: n * F }, (_, i) => (i % 2 ? 100 : 0) + Math.floor(i / 2));
  const set = windowsIn(0, n, 3, 2, F);
  assert.deepEqual([...set.starts], [3, 4, 5, 6, 7, 8]);
  const b = gatherWindows(values, n, set, [3, 8]);
  // x is (W, B, F) time-major: step w of window b at ((w·B + b)·F)
  for (const [bi, t] of [[0, 3], [1, 8]]) {
    for (let w = 0; w < 3; w++) {
      assert.equal(b.x[(w * 2 + bi) * 2], t - 3 + w);
      assert.equal(b.x[(w * 2 + bi) * 2 + 1], 100 + t - 3 + w);
    }
    assert.deepEqual([b.y[bi * 2], b.y[bi * 2 + 1]], [t, t + 1]);
  }
});

test("windows: validation windows predict only validation steps but may read training inputs", () => {
  const set = windowsIn(70, 85, 24, 12, 1);
  assert.equal(set.starts[0], 70);
  assert.equal(set.starts[set.starts.length - 1], 85 - 12);
  assert.throws(() => windowsIn(70, 80, 24, 12, 1, "validation part"), /validation part: expected room for one window of 24 input \+ 12 target steps, got 10 steps/);
});

test("period: frequency from the dates of the shared series; defaults fit the series", () => {
  assert.equal(inferFrequency(["1949-01", "1949-02"]), "monthly");
  assert.equal(inferFrequency(["1981-01-01", "1981-01-02"]), "daily");
  assert.equal(inferFrequency(["2016-07-01 00:00:00", "2016-07-01 01:00:00"]), "hourly");
  assert.equal(inferFrequency(["1991.496154", "1991.5"]), "unknown");
  assert.equal(inferFrequency(null), "unknown");
  const d = forecastDefaults(144, ["1949-01", "1949-02"]);
  assert.equal(d.season, 12);
  assert.ok(d.window >= d.season && 0.7 * 144 - d.window - d.horizon >= 16);
  const short = forecastDefaults(40, null);
  assert.ok(Math.round(0.7 * 40) - short.window - short.horizon + 1 >= 1);
});

test("prepareForecast on airline passengers: 70/15/15 by time, scaler from training only, windows inside each part", () => {
  const d = prepareForecast(readCsvFile("test/fixtures/airline_passengers.csv"), { window: 24, horizon: 12 });
  const { trainEnd, valEnd, n } = d.bounds;
  assert.equal(n, 144);
  assert.equal(valEnd - trainEnd, Math.round(0.15 * 144));
  let m = 0;
  for (let t = 0; t < trainEnd; t++) m += d.target[t];
  assert.ok(Math.abs(d.scaler.mean[0] - m / trainEnd) < 1e-9);
  assert.equal(d.config.season, 12);
  assert.equal(d.config.date, "month");
  for (const [set, lo, hi] of [[d.train, 0, trainEnd], [d.val, trainEnd, valEnd], [d.test!, valEnd, n]] as const) {
    assert.ok(set.starts[0] >= lo && set.starts[set.starts.length - 1] + 12 <= hi);
    assert.equal(set.starts.length, hi - Math.max(lo, 24) - 12 + 1);
  }
  const b = gatherWindows(d.scaled, n, d.val);
  const z = (v: number) => (v - d.scaler.mean[0]) / d.scaler.std[0];
  assert.ok(Math.abs(b.y[0] - (z(d.target[trainEnd]) - z(d.target[trainEnd - 1]))) < 1e-5);
});

test("relative windows: the model's targets plus the offsets give back the actual values in file units", () => {
  const d = prepareForecast(readCsvFile("test/fixtures/airline_passengers.csv"), { window: 24, horizon: 12 });
  assert.equal(d.config.relative, true);
  const b = gatherWindows(d.scaled, d.series.n, d.test!, d.test!.starts, "float64");
  const back = toUnits(d, b.y, b.offset, 12);
  for (let i = 0; i < back.length; i++) assert.ok(Math.abs(back[i] - d.target[b.starts[Math.floor(i / 12)] + (i % 12)]) < 1e-9);
  const abs = prepareForecast(readCsvFile("test/fixtures/airline_passengers.csv"), { window: 24, horizon: 12, relative: false });
  const a = gatherWindows(abs.scaled, abs.series.n, abs.test!, abs.test!.starts, "float64");
  assert.deepEqual([...a.offset], new Array(a.B).fill(0));
  assert.ok(Math.abs(toUnits(abs, a.y, a.offset, 12)[0] - abs.target[a.starts[0]]) < 1e-9);
});

test("prepareForecast reuses a saved scaler and rejects one fitted on other columns", () => {
  const t = readCsvFile("test/fixtures/melbourne-temp-1981-1982.csv");
  const a = prepareForecast(t, { window: 14, horizon: 7 });
  assert.equal(a.config.frequency, "daily");
  const b = prepareForecast(t, { window: 14, horizon: 7, scaler: StandardScaler.fromJSON(a.scaler.toJSON()) });
  assert.deepEqual([...b.scaled], [...a.scaled]);
  const other = new StandardScaler(["x"], Float64Array.of(0), Float64Array.of(1));
  assert.throws(() => prepareForecast(t, { window: 14, horizon: 7, scaler: other }), /model scaler/);
});

test("prepareForecast: a series shorter than window + horizon, or a part without room for a window, is one line", () => {
  const t = readCsvFile("test/fixtures/bad-data/short-series.csv");
  assert.throws(() => prepareForecast(t, { window: 4, horizon: 2 }), /at least window \+ horizon = 4 \+ 2 steps, got 5 steps/);
  const csv = "m,v\n" + Array.from({ length: 40 }, (_, i) => `${i},${i}`).join("\n");
  assert.throws(() => prepareForecast(parseCsv(csv, "s.csv"), { window: 10, horizon: 8, date: "m" }), (e: Error) => /validation part/.test(e.message) && /lower --window or --horizon/.test(e.message));
});

test("prepareForecast with a training size: test windows end where the test part ends, later steps unused", () => {
  const csv = "t,v\n" + Array.from({ length: 100 }, (_, i) => `${i},${i % 7}`).join("\n");
  const d = prepareForecast(parseCsv(csv, "s.csv"), { date: "t", train: 50, val: 20, test: 20, window: 5, horizon: 3 });
  assert.deepEqual([d.bounds.trainEnd, d.bounds.valEnd, d.bounds.n], [50, 70, 90]);
  assert.equal(d.test!.starts[d.test!.starts.length - 1], 90 - 3);
  assert.equal(d.config.train, 50);
});

test("a saved config and scaler rebuild the same split and windows (eval, forecast)", () => {
  const t = readCsvFile("test/fixtures/airline_passengers.csv");
  const a = prepareForecast(t, { window: 18, horizon: 6, val: 20, test: 20, relative: false });
  const saved = JSON.parse(JSON.stringify({ config: a.config, scaler: a.scaler }));
  const b = prepareForecast(t, optionsFromConfig(saved.config, StandardScaler.fromJSON(saved.scaler)));
  assert.deepEqual(b.config, a.config);
  assert.deepEqual([...b.test!.starts], [...a.test!.starts]);
  assert.deepEqual([...b.scaled], [...a.scaled]);
});

test("last window: the W steps before the end, relative to the last value, for forecasts past the data", () => {
  const values = Float64Array.from([1, 2, 3, 4, 5]);
  const r = lastWindow(values, 5, { W: 3, F: 1, relative: true }, "float64");
  assert.deepEqual([...r.x], [-2, -1, 0]);
  assert.deepEqual([...r.offset], [5]);
  assert.deepEqual([...lastWindow(values, 5, { W: 3, F: 1, relative: false }).x], [3, 4, 5]);
  assert.throws(() => lastWindow(values, 5, { W: 6, F: 1, relative: false }), /at least one window of 6 steps/);
});

test("future dates continue the file's format: months across a year end, days, hours", () => {
  assert.deepEqual(futureDates(["1960-11", "1960-12"], 3), ["1961-01", "1961-02", "1961-03"]);
  assert.deepEqual(futureDates(["1990-12-30", "1990-12-31"], 2), ["1991-01-01", "1991-01-02"]);
  assert.deepEqual(futureDates(["2018-06-26 18:00:00", "2018-06-26 19:00:00"], 5)!.slice(3), ["2018-06-26 23:00:00", "2018-06-27 00:00:00"]);
  assert.equal(futureDates(["1991.5", "1991.504"], 2), null);
});
