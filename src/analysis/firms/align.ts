// From parsed tables to the analysis input: pick the window and the firms, align them on
// common trading days and compute daily growth rates (DESIGN.md §5):
//   μ_{i,t} = (1/Δt) · ln(S_{i,t} / S_{i,t−1}),  Δt = 1/252 years.
// A growth rate exists only where a firm has prices on a trading day AND on the trading
// day before it (the market calendar = every date any firm trades in the window), so a
// missing day never silently turns into a two-day return. Nothing is filled; every firm
// and day left out is counted with its reason.
//
// Not here: parsing (tables.ts), similarity (similarity.ts).
import { RecurrentError, check } from "../../errors.ts";
import { isIsoDate, type FirmTable, type PriceTable } from "./tables.ts";

export const DT = 1 / 252;

export interface AlignOptions {
  start?: string;            // first calendar date of the window (inclusive); default: first date
  end?: string;              // last date (inclusive); default: last date
  minCoverage?: number;      // keep firms with growth rates on at least this share of the window's days
  dropUnknown?: boolean;     // drop tickers present in only one file (reported) instead of failing
  minDays?: number;          // fewer common days than this is an error
  tickers?: string[];        // restrict to these firms (e.g. from --tickers)
}

export interface Dropped { ticker: string; reason: string }

/** Aligned growth rates of N firms over T common days, plus what was dropped and why. */
export interface Aligned {
  tickers: string[];         // (N)
  names: string[];           // (N)
  sectors: string[];         // (N)
  marketCap: Float64Array;   // (N)
  dates: string[];           // (T) the day each growth rate ends on
  growth: Float64Array;      // (T, N) row-major, time-major; per year (× 252)
  start: string; end: string;  // first and last calendar date of the window
  calendarDays: number;      // trading days in the window (union over all firms)
  droppedFirms: Dropped[];
  droppedDays: Array<{ date: string; missing: number; example: string }>;
  droppedPriceRows: number;  // price rows of tickers dropped as unknown
}

export function align(prices: PriceTable, firms: FirmTable, opt: AlignOptions = {}): Aligned {
  const minCoverage = opt.minCoverage ?? 0.99, minDays = opt.minDays ?? 20;
  check(minCoverage > 0 && minCoverage <= 1, "--min-coverage", "a share in (0, 1]", minCoverage);
  for (const [flag, v] of [["--start", opt.start], ["--end", opt.end]] as const) {
    if (v !== undefined) check(isIsoDate(v), flag, "a date YYYY-MM-DD", v);
  }
  const droppedFirms: Dropped[] = [];
  let droppedPriceRows = 0;

  // Tickers must agree between the two files.
  const firmIndex = new Map(firms.tickers.map((t, i) => [t, i]));
  const priceIndex = new Map(prices.tickers.map((t, i) => [t, i]));
  for (let f = 0; f < prices.tickers.length; f++) {
    const t = prices.tickers[f];
    if (firmIndex.has(t)) continue;
    if (!opt.dropUnknown) throw new RecurrentError(`${prices.file} row ${prices.firstRow[f]}: ticker ${JSON.stringify(t)} is not in ${firms.file} (pass --drop-unknown to leave such firms out)`);
    let n = 0;
    for (let d = 0; d < prices.dates.length; d++) if (!Number.isNaN(prices.close[d * prices.tickers.length + f])) n++;
    droppedPriceRows += n;
    droppedFirms.push({ ticker: t, reason: `not in ${firms.file} (${n} price rows dropped)` });
  }
  for (let i = 0; i < firms.tickers.length; i++) {
    const t = firms.tickers[i];
    if (priceIndex.has(t)) continue;
    if (!opt.dropUnknown) throw new RecurrentError(`${firms.file} row ${firms.row[i]}: ticker ${JSON.stringify(t)} has no prices in ${prices.file} (pass --drop-unknown to leave such firms out)`);
    droppedFirms.push({ ticker: t, reason: `no prices in ${prices.file}` });
  }

  // The window: calendar = every date in the price file within [start, end].
  const start = opt.start ?? prices.dates[0], end = opt.end ?? prices.dates[prices.dates.length - 1];
  check(start <= end, "--start/--end", "start on or before end", `${start} > ${end}`);
  let d0 = 0;
  while (d0 < prices.dates.length && prices.dates[d0] < start) d0++;
  let d1 = d0;
  while (d1 < prices.dates.length && prices.dates[d1] <= end) d1++;
  const D = d1 - d0, F = prices.tickers.length;
  if (D < minDays + 1) throw new RecurrentError(`window ${start}..${end}: expected at least ${minDays + 1} trading days in ${prices.file}, got ${D}`);

  // Candidate firms: those in both files (and in --tickers when given).
  let candidates = firms.tickers.filter((t) => priceIndex.has(t));
  if (opt.tickers) {
    for (const t of opt.tickers) check(firmIndex.has(t) && priceIndex.has(t), "--tickers", `tickers present in both ${prices.file} and ${firms.file}`, t);
    const want = new Set(opt.tickers);
    candidates = candidates.filter((t) => want.has(t));
  }

  // A growth rate on day k needs prices on days k and k−1 of the calendar.
  const has = (d: number, f: number) => !Number.isNaN(prices.close[(d0 + d) * F + f]);
  const kept: string[] = [];
  for (const t of candidates) {
    const f = priceIndex.get(t)!;
    let n = 0, first = -1, last = -1;
    for (let k = 1; k < D; k++) if (has(k, f) && has(k - 1, f)) { n++; if (first < 0) first = k; last = k; }
    const coverage = n / (D - 1);
    if (coverage >= minCoverage) { kept.push(t); continue; }
    const why = n === 0 ? "no growth rates in the window"
      : first > 21 ? `starts late (${prices.dates[d0 + first - 1]})`
      : last < D - 22 ? `ends early (${prices.dates[d0 + last]})`
      : `missing days`;
    droppedFirms.push({ ticker: t, reason: `coverage ${(100 * coverage).toFixed(1)}% < ${(100 * minCoverage).toFixed(1)}%: ${why}` });
  }

  // Common days: every kept firm has a growth rate. Days lost are reported with a culprit.
  const cols = kept.map((t) => priceIndex.get(t)!);
  const days: number[] = [];
  const droppedDays: Aligned["droppedDays"] = [];
  for (let k = 1; k < D; k++) {
    let missing = 0, example = "";
    for (let j = 0; j < cols.length; j++) if (!(has(k, cols[j]) && has(k - 1, cols[j]))) { if (!missing) example = kept[j]; missing++; }
    if (missing === 0) days.push(k);
    else droppedDays.push({ date: prices.dates[d0 + k], missing, example });
  }

  // Firms whose price never moves have no defined correlation: leave them out, reported.
  const T = days.length;
  const growthOf = (f: number, k: number) => Math.log(prices.close[(d0 + k) * F + f] / prices.close[(d0 + k - 1) * F + f]) / DT;
  const finalCols: number[] = [], finalTickers: string[] = [];
  for (let j = 0; j < cols.length; j++) {
    let constant = true;
    for (const k of days) if (growthOf(cols[j], k) !== 0) { constant = false; break; }
    if (constant) droppedFirms.push({ ticker: kept[j], reason: "price never changes in the window" });
    else { finalCols.push(cols[j]); finalTickers.push(kept[j]); }
  }
  const N = finalCols.length;
  if (N < 2) throw new RecurrentError(`window ${start}..${end}: expected at least 2 firms with --min-coverage ${minCoverage}, got ${N}${droppedFirms.length ? ` (${droppedFirms.length} dropped, e.g. ${droppedFirms[0].ticker}: ${droppedFirms[0].reason})` : ""}`);
  if (T < minDays) throw new RecurrentError(`window ${start}..${end}: expected at least ${minDays} common trading days for ${N} firms, got ${T}`);

  const growth = new Float64Array(T * N);
  for (let t = 0; t < T; t++) for (let j = 0; j < N; j++) growth[t * N + j] = growthOf(finalCols[j], days[t]);
  const fi = finalTickers.map((t) => firmIndex.get(t)!);
  return {
    tickers: finalTickers,
    names: fi.map((i) => firms.names[i]),
    sectors: fi.map((i) => firms.sectors[i]),
    marketCap: Float64Array.from(fi, (i) => firms.marketCap[i]),
    dates: days.map((k) => prices.dates[d0 + k]),
    growth, start: prices.dates[d0], end: prices.dates[d1 - 1], calendarDays: D,
    droppedFirms, droppedDays, droppedPriceRows,
  };
}
