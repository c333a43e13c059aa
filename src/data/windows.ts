// Sliding windows over a (scaled) series for forecasting: a window with target start t has
// inputs at steps [t − W, t) (all F columns) and targets at [t, t + H) (the target column,
// column 0). Windows are addressed by t and gathered into batches on demand, so a long
// series (ETTh1: 17 420 hours) never materialises W copies of itself.
//
// Relative windows (NLinear's normalisation, Zeng et al. 2023) subtract each window's last
// input value, per column, from its inputs and (target column) from its targets: the model
// then predicts the change from the last value, so a trending series whose test part lies
// above anything seen in training (airline passengers) is not out of range. Add `offset`
// back to the model's outputs.
// Pure (no node: imports).
import { check, checkInt } from "../errors.ts";
import { failWith } from "./problem.ts";
import type { StandardScaler } from "./scaler.ts";

export interface WindowBatch {
  /** W steps, B windows, F columns. */
  W: number; B: number; F: number; H: number;
  /** Inputs, (W, B, F) time-major. */
  x: Float32Array | Float64Array;
  /** Targets, (B, H): row b is the next H target values of window b. */
  y: Float32Array | Float64Array;
  /** Target start step t of each window, (B). */
  starts: Int32Array;
  /** What was subtracted from window b's targets, (B): its last input target value for
   * relative windows, else 0. Model outputs + offset = scaled forecasts. */
  offset: Float64Array;
}

export interface WindowSet {
  W: number; H: number; F: number;
  /** Target start steps of the windows in this set, ascending. */
  starts: Int32Array;
  /** Inputs and targets relative to the window's last input value (see above). */
  relative: boolean;
}

/** Windows whose targets lie inside [from, to) and whose inputs start at step ≥ 0, so a
 * validation window may read inputs from the end of training but predicts only validation
 * steps. */
export function windowsIn(from: number, to: number, W: number, H: number, F: number, where = "series", relative = false): WindowSet {
  checkInt(W, "window"); checkInt(H, "horizon");
  const first = Math.max(from, W), last = to - H; // inclusive range of t
  if (last < first) {
    failWith(where, `room for one window of ${W} input + ${H} target steps`, `${to - from} steps`);
  }
  const starts = new Int32Array(last - first + 1);
  for (let i = 0; i < starts.length; i++) starts[i] = first + i;
  return { W, H, F, starts, relative };
}

/** Gathers windows by target start into (W, B, F) inputs and (B, H) targets. */
export function gatherWindows(values: ArrayLike<number>, n: number, set: WindowSet, starts: ArrayLike<number> = set.starts, dtype: "float32" | "float64" = "float32"): WindowBatch {
  const { W, H, F } = set, B = starts.length;
  check(values.length === n * F, "series values", `length ${n} × ${F}`, values.length);
  const Arr = dtype === "float64" ? Float64Array : Float32Array;
  const x = new Arr(W * B * F), y = new Arr(B * H);
  const s = new Int32Array(B), offset = new Float64Array(B);
  const lastRow = (t0: number, k: number) => (set.relative ? values[(t0 - 1) * F + k] : 0);
  for (let b = 0; b < B; b++) {
    const t0 = starts[b];
    check(t0 >= W && t0 + H <= n, "window start", `an integer in [${W}, ${n - H}]`, t0);
    s[b] = t0;
    offset[b] = lastRow(t0, 0);
    for (let w = 0; w < W; w++) {
      const src = (t0 - W + w) * F, dst = (w * B + b) * F;
      for (let k = 0; k < F; k++) x[dst + k] = values[src + k] - lastRow(t0, k);
    }
    for (let h = 0; h < H; h++) y[b * H + h] = values[(t0 + h) * F] - offset[b];
  }
  return { W, B, F, H, x, y, starts: s, offset };
}

/** The inputs of the window that starts at the end of the series (t = n): what a forecast
 * beyond the data reads. x (W, 1, F), and the offset to add to the model's outputs. */
export function lastWindow(values: ArrayLike<number>, n: number, set: Pick<WindowSet, "W" | "F" | "relative">, dtype: "float32" | "float64" = "float32"): { x: Float32Array | Float64Array; offset: Float64Array } {
  const { W, F } = set;
  check(values.length === n * F, "series values", `length ${n} × ${F}`, values.length);
  if (n < W) failWith("series", `at least one window of ${W} steps to forecast from`, `${n} steps`);
  const x = dtype === "float64" ? new Float64Array(W * F) : new Float32Array(W * F);
  for (let w = 0; w < W; w++) {
    for (let k = 0; k < F; k++) x[w * F + k] = values[(n - W + w) * F + k] - (set.relative ? values[(n - 1) * F + k] : 0);
  }
  return { x, offset: Float64Array.of(set.relative ? values[(n - 1) * F] : 0) };
}

/** Model outputs (B, H) for windows with the given offsets (WindowBatch.offset) back in the
 * file's units: add the offset (relative windows), then undo the target's scaling. */
export function toUnits(data: { scaler: Pick<StandardScaler, "inverseColumn"> }, outputs: ArrayLike<number>, offset: ArrayLike<number>, H: number): Float64Array {
  check(outputs.length === offset.length * H, "forecast outputs", `${offset.length} × ${H} values`, outputs.length);
  const scaled = new Float64Array(outputs.length);
  for (let i = 0; i < outputs.length; i++) scaled[i] = outputs[i] + offset[Math.floor(i / H)];
  return data.scaler.inverseColumn(scaled, 0);
}
