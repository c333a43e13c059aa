// A forecaster run over every window of a set: the forecasts in the file's units and the loss on
// the scaled targets, in batches of 256. Shared by the command line's forecasting task
// (src/cli/tasks/forecast.ts) and the playground's. Pure (no node: imports).
import type { ForecastData } from "../data/prepare-forecast.ts";
import { forecastBatch } from "../data/batches.ts";
import { toUnits, type WindowSet } from "../data/windows.ts";
import type { Network } from "../model/network.ts";
import { sequenceOutputs } from "./readout.ts";

export interface WindowForecasts {
  /** MSE on the scaled targets (the training loss). */
  loss: number;
  /** Forecasts in the file's units, (B, H), and the windows' target starts (B). */
  pred: Float64Array;
  starts: Int32Array;
}

/** Runs the model over every window of a set, in batches of 256; `onBatch(done, windows)`
 * after each batch. */
export function forecastWindows(model: Network, data: ForecastData, set: WindowSet, onBatch?: (done: number, of: number) => void): WindowForecasts {
  const H = set.H, n = set.starts.length;
  const pred = new Float64Array(n * H);
  let sq = 0;
  for (let i0 = 0; i0 < n; i0 += 256) {
    const items = Int32Array.from({ length: Math.min(256, n - i0) }, (_, k) => i0 + k);
    const b = forecastBatch(data.scaled, data.series.n, set, items, model.dtype);
    const last = sequenceOutputs(model, b.x, b.T, b.B); // (B, H): the last step's (bidirectional: both directions' summary)
    for (let k = 0; k < last.length; k++) { const d = last[k] - b.targets[k]; sq += d * d; }
    pred.set(toUnits(data, last, b.offset, H), i0 * H);
    onBatch?.(i0 + items.length, n);
  }
  return { loss: sq / (n * H), pred, starts: set.starts };
}

