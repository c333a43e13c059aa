// Forecasting baselines every model must beat, on the same windows as the model: naive
// (repeat the last value), seasonal naive (repeat the value one season earlier), drift (the
// line through the first and last input) and mean (of the window). Computed on the target
// in the file's units, (N), for windows given by their target start t (windows.ts), each
// forecasting steps [t, t + H). Pure (no node: imports).
import { check, checkInt } from "../errors.ts";

/** ŷ[t + h] = y[t − 1]. Returns (B, H). */
export function naiveForecast(y: ArrayLike<number>, starts: ArrayLike<number>, H: number): Float64Array {
  checkInt(H, "horizon");
  const out = new Float64Array(starts.length * H);
  for (let b = 0; b < starts.length; b++) {
    const t = starts[b];
    check(t >= 1 && t <= y.length, "naive forecast start", `an integer in [1, ${y.length}]`, t);
    out.fill(y[t - 1], b * H, (b + 1) * H);
  }
  return out;
}

/** ŷ[t + h] = y[t + h − m·(⌊h/m⌋ + 1)]: the last observed value at the same phase of the
 * season. Needs m steps of history before t; with m = 1 it is the naive forecast. (B, H). */
export function seasonalNaiveForecast(y: ArrayLike<number>, starts: ArrayLike<number>, H: number, m: number): Float64Array {
  checkInt(H, "horizon"); checkInt(m, "season");
  const out = new Float64Array(starts.length * H);
  for (let b = 0; b < starts.length; b++) {
    const t = starts[b];
    check(t >= m && t <= y.length, "seasonal naive forecast start", `an integer in [${m}, ${y.length}] (one season of history)`, t);
    for (let h = 0; h < H; h++) out[b * H + h] = y[t + h - m * (Math.floor(h / m) + 1)];
  }
  return out;
}

/** ŷ[t + h] = y[t − 1] + (h + 1)·(y[t − 1] − y[t − W]) / (W − 1): the trend of the window. (B, H). */
export function driftForecast(y: ArrayLike<number>, starts: ArrayLike<number>, H: number, W: number): Float64Array {
  checkInt(H, "horizon"); checkInt(W, "window", 2);
  const out = new Float64Array(starts.length * H);
  for (let b = 0; b < starts.length; b++) {
    const t = starts[b];
    check(t >= W && t <= y.length, "drift forecast start", `an integer in [${W}, ${y.length}]`, t);
    const slope = (y[t - 1] - y[t - W]) / (W - 1);
    for (let h = 0; h < H; h++) out[b * H + h] = y[t - 1] + (h + 1) * slope;
  }
  return out;
}

/** ŷ[t + h] = mean of y[t − W, t). (B, H). */
export function meanForecast(y: ArrayLike<number>, starts: ArrayLike<number>, H: number, W: number): Float64Array {
  checkInt(H, "horizon"); checkInt(W, "window");
  const out = new Float64Array(starts.length * H);
  for (let b = 0; b < starts.length; b++) {
    const t = starts[b];
    check(t >= W && t <= y.length, "mean forecast start", `an integer in [${W}, ${y.length}]`, t);
    let s = 0;
    for (let i = t - W; i < t; i++) s += y[i];
    out.fill(s / W, b * H, (b + 1) * H);
  }
  return out;
}

/** The actual values of the windows, (B, H), for scoring any forecast. */
export function actualsOf(y: ArrayLike<number>, starts: ArrayLike<number>, H: number): Float64Array {
  const out = new Float64Array(starts.length * H);
  for (let b = 0; b < starts.length; b++) {
    const t = starts[b];
    check(t >= 0 && t + H <= y.length, "window start", `an integer in [0, ${y.length - H}]`, t);
    for (let h = 0; h < H; h++) out[b * H + h] = y[t + h];
  }
  return out;
}
