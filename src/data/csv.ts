// CSV text → a table of strings with a header (papaparse), plus the column lookups and
// number parsing every loader shares, each error naming the file line and column.
// Pure (no node: imports): csv-file.ts reads the file.
import Papa from "papaparse";
import { fail } from "../errors.ts";
import { checkWith, failWith } from "./problem.ts";

export interface Table {
  /** Where the table came from, for error messages (a file name). */
  source: string;
  header: string[];
  /** Data rows (header excluded); every row has header.length fields. Empty when `lazy` is set. */
  rows: string[][];
  /** The 1-based file line of each row (blank lines are skipped, so lines are not row + 2). */
  lines: number[];
  /** A file's rows decoded when asked for (csv-file.ts): then `rows` and `lines` are empty. Read
   *  rows through rowCount / rowAt / lineAt, which serve both kinds. */
  lazy?: { count: number; row(i: number): string[]; line(i: number): number };
}

export const rowCount = (t: Table): number => (t.lazy ? t.lazy.count : t.rows.length);
export const rowAt = (t: Table, i: number): string[] => (t.lazy ? t.lazy.row(i) : t.rows[i]!);
export const lineAt = (t: Table, i: number): number => (t.lazy ? t.lazy.line(i) : t.lines[i]!);

/** Parses CSV text whose first line is the header; a first line of numbers and dates only is
 * refused (a file without a header), not taken for column names. */
export function parseCsv(text: string, source = "csv"): Table {
  checkWith(text.trim().length > 0, source, "a CSV file with a header line and data rows", "an empty file");
  text = text.replace(/^\uFEFF/, ""); // a byte-order mark (Excel's UTF-8 export) is not part of the first name
  const res = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false, dynamicTyping: false, delimiter: guessDelimiter(text) });
  const bad = res.errors.find((e) => e.type !== "FieldMismatch");
  if (bad) fail(`${source} line ${(bad.row ?? 0) + 1}`, "well-formed CSV", bad.message);
  const all = res.data;
  let first = 0;
  while (first < all.length && isBlank(all[first])) first++;
  const header = checkHeader(all[first], source, first);
  const rows: string[][] = [], lines: number[] = [];
  for (let i = first + 1; i < all.length; i++) {
    const row = all[i];
    if (isBlank(row)) continue;
    if (row.length !== header.length) failWith(`${source} line ${i + 1}`, `${header.length} fields like the header`, `${row.length}`);
    rows.push(row); lines.push(i + 1);
  }
  checkWith(rows.length > 0, source, "at least one data row after the header", "none");
  return { source, header, rows, lines };
}

/** The column names of a header record (record index `first`), trimmed and checked: not a data
 *  row, none empty, all distinct. */
export function checkHeader(fields: string[], source: string, first: number): string[] {
  const header = fields.map((h) => h.trim());
  // Without this check a file with no header row loses its first row to the column names.
  checkWith(!isDataRow(header), `${source} line ${first + 1}`, "a header line naming the columns",
    `a data row ${JSON.stringify(fields.join(",").slice(0, 200))} (the file has no header: add one)`);
  header.forEach((h, j) => {
    checkWith(h.length > 0, `${source} header`, "a name for every column", `an empty name in column ${j + 1}`);
    checkWith(header.indexOf(h) === j, `${source} header`, "distinct column names", `${JSON.stringify(h.slice(0, 100))} twice`);
  });
  return header;
}

/** The delimiter most frequent outside quotes in the header line (comma when none is).
 * papaparse's own guess fails on a file ending in a blank line, so it is not used. */
export function guessDelimiter(text: string): string {
  const header = text.replace(/^\s*\n/, "").split("\n", 1)[0].replace(/"[^"]*"/g, "");
  let best = ",", most = 0;
  for (const d of [",", ";", "\t", "|"]) {
    const n = header.split(d).length - 1;
    if (n > most) { best = d; most = n; }
  }
  return best;
}

function isBlank(row: string[]): boolean { return row.length === 1 && row[0].trim() === ""; }

/** A date or time as data files write them: 1949-01, 2016-07-01 00:00:00, 2016-07-01T00:00Z, 01/07/2016. */
const DATE_LIKE = /^(\d{4}-\d{1,2}(-\d{1,2})?([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})$/;

/** A cell that reads as a value (a number or a date), not as a column name. */
export function looksLikeValue(cell: string): boolean {
  const t = cell.trim();
  return t !== "" && (Number.isFinite(Number(t)) || DATE_LIKE.test(t));
}

/** A header candidate that is really a data row: every field a number or a date (missing
 * values such as "" or NA aside). Names such as "x1" or "2020_sales" still read as names. */
export function isDataRow(fields: readonly string[]): boolean {
  const filled = fields.filter((f) => !isMissing(f));
  return filled.length > 0 && filled.every(looksLikeValue);
}

/** Index of a named column; an unknown name fails listing the available ones. */
export function columnIndex(table: Table, name: string, flag = "column"): number {
  const j = table.header.indexOf(name);
  if (j < 0) fail(flag, `a column of ${table.source}: ${table.header.map((h) => JSON.stringify(h)).join(", ")}`, name);
  return j;
}

/** Cell texts counted as missing values (R writes NA, pandas NaN, others leave it empty). */
const MISSING = new Set(["", "na", "nan", "null", "none", "?", "-"]);

export function isMissing(cell: string): boolean { return MISSING.has(cell.trim().toLowerCase()); }

/** A cell as a finite number; NaN for a missing value; fails on anything else. */
export function parseNumber(table: Table, row: number, col: number): number {
  const cell = rowAt(table, row)[col]!;
  if (isMissing(cell)) return NaN;
  const v = Number(cell.trim());
  if (!Number.isFinite(v)) {
    fail(`${table.source} line ${lineAt(table, row)}, column ${JSON.stringify(table.header[col])}`, "a number", cell);
  }
  return v;
}

/** Whether every non-missing cell of a column is a number (used to guess date columns). */
export function isNumericColumn(table: Table, col: number): boolean {
  for (let i = 0, n = rowCount(table); i < n; i++) {
    const cell = rowAt(table, i)[col]!;
    if (!isMissing(cell) && !Number.isFinite(Number(cell.trim()))) return false;
  }
  return true;
}
