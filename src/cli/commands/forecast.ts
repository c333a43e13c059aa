// `recurrent forecast --model DIR --csv FILE [--horizon H] [--start STEP|DATE] [--out FILE.csv] [--json]`:
// forecasts the next H values of the target from the W steps before the forecast origin (the
// end of the file by default, or --start, where the actual values are then known too), in the
// file's units, with the saved scaler. Horizons beyond the model's own H are reached by
// feeding forecasts back in (single-column series only). Writes the forecast as CSV and, with
// --out, a plot of history, forecast and actuals (FILE.svg and FILE.png beside the CSV).
import { dirname, basename, extname } from "node:path";
import type { Command } from "commander";
import { RecurrentError } from "../../errors.ts";
import { readCsvFile } from "../../data/csv-file.ts";
import { selectSeries, targetOf } from "../../data/series.ts";
import { StandardScaler } from "../../data/scaler.ts";
import { writeFileAtomic } from "../../io/files.ts";
import { forecastSpec } from "../../plot/loss.ts";
import { writeChart } from "../../plot/chart.ts";
import type { Sequence } from "../../model/sequence.ts";
import { openTrained } from "../run/saved.ts";
import type { ForecastRecord } from "../run/forecast.ts";
import { futureLabels } from "../run/future-dates.ts";
import { int, jsonLine } from "../run/flags.ts";

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
    .action(async (o: Opts) => { process.stdout.write(await runForecast(o)); });
}

export async function runForecast(o: Opts): Promise<string> {
  const t = openTrained(o.model, ["forecast"], "forecast", o.last);
  const rec = t.task as unknown as ForecastRecord, c = rec.config;
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
  const forecast = forecastFrom(t.model, values, origin, W, F, c.horizon, H, c.relative);
  const y = targetOf(series);
  const fc = Array.from(scaler.inverseColumn(forecast, 0));
  const actual = Array.from({ length: H }, (_, h) => (origin + h < series.n ? y[origin + h] : null));
  const labels = Array.from({ length: H }, (_, h) => (origin + h < series.n ? (series.dates?.[origin + h] ?? String(origin + h)) : null));
  const future = futureLabels(series.dates ? series.dates[series.n - 1] : null, c.frequency, H);
  for (let h = 0, k = 0; h < H; h++) if (labels[h] === null) labels[h] = series.dates ? future[k++] : String(origin + h);
  const dateName = c.date ?? "step";
  const csv = [`${dateName},forecast${actual.some((a) => a !== null) ? ",actual" : ""}`,
    ...labels.map((d, h) => `${d},${fc[h]}${actual.some((a) => a !== null) ? `,${actual[h] ?? ""}` : ""}`)].join("\n") + "\n";
  if (o.out) {
    writeFileAtomic(o.out, csv);
    const historyFrom = Math.max(0, origin - Math.max(3 * W, 2 * H));
    const xOf = (i: number) => (series.dates ? series.dates[i] : i);
    const xs = labels.map((d, h) => (series.dates ? d! : origin + h));
    const spec = forecastSpec({
      history: Array.from({ length: origin - historyFrom }, (_, k) => ({ x: xOf(historyFrom + k), y: y[historyFrom + k] })),
      forecast: [{ x: xOf(origin - 1), y: y[origin - 1] }, ...fc.map((v, h) => ({ x: xs[h], y: v }))],
      actual: actual.flatMap((a, h) => (a === null ? [] : [{ x: xs[h], y: a }])),
    }, { title: `${c.target}: ${H}-step forecast from ${series.dates ? series.dates[origin - 1] : `step ${origin - 1}`}`, yTitle: c.target, xTitle: c.date ?? "step" });
    await writeChart(dirname(o.out), basename(o.out, extname(o.out)), spec);
  }
  if (o.json) return jsonLine({ origin, dates: labels, forecast: fc, actual });
  return o.out ? `wrote ${o.out} and its plot (${H} steps from ${labels[0]})\n` : csv;
}

/** The row of a --start date: the date itself, else the first date it begins up to a boundary
 * ("2017-06-01" → "2017-06-01 00:00:00", "1958-06" → "1958-06-01"; not "2017-06-1" →
 * "2017-06-10"); -1 when none. Digits alone match only an exact date (else a row number). */
export function startRow(dates: readonly string[], start: string): number {
  const exact = dates.indexOf(start);
  if (exact >= 0 || start === "" || /^\d+$/.test(start)) return exact;
  return dates.findIndex((d) => d.startsWith(start) && (d.length === start.length || !/\d/.test(d[start.length]) || !/\d/.test(start[start.length - 1])));
}

/** H scaled forecasts of the target from origin, recursively when H exceeds the model's horizon. */
function forecastFrom(model: Sequence, values: Float64Array, origin: number, W: number, F: number, modelH: number, H: number, relative: boolean): Float64Array {
  const hist = Array.from(values.subarray(0, origin * F)); // grows by fed-back forecasts (F = 1 then)
  const out = new Float64Array(H);
  for (let done = 0; done < H;) {
    const end = origin + done, x = new Float32Array(W * F);
    const base = (k: number) => (relative ? hist[(end - 1) * F + k] : 0);
    for (let w = 0; w < W; w++) for (let k = 0; k < F; k++) x[w * F + k] = hist[(end - W + w) * F + k] - base(k);
    const { out: y } = model.forward(model.dtype === "float64" ? Float64Array.from(x) : x, W, 1);
    const step = y.subarray((W - 1) * modelH, W * modelH);
    for (let h = 0; h < modelH && done < H; h++, done++) {
      out[done] = step[h] + base(0);
      if (F === 1) hist.push(out[done]);
    }
  }
  return out;
}
