// `recurrent forecast --model DIR --csv FILE [--horizon H] [--start STEP|DATE] [--out FILE.csv] [--json]`:
// forecasts the next H values of the target from the W steps before the forecast origin (the
// end of the file by default, or --start, where the actual values are then known too), in the
// file's units, with the saved scaler. Horizons beyond the model's own H are reached by
// feeding forecasts back in (single-column series only). Writes the forecast as CSV and, with
// --out, a plot of history, forecast and actuals (FILE.svg and FILE.png beside the CSV).
import { dirname, basename, extname } from "node:path";
import type { Command } from "commander";
import { RecurrentError } from "../../errors.ts";
import { readCsvFile } from "../../node/csv-file.ts";
import { selectSeries, targetOf } from "../../data/series.ts";
import { StandardScaler } from "../../data/scaler.ts";
import { openAtomic } from "../../node/files.ts";
import { forecastSpec } from "../../plot/loss.ts";
import { writeChart } from "../../plot/chart.ts";
import type { Sequence } from "../../train/sequence.ts";
import { openTrained } from "../session/saved.ts";
import { futureLabels } from "../tasks/future-dates.ts";
import { int } from "../options/flags.ts";
import { Task } from "../../node/progress-task.ts";
import { Sink } from "./sink.ts";
import { sequenceOutputs } from "../../train/readout.ts";

interface Opts { model: string; csv: string; horizon?: number; start?: string; out?: string; json?: boolean; last?: boolean; fill?: "error" | "ffill" | "drop" }

export function register(program: Command): void {
  program.command("forecast")
    .description("multi-step forecasts from a trained forecasting model, as CSV and a plot")
    .requiredOption("--model <dir>", "a model directory trained with --task forecast")
    .requiredOption("--csv <file>", "the series (same columns as in training), history up to the forecast origin")
    .option("--horizon <H>", "steps to forecast (default: the model's horizon)", int("--horizon", 1))
    .option("--start <step|date>", "forecast origin: a row number (0-based), or a date of the file or its start (2017-06-01 for 2017-06-01 00:00:00); default: after the last row")
    .option("--out <file.csv>", "write the forecast here, and a plot beside it (.svg, .png); default: CSV on stdout")
    .option("--fill <policy>", "missing values error|ffill|drop (default: as in training)")
    .option("--last", "use the last checkpoint's weights instead of the best validation weights")
    .option("--json", "print {dates, forecast, actual} as JSON")
    .action(async (o: Opts) => { await runForecast(o, (text) => { process.stdout.write(text); }); });
}

/** Steps of the forecast kept for the plot (the CSV and JSON hold them all). */
export const PLOT_STEPS = 10_000;

/**
 * Forecasts and writes as it goes: the CSV rows (to `write`, stdout, or to --out through an
 * atomic file), or the --json object with its arrays written element by element. Only a window
 * of W steps of history and the first PLOT_STEPS forecasts (for the plot) are kept, so
 * `--horizon 1e8` runs in constant memory; progress shows on stderr for long horizons.
 */
export async function runForecast(o: Opts, write: (text: string) => void): Promise<void> {
  const t = openTrained(o.model, ["forecast"], "forecast", o.last);
  const rec = t.task, c = rec.config;
  if (o.out !== undefined && extname(o.out).toLowerCase() !== ".csv") throw new RecurrentError(`--out: expected a file name ending in .csv, got ${JSON.stringify(o.out)}`);
  const series = selectSeries(readCsvFile(o.csv, "--csv"), { target: c.target, features: c.features, date: c.date, fill: o.fill ?? rec.fill });
  const scaler = StandardScaler.fromJSON(rec.scaler, "model scaler");
  const H = o.horizon ?? c.horizon, W = c.window, F = series.f;
  if (H > c.horizon && F > 1) throw new RecurrentError(`--horizon: expected at most the model's ${c.horizon} steps (a model with feature columns cannot feed its forecasts back), got ${H}`);
  let origin = series.n;
  if (o.start !== undefined) {
    const start = o.start.trim(), byDate = series.dates ? startRow(series.dates, start) : -1;
    origin = byDate >= 0 ? byDate : /^\d+$/.test(start) ? Number(start) : NaN;
    if (!Number.isInteger(origin) || origin > series.n) throw new RecurrentError(`--start: expected a row number in [${W}, ${series.n}] or a date of ${basename(o.csv)}${series.dates ? ` (${series.dates[0]} .. ${series.dates[series.n - 1]})` : ""}, got ${JSON.stringify(o.start)}`);
  }
  if (origin < W) throw new RecurrentError(`--csv ${basename(o.csv)}: expected at least the model's window of ${W} steps before the forecast origin, got ${origin}`);
  const values = scaler.transform(series.values, series.source); // (N, F) scaled
  const y = targetOf(series);
  const hasActual = origin < series.n;
  const actual = (h: number): number | null => (origin + h < series.n ? y[origin + h] : null);
  const labels = () => stepLabels(series.dates, origin, series.n, c.frequency, H);

  const first = labels().next().value ?? "";
  const out = o.out ? openAtomic(o.out) : null;
  // The CSV goes to --out (or stdout); --json prints the object on stdout (beside an --out file).
  const csv = out ? new Sink((s) => out.write(s)) : o.json ? null : new Sink(write);
  const json = o.json ? new Sink(write) : null;
  const num = (v: number | null) => (v === null || !Number.isFinite(v) ? "null" : JSON.stringify(v));
  const plotted: number[] = [];            // the first PLOT_STEPS forecasts, in the file's units
  const task = new Task({ label: "forecast", unit: "steps", total: H });
  try {
    csv?.push(`${c.date ?? "step"},forecast${hasActual ? ",actual" : ""}\n`);
    if (json) {
      json.push(`{"origin":${origin},"dates":[`);
      let h = 0;
      for (const d of labels()) json.push(`${h++ ? "," : ""}${JSON.stringify(d)}`);
      json.push(`],"forecast":[`);
    }
    const it = labels();
    await forecastFrom(t.model, values, origin, W, F, c.horizon, H, c.relative, (h, scaled) => {
      const v = scaled * scaler.std[0]! + scaler.mean[0]!;   // scaler.inverseColumn, one value
      if (h < PLOT_STEPS) plotted.push(v);
      if (csv) csv.push(`${it.next().value as string},${v}${hasActual ? `,${actual(h) ?? ""}` : ""}\n`);
      json?.push(`${h ? "," : ""}${num(v)}`);
    }, (done) => task.update(done));
    if (json) {
      json.push(`],"actual":[`);
      for (let k = 0; k < H; k++) json.push(`${k ? "," : ""}${num(actual(k))}`);
      json.push("]}\n");
    }
    csv?.flush();
    out?.commit();
    json?.flush();
    task.finish();
  } finally { out?.abort(); task.stop(); }

  if (o.out) {
    const shown = Math.min(H, PLOT_STEPS);
    const historyFrom = Math.max(0, origin - Math.max(3 * W, 2 * shown));
    const xOf = (i: number) => (series.dates ? series.dates[i] : i);
    const xs: Array<string | number> = [];
    for (const d of labels()) { if (xs.length >= shown) break; xs.push(series.dates ? d : origin + xs.length); }
    const spec = forecastSpec({
      history: Array.from({ length: origin - historyFrom }, (_, k) => ({ x: xOf(historyFrom + k), y: y[historyFrom + k] })),
      forecast: [{ x: xOf(origin - 1), y: y[origin - 1] }, ...plotted.map((v, h) => ({ x: xs[h]!, y: v }))],
      actual: xs.flatMap((x, h) => { const a = actual(h); return a === null ? [] : [{ x, y: a }]; }),
    }, { title: `${c.target}: ${H}-step forecast from ${series.dates ? series.dates[origin - 1] : `step ${origin - 1}`}${H > shown ? ` (the first ${shown.toLocaleString("en-US")} steps plotted)` : ""}`, yTitle: c.target, xTitle: c.date ?? "step" });
    await writeChart(dirname(o.out), basename(o.out, extname(o.out)), spec);
    if (!o.json) write(`wrote ${o.out} and its plot (${H} steps from ${first})\n`);
  }
}

/**
 * The label of each forecast step, in order: the file's date (or row number) while the step is
 * inside the file, then the next dates at the series' frequency (run/future-dates.ts, one step
 * at a time from the previous label: the same dates as all at once from the last), or "+k" when
 * the frequency is unknown; row numbers without a date column.
 */
export function* stepLabels(dates: readonly string[] | null, origin: number, n: number, frequency: string, H: number): Generator<string> {
  let prev: string | null = null;
  for (let h = 0, k = 0; h < H; h++) {
    if (origin + h < n) { yield dates?.[origin + h] ?? String(origin + h); continue; }
    if (!dates) { yield String(origin + h); continue; }
    k++;
    prev = k === 1 ? futureLabels(dates[n - 1]!, frequency, 1)[0]! : prev!.startsWith("+") ? `+${k}` : futureLabels(prev, frequency, 1)[0]!;
    yield prev;
  }
}

/** The row of a --start date: the date itself, else the first date it begins up to a boundary
 * ("2017-06-01" → "2017-06-01 00:00:00", "1958-06" → "1958-06-01"; not "2017-06-1" →
 * "2017-06-10"); -1 when none. Digits alone match only an exact date (else a row number). */
export function startRow(dates: readonly string[], start: string): number {
  const exact = dates.indexOf(start);
  if (exact >= 0 || start === "" || /^\d+$/.test(start)) return exact;
  return dates.findIndex((d) => d.startsWith(start) && (d.length === start.length || !/\d/.test(d[start.length]) || !/\d/.test(start[start.length - 1])));
}

/**
 * H scaled forecasts of the target from origin, recursively when H exceeds the model's horizon,
 * handed to `onValue(h, value)` in order. Keeps only the last W steps of history (grown by the
 * fed-back forecasts, F = 1 then) and yields to the event loop every 256 forwards, so heap
 * blocks of the fast backend are reclaimed and a signal can stop a long run.
 */
async function forecastFrom(model: Sequence, values: Float64Array, origin: number, W: number, F: number, modelH: number, H: number, relative: boolean,
  onValue: (h: number, value: number) => void, onProgress: (done: number) => void): Promise<void> {
  let hist = Array.from(values.subarray((origin - W) * F, origin * F)); // the last W steps, (W, F)
  const x = new Float32Array(W * F);
  for (let done = 0, forwards = 0; done < H; forwards++) {
    const base = (k: number) => (relative ? hist[(W - 1) * F + k]! : 0);
    for (let w = 0; w < W; w++) for (let k = 0; k < F; k++) x[w * F + k] = hist[w * F + k]! - base(k);
    // The last step's output (a bidirectional model: both directions' summary, as it trained).
    // One direction: read from forward's reused output buffer, not a new heap block per forward.
    const input = model.dtype === "float64" ? Float64Array.from(x) : x;
    const step = model.config.bidirectional ? sequenceOutputs(model, input, W, 1) : model.forward(input, W, 1, { inference: true }).out.subarray((W - 1) * modelH, W * modelH);
    const b0 = base(0);
    for (let h = 0; h < modelH && done < H; h++, done++) {
      const v = step[h]! + b0;
      onValue(done, v);
      if (F === 1) hist.push(v);
    }
    if (F === 1 && hist.length > W) hist = hist.slice(hist.length - W);
    if (forwards % 256 === 255) { onProgress(done); await new Promise((r) => setImmediate(r)); }
  }
  onProgress(H);
}
