// Vega-Lite specs for the training charts, rendered by chart.ts's writeChart: the loss
// curve of a run (train and validation loss from metrics.jsonl) and a forecast chart
// (history, forecast and, where known, actuals). Specs only: no file writing here, and no
// node: imports, so the same specs can render in a browser.
import type { ChartSpec } from "./chart.ts";

export interface LossPoint {
  step: number; epoch?: number; seconds?: number;
  train_loss?: number | null; val_loss?: number | null;
  [key: string]: unknown;
}

export interface LossChartOptions {
  x?: "step" | "epoch" | "seconds";
  title?: string;
  /** y axis title, e.g. "cross-entropy (nats/char)". */
  yTitle?: string;
  /** Log scale on y (default false). */
  logY?: boolean;
}

/** Train and validation loss against steps (or epochs, or seconds). Non-finite losses
 * (a diverged run, written as null) are left out rather than breaking the scale.
 *
 * Axes stay readable for short runs: x runs from 0 (the start of training) to the last
 * record, integer steps and epochs get integer ticks ("1,200", never "246.000000"), and a
 * single record (or a flat curve) gets a loss range around its value instead of a zero-width
 * scale, so a one-evaluation run still shows its point against labelled axes. */
export function lossCurveSpec(records: readonly LossPoint[], opts: LossChartOptions = {}): ChartSpec {
  const x = opts.x ?? "step";
  const values: { x: number; loss: number; series: string }[] = [];
  for (const r of records) {
    const xv = r[x];
    if (!isNum(xv)) continue;
    if (isNum(r.train_loss)) values.push({ x: xv, loss: r.train_loss, series: "train" });
    if (isNum(r.val_loss)) values.push({ x: xv, loss: r.val_loss, series: "validation" });
  }
  const xs = values.map((v) => v.x), losses = values.map((v) => v.loss);
  const xMax = xs.length ? Math.max(...xs) : 1, xMin = xs.length ? Math.min(0, ...xs) : 0;
  const integerX = xs.every(Number.isInteger);
  const xAxis = { tickCount: 8, ...(integerX ? { format: ",d", tickMinStep: 1 } : { format: ",~g" }) };
  // padding (pixels): points at the ends of a range are drawn inside the frame, not on it.
  const yScale: Record<string, unknown> = { padding: 8, ...(opts.logY ? { type: "log" } : { zero: false }) };
  if (losses.length && Math.min(...losses) === Math.max(...losses)) yScale.domain = flatRange(losses[0], !!opts.logY);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: opts.title ?? "Loss",
    width: 480, height: 280,
    data: { values },
    mark: { type: "line", point: values.length <= 60 },
    encoding: {
      x: { field: "x", type: "quantitative", title: x === "seconds" ? "seconds" : x, scale: { domain: [xMin, xMax > xMin ? xMax : xMin + 1], nice: false, padding: 8 }, axis: xAxis },
      y: { field: "loss", type: "quantitative", title: opts.yTitle ?? "loss", scale: yScale, axis: { format: "~g" } },
      color: { field: "series", type: "nominal", title: null, scale: { domain: ["train", "validation"], range: ["#4c78a8", "#f58518"] } },
    },
  } as ChartSpec;
}

/** A loss range around one value (±10 %; ±1 around 0), so a flat scale has ticks. */
function flatRange(v: number, log: boolean): [number, number] {
  if (log && v > 0) return [v / 1.25, v * 1.25];
  const pad = v === 0 ? 1 : Math.abs(v) * 0.1;
  return [v - pad, v + pad];
}

export type XValue = number | string;
export interface XY { x: XValue; y: number }

export interface ForecastChartOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
}

/** History (the inputs), the model's forecast and the actual values over the forecast
 * horizon, on one time axis. x values are numbers (step index, fractional years) or ISO
 * dates ("1949-01", "2016-07-01 00:00:00"). */
export function forecastSpec(parts: { history: readonly XY[]; forecast: readonly XY[]; actual?: readonly XY[]; baseline?: { name: string; points: readonly XY[] } }, opts: ForecastChartOptions = {}): ChartSpec {
  // Forecast and actual lines start from the last history point, so the lines join.
  const join = (pts: readonly XY[]) => (parts.history.length && pts.length && pts[0].x !== parts.history[parts.history.length - 1].x ? [parts.history[parts.history.length - 1], ...pts] : pts);
  const series: [string, readonly XY[]][] = [["history", parts.history], ["forecast", join(parts.forecast)]];
  if (parts.actual?.length) series.push(["actual", join(parts.actual)]);
  if (parts.baseline?.points.length) series.push([parts.baseline.name, parts.baseline.points]);
  const values = series.flatMap(([name, pts]) => pts.filter((p) => isNum(p.y)).map((p) => ({ x: p.x, y: p.y, series: name })));
  const allX = values.map((v) => v.x);
  const xType = allX.every((v) => typeof v === "number") ? "quantitative"
    : allX.every((v) => typeof v === "string" && /^\d{4}-\d{2}(-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?)?$/.test(v)) ? "temporal" : "ordinal";
  const domain = series.map(([n]) => n);
  const palette: Record<string, string> = { history: "#4c78a8", forecast: "#f58518", actual: "#222222" };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: opts.title ?? "Forecast",
    width: 560, height: 280,
    data: { values },
    mark: { type: "line", point: values.length <= 80 },
    encoding: {
      x: { field: "x", type: xType, title: opts.xTitle ?? "time" },
      y: { field: "y", type: "quantitative", title: opts.yTitle ?? "value", scale: { zero: false } },
      color: { field: "series", type: "nominal", title: null, scale: { domain, range: domain.map((n) => palette[n] ?? "#54a24b") } },
      strokeDash: { field: "series", type: "nominal", legend: null, scale: { domain, range: domain.map((n) => (n === "history" || n === "actual" ? [1, 0] : [5, 3])) } },
    },
  } as ChartSpec;
}

function isNum(v: unknown): v is number { return typeof v === "number" && Number.isFinite(v); }
