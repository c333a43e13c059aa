// A time series from a CSV table: the target column, optional feature columns and an
// optional date column chosen by name, with a policy for missing values. The target is
// always the first column of the result, so a model's input at each step is
// [target, ...features] and its prediction is the target. Pure (no node: imports).
//
// Defaults: without --date, a first column that is not numeric (month, date) is the date;
// without --target, the only other column (or the only numeric one) is the target (otherwise the user must
// choose, and the error lists the columns).
import { check, fail } from "../errors.ts";
import { type Table, columnIndex, isMissing, isNumericColumn, lineAt, parseNumber, rowAt, rowCount } from "./csv.ts";
import { checkWith, failWith } from "./problem.ts";

export type FillPolicy = "error" | "ffill" | "drop";
export const FILL_POLICIES: readonly FillPolicy[] = ["error", "ffill", "drop"];

export interface SeriesOptions {
  target?: string;
  features?: string[];
  /** The date column, or null for none. Undefined: a non-numeric first column, if any. */
  date?: string | null;
  /** Missing values: "error" (default) names the row and column; "ffill" repeats the last
   * value; "drop" drops the row (the series is then no longer evenly spaced). */
  fill?: FillPolicy;
}

export interface Series {
  source: string;
  /** Column names, target first: (F). */
  columns: string[];
  /** Number of time steps after filling (N) and of columns (F). */
  n: number;
  f: number;
  /** Values, (N, F) row-major (time-major), in the file's units. */
  values: Float64Array;
  /** Date labels, (N), or null without a date column. */
  dates: string[] | null;
  dateColumn: string | null;
  /** Rows filled forward and rows dropped, for the run summary. */
  filled: number;
  dropped: number;
}

/** The target column of a series, (N). */
export function targetOf(s: Series): Float64Array {
  const out = new Float64Array(s.n);
  for (let t = 0; t < s.n; t++) out[t] = s.values[t * s.f];
  return out;
}

export function selectSeries(table: Table, opts: SeriesOptions = {}): Series {
  const fill = opts.fill ?? "error";
  const { header, source } = table;
  let dateCol = -1;
  if (opts.date) dateCol = columnIndex(table, opts.date, "--date");
  else if (opts.date === undefined && !isNumericColumn(table, 0)) dateCol = 0;

  let targetCol: number;
  if (opts.target) targetCol = columnIndex(table, opts.target, "--target");
  else {
    // The one column besides the date (its bad cells are then reported by line), else
    // the one numeric column.
    const rest = header.map((_, j) => j).filter((j) => j !== dateCol);
    const numeric = rest.length === 1 ? rest : rest.filter((j) => isNumericColumn(table, j));
    if (numeric.length !== 1) {
      failWith(`${source}`, `--target naming one of the columns ${header.map((h) => JSON.stringify(h)).join(", ")}`, numeric.length ? `${numeric.length} numeric columns and no --target` : "no numeric column");
    }
    targetCol = numeric[0];
  }
  check(targetCol !== dateCol, "--target", "a column other than the date column", header[targetCol]);
  const featureCols = (opts.features ?? []).map((name) => columnIndex(table, name, "--features"))
    .filter((j, k, all) => j !== targetCol && all.indexOf(j) === k);
  check(!featureCols.includes(dateCol), "--features", "columns other than the date column", header[dateCol]);
  const cols = [targetCol, ...featureCols];
  const F = cols.length;

  const values: number[] = [];
  const dates: string[] = [];
  let filled = 0, dropped = 0;
  const last = new Float64Array(F).fill(NaN);
  for (let i = 0, n = rowCount(table); i < n; i++) {
    const row = new Float64Array(F);
    let missing = -1;
    for (let k = 0; k < F; k++) {
      row[k] = parseNumber(table, i, cols[k]);
      if (Number.isNaN(row[k]) && missing < 0) missing = k;
    }
    if (missing >= 0) {
      const where = `${source} line ${lineAt(table, i)}, column ${JSON.stringify(header[cols[missing]])}`;
      if (fill === "error") fail(where, "a value (or use --fill ffill|drop)", rowAt(table, i)[cols[missing]]);
      if (fill === "drop") { dropped++; continue; }
      for (let k = 0; k < F; k++) {
        if (!Number.isNaN(row[k])) continue;
        checkWith(!Number.isNaN(last[k]), where, "an earlier value to fill forward from (use --fill drop)", "a missing value before any value");
        row[k] = last[k];
      }
      filled++;
    }
    last.set(row);
    for (let k = 0; k < F; k++) values.push(row[k]);
    if (dateCol >= 0) {
      const d = rowAt(table, i)[dateCol].trim();
      check(!isMissing(d), `${source} line ${lineAt(table, i)}, column ${JSON.stringify(header[dateCol])}`, "a date", d);
      if (dates.length) checkOrder(dates[dates.length - 1], d, `${source} line ${lineAt(table, i)}, column ${JSON.stringify(header[dateCol])}`);
      dates.push(d);
    }
  }
  const n = values.length / F;
  checkWith(n > 0, source, "at least one complete row", "none after dropping rows with missing values");
  return { source, columns: cols.map((j) => header[j]), n, f: F, values: Float64Array.from(values), dates: dateCol >= 0 ? dates : null, dateColumn: dateCol >= 0 ? header[dateCol] : null, filled, dropped };
}

/** Dates must increase: numerically when both are numbers (fractional years), otherwise
 * as text, which orders ISO dates (YYYY-MM, YYYY-MM-DD hh:mm:ss) correctly. */
function checkOrder(prev: string, cur: string, where: string): void {
  const a = Number(prev), b = Number(cur);
  const ok = Number.isFinite(a) && Number.isFinite(b) ? b > a : cur > prev;
  check(ok, where, `a date after ${JSON.stringify(prev)} (rows in time order)`, cur);
}
