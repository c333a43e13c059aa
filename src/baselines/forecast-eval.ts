// Scoring a forecast against the naive and seasonal-naive baselines on the same windows, in
// the file's units, with MASE scaled by the training part's in-sample naive MAE (lag 1).
// This is what `recurrent eval` prints for forecasting models. Pure (no node: imports).
import { check } from "../errors.ts";
import { actualsOf, naiveForecast, seasonalNaiveForecast } from "./naive.ts";
import { mae, mase, rmse } from "./metrics.ts";

export interface ForecastScores { mae: number; rmse: number; mase: number }

export interface ForecastComparison {
  /** Number of windows and of scored values (windows × horizon). */
  windows: number;
  values: number;
  model: ForecastScores | null;
  naive: ForecastScores;
  /** Null when there is less than one season of history before a window. */
  seasonalNaive: ForecastScores | null;
  season: number;
}

/**
 * y: target in the file's units, (N); starts: window target starts (B); pred: the model's
 * forecast (B, H) in the same units, or null to score the baselines only; trainEnd: the
 * training part is y[0, trainEnd).
 */
export function compareForecasts(y: ArrayLike<number>, starts: ArrayLike<number>, H: number, pred: ArrayLike<number> | null, trainEnd: number, season: number): ForecastComparison {
  check(starts.length > 0, "forecast evaluation", "at least one window", 0);
  if (pred) check(pred.length === starts.length * H, "forecast", `${starts.length} × ${H} values`, pred.length);
  const actual = actualsOf(y, starts, H);
  const train = Array.prototype.slice.call(y, 0, trainEnd) as number[];
  const score = (p: ArrayLike<number>): ForecastScores => ({ mae: mae(p, actual), rmse: rmse(p, actual), mase: mase(p, actual, train) });
  let minStart = Infinity;
  for (let b = 0; b < starts.length; b++) minStart = Math.min(minStart, starts[b]);
  return {
    windows: starts.length, values: actual.length,
    model: pred ? score(pred) : null,
    naive: score(naiveForecast(y, starts, H)),
    seasonalNaive: minStart >= season ? score(seasonalNaiveForecast(y, starts, H, season)) : null,
    season,
  };
}
