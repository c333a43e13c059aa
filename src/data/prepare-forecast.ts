// A CSV time series ready for a forecasting model: the series (target first), a split by
// time into train / validation / test, a standard scaler fitted on the training steps only,
// the scaled values, and the sliding windows of each part (targets inside the part, inputs
// allowed to reach back into the previous part, relative to their last value unless
// `relative: false`). Defaults from period.ts; every choice is
// returned in `config` so it can be saved with the model and reused by eval / forecast.
// Pure (no node: imports).
import { check } from "../errors.ts";
import { type Table } from "./csv.ts";
import { type Series, type SeriesOptions, selectSeries, targetOf } from "./series.ts";
import { StandardScaler } from "./scaler.ts";
import { type SplitBounds, splitBounds } from "./split.ts";
import { type WindowSet, windowsIn } from "./windows.ts";
import { forecastDefaults, inferFrequency } from "./period.ts";
import { checkWith } from "./problem.ts";

export interface ForecastOptions extends SeriesOptions {
  window?: number;
  horizon?: number;
  /** Seasonal period for the seasonal-naive baseline. */
  season?: number;
  /** Shares (< 1) or counts (≥ 1) of steps; train defaults to all before validation. */
  val?: number;
  test?: number;
  train?: number;
  /** A saved scaler (eval, forecast): used instead of fitting one. */
  scaler?: StandardScaler;
  /** Windows relative to their last value (windows.ts; default true). */
  relative?: boolean;
}

/** Everything needed to rebuild the same windows later (saved with the model). */
export interface ForecastConfig {
  target: string;
  features: string[];
  date: string | null;
  window: number;
  horizon: number;
  season: number;
  frequency: string;
  val: number;
  test: number;
  train?: number;
  relative: boolean;
}

export interface ForecastData {
  config: ForecastConfig;
  series: Series;
  /** Target column in the file's units, (N). */
  target: Float64Array;
  scaler: StandardScaler;
  /** Scaled values, (N, F) row-major. */
  scaled: Float64Array;
  bounds: SplitBounds;
  train: WindowSet;
  val: WindowSet;
  /** Null when the test share is 0. */
  test: WindowSet | null;
}

export function prepareForecast(table: Table, opts: ForecastOptions = {}): ForecastData {
  const series = selectSeries(table, opts);
  const d = forecastDefaults(series.n, series.dates, opts.horizon);
  const window = opts.window ?? d.window, horizon = opts.horizon ?? d.horizon, season = opts.season ?? d.season;
  const val = opts.val ?? d.val, test = opts.test ?? d.test, relative = opts.relative ?? true;
  const where = series.source;
  checkWith(series.n >= window + horizon, where, `a series of at least window + horizon = ${window} + ${horizon} steps`, `${series.n} steps`);
  const bounds = splitBounds(series.n, { val, test, train: opts.train }, where);
  const scaler = opts.scaler ?? StandardScaler.fit(series.columns, series.values, bounds.trainEnd, series.source);
  if (opts.scaler) check(opts.scaler.columns.join(",") === series.columns.join(","), "model scaler", `columns ${opts.scaler.columns.join(", ")}`, series.columns.join(", "));
  const F = series.f;
  const sizes = `(${series.n} steps split ${bounds.trainEnd}/${bounds.valEnd - bounds.trainEnd}/${bounds.n - bounds.valEnd}; lower --window or --horizon)`;
  const config: ForecastConfig = {
    target: series.columns[0], features: series.columns.slice(1),
    date: series.dateColumn,
    window, horizon, season, frequency: inferFrequency(series.dates), val, test, relative,
    ...(opts.train !== undefined ? { train: opts.train } : {}),
  };
  return {
    config, series, target: targetOf(series), scaler, scaled: scaler.transform(series.values, series.source), bounds,
    train: windowsIn(0, bounds.trainEnd, window, horizon, F, `${where} training part ${sizes}`, relative),
    val: windowsIn(bounds.trainEnd, bounds.valEnd, window, horizon, F, `${where} validation part ${sizes}`, relative),
    test: bounds.valEnd < bounds.n ? windowsIn(bounds.valEnd, bounds.n, window, horizon, F, `${where} test part ${sizes}`, relative) : null,
  };
}

export { toUnits } from "./windows.ts";

/** The options that rebuild the same series, split and windows from a saved config (eval,
 * forecast, resume), with the saved scaler. */
export function optionsFromConfig(c: ForecastConfig, scaler?: StandardScaler): ForecastOptions {
  return {
    target: c.target, features: c.features, date: c.date, window: c.window, horizon: c.horizon, season: c.season,
    val: c.val, test: c.test, train: c.train, relative: c.relative, scaler,
  };
}
