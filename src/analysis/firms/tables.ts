// Parsing the two input tables of the firm-similarity analysis from text: long-format
// daily prices (date, ticker, close) and the firms table (ticker, sector, market cap).
// Pure TypeScript (no file system, no gzip: the CLI edge reads and decompresses), so it
// runs in a browser too. Every bad value is one error line naming file, row and value;
// "row" counts lines as a spreadsheet does (the header is row 1).
//
// Not here: choosing the window, alignment and growth rates (align.ts).
import Papa from "papaparse";
import { RecurrentError } from "../../errors.ts";
import { looksLikeValue } from "../../data/csv.ts";

/** Daily closes in long format, pivoted to a dense (D dates, F tickers) matrix. */
export interface PriceTable {
  file: string;
  dates: string[];          // (D) sorted ascending, YYYY-MM-DD
  tickers: string[];        // (F) in order of first appearance
  firstRow: Int32Array;     // (F) spreadsheet row of each ticker's first price (for messages)
  close: Float64Array;      // (D, F) row-major; NaN where a firm has no price that day
  rows: number;             // data rows read
}

/** One row per firm: sector label and market capitalisation. */
export interface FirmTable {
  file: string;
  tickers: string[];
  names: string[];
  sectors: string[];
  marketCap: Float64Array;  // (F) USD, > 0
  row: Int32Array;          // (F) spreadsheet row of each firm
}

const bad = (file: string, row: number, column: string, expected: string, got: string): never => {
  throw new RecurrentError(`${file} row ${row}, column ${column}: expected ${expected}, got ${JSON.stringify(got)}`);
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const y = +m[1], mo = +m[2], d = +m[3];
  if (mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return !(mo === 2 && d === 29 && !leap);
}

/** A strictly parsed positive finite number, or NaN. */
function positive(s: string): number {
  const t = s.trim();
  if (t === "" || !/^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return NaN;
  const v = Number(t);
  return Number.isFinite(v) && v > 0 ? v : NaN;
}

/** Splits text into lines, keeping each line's 1-based number; skips blank lines. */
function* lines(text: string): Generator<[string, number]> {
  let start = 0, n = 1;
  if (text.charCodeAt(0) === 0xfeff) start = 1; // byte-order mark
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.trim() !== "") yield [line, n];
    start = end + 1; n++;
  }
}

function splitLine(line: string): string[] {
  // Prices have no quoted fields in practice; fall back to a real CSV parser when they do.
  if (line.indexOf('"') < 0) return line.split(",");
  return (Papa.parse<string[]>(line, { header: false }).data[0] ?? []) as string[];
}

function columnIndex(header: string[], file: string, names: string[]): number {
  const lower = header.map((h) => h.trim().toLowerCase());
  for (const name of names) {
    const i = lower.indexOf(name);
    if (i >= 0) return i;
  }
  // Column names are never numbers or dates: such a first row is data, and the header missing.
  if (header.some(looksLikeValue)) {
    throw new RecurrentError(`${file} row 1: expected a header row with a column ${names.map((n) => JSON.stringify(n)).join(" or ")}, got a data row ${JSON.stringify(header.join(","))} (the file has no header: add one)`);
  }
  throw new RecurrentError(`${file} row 1 (header): expected a column ${names.map((n) => JSON.stringify(n)).join(" or ")}, got ${JSON.stringify(header.join(","))}`);
}

/** Parses long-format prices: columns date, ticker, close (any order, other columns ignored). */
export function parsePrices(text: string, file: string): PriceTable {
  const it = lines(text);
  const first = it.next();
  if (first.done) throw new RecurrentError(`${file}: expected a header row date,ticker,close, got an empty file`);
  const header = splitLine(first.value[0]);
  const cDate = columnIndex(header, file, ["date"]);
  const cTicker = columnIndex(header, file, ["ticker", "symbol"]);
  const cClose = columnIndex(header, file, ["close", "adj_close", "adjclose"]);
  const need = Math.max(cDate, cTicker, cClose) + 1;

  // First pass: intern dates and tickers, keep per-row indices.
  const dateIds = new Map<string, number>(), tickerIds = new Map<string, number>();
  const tickers: string[] = [], firstRows: number[] = [];
  const rowDate: number[] = [], rowTicker: number[] = [], rowClose: number[] = [], rowLine: number[] = [];
  for (const [line, n] of it) {
    const f = splitLine(line);
    if (f.length < need) bad(file, n, "(all)", `${header.length} comma-separated fields`, line);
    const date = f[cDate].trim(), ticker = f[cTicker].trim(), closeText = f[cClose];
    let d = dateIds.get(date);
    if (d === undefined) {
      if (!isIsoDate(date)) bad(file, n, "date", "a date YYYY-MM-DD", date);
      d = dateIds.size; dateIds.set(date, d);
    }
    let t = tickerIds.get(ticker);
    if (t === undefined) {
      if (ticker === "") bad(file, n, "ticker", "a ticker", ticker);
      t = tickers.length; tickerIds.set(ticker, t); tickers.push(ticker); firstRows.push(n);
    }
    const close = positive(closeText);
    if (Number.isNaN(close)) bad(file, n, "close", "a positive number", closeText);
    rowDate.push(d); rowTicker.push(t); rowClose.push(close); rowLine.push(n);
  }
  if (rowDate.length === 0) throw new RecurrentError(`${file}: expected price rows after the header, got none`);

  // Sort dates (ISO strings sort as dates) and pivot to (D, F); a cell set twice is a duplicate.
  const unsorted = [...dateIds.keys()];
  const order = unsorted.map((_, i) => i).sort((a, b) => (unsorted[a] < unsorted[b] ? -1 : 1));
  const rank = new Int32Array(order.length);
  order.forEach((orig, r) => { rank[orig] = r; });
  const D = order.length, F = tickers.length;
  const close = new Float64Array(D * F).fill(NaN);
  const seenAt = new Int32Array(D * F);
  for (let r = 0; r < rowDate.length; r++) {
    const cell = rank[rowDate[r]] * F + rowTicker[r];
    if (seenAt[cell] !== 0) {
      throw new RecurrentError(`${file} row ${rowLine[r]}: expected one price per (date, ticker) (this one was first given in row ${seenAt[cell]}), got a duplicate (date, ticker) ${JSON.stringify(unsorted[rowDate[r]] + "," + tickers[rowTicker[r]])}`);
    }
    seenAt[cell] = rowLine[r];
    close[cell] = rowClose[r];
  }
  return { file, dates: order.map((i) => unsorted[i]), tickers, firstRow: Int32Array.from(firstRows), close, rows: rowDate.length };
}

/** Parses the firms table: columns ticker, sector, market_cap_usd (name optional). */
export function parseFirms(text: string, file: string): FirmTable {
  const parsed = Papa.parse<string[]>(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { header: false });
  const rows = parsed.data as string[][];
  if (rows.length === 0 || rows[0].length === 0) throw new RecurrentError(`${file}: expected a header row ticker,sector,market_cap_usd, got an empty file`);
  const header = rows[0];
  const cTicker = columnIndex(header, file, ["ticker", "symbol"]);
  const cSector = columnIndex(header, file, ["sector"]);
  const cCap = columnIndex(header, file, ["market_cap_usd", "market_cap", "marketcap"]);
  const lower = header.map((h) => h.trim().toLowerCase());
  const cName = lower.indexOf("name");
  const need = Math.max(cTicker, cSector, cCap) + 1;
  const out: FirmTable = { file, tickers: [], names: [], sectors: [], marketCap: new Float64Array(0), row: new Int32Array(0) };
  const caps: number[] = [], rowNums: number[] = [];
  const seen = new Map<string, number>();
  for (let r = 1; r < rows.length; r++) {
    const f = rows[r], n = r + 1; // no multi-line fields expected: data row r is spreadsheet row r + 1
    if (f.length === 1 && f[0].trim() === "") continue;
    if (f.length < need) bad(file, n, "(all)", `${header.length} comma-separated fields`, f.join(","));
    const ticker = f[cTicker].trim(), sector = f[cSector].trim();
    if (ticker === "") bad(file, n, "ticker", "a ticker", ticker);
    if (seen.has(ticker)) throw new RecurrentError(`${file} row ${n}: expected one row per firm (this ticker was first given in row ${seen.get(ticker)}), got a duplicate ticker ${JSON.stringify(ticker)}`);
    seen.set(ticker, n);
    if (sector === "") bad(file, n, "sector", "a sector name", sector);
    const cap = positive(f[cCap]);
    if (Number.isNaN(cap)) bad(file, n, header[cCap].trim(), "a positive market capitalisation", f[cCap]);
    out.tickers.push(ticker); out.sectors.push(sector); out.names.push(cName >= 0 ? (f[cName] ?? "").trim() : ticker);
    caps.push(cap); rowNums.push(n);
  }
  if (out.tickers.length === 0) throw new RecurrentError(`${file}: expected firm rows after the header, got none`);
  out.marketCap = Float64Array.from(caps);
  out.row = Int32Array.from(rowNums);
  return out;
}
