// The forecasting task: a CSV series (target first, optional feature columns), split by time
// 70/15/15 with the scaler fitted on the training part only, windows of W steps predicting
// the next H target values at once (many-to-one, O = H, MSE on scaled values). Windows are
// relative to their last value (prepare-forecast.ts), so outputs + offset are the forecast.
// Scored in the file's units beside the naive and seasonal-naive baselines on the same windows.
import type { Network } from "../../model/network.ts";
import { basename } from "node:path";
import { readCsvFile } from "../../node/csv-file.ts";
import { prepareForecast, type ForecastConfig, type ForecastData } from "../../data/prepare-forecast.ts";
import { StandardScaler } from "../../data/scaler.ts";
import { epochOrder, forecastBatch, sliceBatches } from "../../data/batches.ts";
import type { WindowSet } from "../../data/windows.ts";
import type { FillPolicy } from "../../data/series.ts";
import { compareForecasts, type ForecastComparison } from "../../baselines/forecast-eval.ts";
import { forecastWindows } from "../../train/forecast-windows.ts";
import type { Rng } from "../../rand.ts";
import type { Evaluation, TrainProblem } from "./problem.ts";
import type { TrainOptions } from "../options/train-options.ts";

export type ForecastRecord = { kind: "forecast"; config: ForecastConfig; scaler: ReturnType<StandardScaler["toJSON"]>; fill: FillPolicy };

/** Reads a CSV for training (options) or for a saved model (its record: same columns, split, scaler). */
export function loadSeries(csv: string, o: Partial<TrainOptions>, saved?: ForecastRecord): ForecastData {
  const table = readCsvFile(csv, "--csv");
  if (saved) {
    const c = saved.config;
    return prepareForecast(table, {
      target: c.target, features: c.features, date: c.date, fill: o.fill ?? saved.fill,
      window: c.window, horizon: o.horizon ?? c.horizon, season: c.season, val: c.val, test: c.test, train: c.train,
      relative: c.relative, scaler: StandardScaler.fromJSON(saved.scaler, "model scaler"),
    });
  }
  return prepareForecast(table, {
    target: o.target, features: o.features, date: o.date, fill: o.fill,
    window: o.window, horizon: o.horizon, season: o.season, val: o.val, test: o.test, train: o.trainSize,
  });
}

/** The model's scores beside the baselines on one part's windows. */
export function scorePart(model: Network, data: ForecastData, set: WindowSet, onBatch?: (done: number, of: number) => void): { loss: number; comparison: ForecastComparison; pred: Float64Array } {
  const f = forecastWindows(model, data, set, onBatch);
  return { loss: f.loss, pred: f.pred, comparison: compareForecasts(data.target, f.starts, set.H, f.pred, data.bounds.trainEnd, data.config.season) };
}

export function forecastEvaluation(model: Network, data: ForecastData, set: WindowSet, onProgress?: (done: number, of: number) => void): Evaluation {
  const { loss, comparison: c } = scorePart(model, data, set, onProgress);
  const metrics: Record<string, number> = { mae: c.model!.mae, rmse: c.model!.rmse, mase: c.model!.mase, naive_mae: c.naive.mae };
  if (c.seasonalNaive) metrics.seasonal_naive_mae = c.seasonalNaive.mae;
  return { loss, metrics };
}

export function forecastProblem(o: TrainOptions): TrainProblem<ForecastRecord> {
  const data = loadSeries(o.csv!, o);
  const c = data.config, n = data.series.n;
  let batches: Int32Array[] = [];
  const record: ForecastRecord = { kind: "forecast", config: c, scaler: data.scaler.toJSON(), fill: o.fill ?? "error" };
  const b = data.bounds;
  return {
    task: "forecast",
    describe: `${basename(o.csv!)}: ${n} steps of ${JSON.stringify(c.target)}${c.features.length ? ` + ${c.features.length} features` : ""}` +
      ` (${c.frequency}), split ${b.trainEnd}/${b.valEnd - b.trainEnd}/${b.n - b.valEnd}; window ${c.window}, horizon ${c.horizon}, season ${c.season}; ` +
      `${data.train.starts.length} training windows`,
    model: { input: data.series.f, output: c.horizon, outputActivation: "linear" },
    loss: "mse", manyToOne: true, unit: "win", carry: false,
    batchesPerEpoch: Math.ceil(data.train.starts.length / o.batch),
    startEpoch: (rng: Rng) => { batches = sliceBatches(epochOrder(data.train.starts.length, rng), o.batch); },
    batch: (i) => forecastBatch(data.scaled, n, data.train, batches[i]),
    units: (bt) => bt.B,
    validate: (model, _, onProgress) => forecastEvaluation(model, data, data.val, onProgress),
    record,
  };
}
