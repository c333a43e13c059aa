// CSV files → tables (Node only; csv.ts parses strings), in memory proportional to the file's
// bytes, not to a string per cell: the file is read once as bytes (one byte per character,
// where a JS string per cell took about 20 times the file), checked to be UTF-8 text, and
// indexed (the start of each record, its line); a row's fields are decoded when a loader asks
// for it (Table.lazy), so a 200 MB CSV holds 200 MB plus 12 bytes a row, and the loaders keep
// only the columns they use. The parse is csv.ts's (papaparse's rules: the delimiter guessed
// from the header line, quoted fields with "" escapes and new lines, blank lines skipped, a
// byte-order mark dropped), with the same checks and messages; progress shows on stderr for
// large files. Error messages name the file.
import { basename } from "node:path";
import { readUserFile } from "./files.ts";
import { memoryLimits } from "../model/budget.ts";
import { Task, largeFiles } from "./progress-task.ts";
import { checkHeader, guessDelimiter, type Table } from "../data/csv.ts";
import { checkWith, failWith } from "../data/problem.ts";
import { fail } from "../errors.ts";

const QUOTE = 0x22, LF = 0x0a, CR = 0x0d, NUL = 0;
/** Space, tab, vertical tab, form feed: what papaparse skips after a closing quote, `d` (the delimiter) excepted. */
const isSpace = (b: number | undefined, d: number): boolean => b !== d && (b === 0x20 || b === 0x09 || b === 0x0b || b === 0x0c);

export function readCsvFile(path: string, flag = "--csv"): Table {
  const where = `${flag} ${path}`, source = basename(path);
  const limit = memoryLimits();
  const bytes = readUserFile(path, limit.bytes, where, `${limit.source}`);
  const task = new Task({ label: `reading ${source}`, unit: "MB", total: Math.ceil(bytes.length / 1e6), show: largeFiles(path) });
  try {
    checkText(bytes, where, task);
    const table = indexCsv(bytes, source, (at) => task.update(Math.floor((bytes.length + at) / 1e6)));
    task.finish();
    return table;
  } finally { task.stop(); }
}

/** UTF-8 without NUL bytes (a binary file), checked in 4 MB pieces (no giant string made). */
function checkText(bytes: Uint8Array, where: string, task: Task): void {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const PIECE = 1 << 22;
  for (let at = 0; at < bytes.length; at += PIECE) {
    const piece = bytes.subarray(at, Math.min(bytes.length, at + PIECE));
    const nul = piece.indexOf(NUL);
    if (nul >= 0) failWith(where, "UTF-8 text", `a NUL byte at byte ${at + nul} (a binary file?)`);
    try { decoder.decode(piece, { stream: at + PIECE < bytes.length }); }
    catch { failWith(where, "UTF-8 text", `invalid UTF-8 near byte ${at} (a binary file, or another encoding such as Latin-1?)`); }
    task.update(Math.floor(at / 2e6));
  }
}

/**
 * Finds the records of CSV bytes (quote-aware), checks them as parseCsv does, and returns a table
 * whose rows are decoded on demand. Exported for tests, which hold it against parseCsv.
 */
export function indexCsv(bytes: Uint8Array, source: string, onProgress: (at: number) => void = () => {}): Table {
  let start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;   // a byte-order mark
  checkWith(!isBlankBytes(bytes, start, bytes.length), source, "a CSV file with a header line and data rows", "an empty file");
  // Records: [starts[r], ends[r]) without the line break; their index (+1) is the line papaparse reports.
  const head = firstLines(bytes, start);
  const delimiter = guessDelimiter(head);
  const d = delimiter.charCodeAt(0);
  const lb = guessLineBreak(head);
  // Is there a line break at i? Its length (papaparse splits on the one line break it guessed).
  const breakAt = (i: number): number => lb === "\n" ? (bytes[i] === LF ? 1 : 0) : lb === "\r" ? (bytes[i] === CR ? 1 : 0) : (bytes[i] === CR && bytes[i + 1] === LF ? 2 : 0);
  // Records: [starts[r], ends[r]) without the line break; their index (+1) is the line papaparse reports.
  let starts = new Float64Array(1024), ends = new Float64Array(1024), fields = new Int32Array(1024);
  let n = 0;
  for (let i = start; ;) {                   // i: the start of a record
    const recStart = i;
    let nFields = 1, inQuotes = false, fieldStart = true, brk = 0;
    for (; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (inQuotes) {
        if (b !== QUOTE) continue;
        if (bytes[i + 1] === QUOTE) { i++; continue; }
        inQuotes = false;
        let k = i + 1;
        while (isSpace(bytes[k], d)) k++;      // papaparse allows white space between a closing quote and what follows
        if (k >= bytes.length ? k > i + 1 : bytes[k] !== d && breakAt(k) === 0) {
          fail(`${source} line ${n + 1}`, "well-formed CSV", "Trailing quote on quoted field is malformed");
        }
        i = k - 1;
        continue;
      }
      if (b === QUOTE && fieldStart) { inQuotes = true; fieldStart = false; continue; }
      if (b === d) { nFields++; fieldStart = true; continue; }
      if ((brk = breakAt(i)) > 0) break;
      fieldStart = false;
    }
    if (inQuotes) fail(`${source} line ${n + 1}`, "well-formed CSV", "Quoted field unterminated");
    if (n === starts.length) { starts = grow(starts); ends = grow(ends); fields = grow(fields); }
    starts[n] = recStart; ends[n] = i; fields[n] = nFields; n++;
    if ((n & 0xffff) === 0) onProgress(i);
    if (i >= bytes.length) break;            // no line break after it: the last record
    i += brk;
  }
  // A file ending in a line break has an empty last record, as papaparse counts it (skipped as blank).
  const decodeRow = rowDecoder(bytes, (r) => starts[r]!, (r) => ends[r]!, d);   // reads the arrays as they are (trimmed below)
  let first = 0;
  // parseCsv's isBlank: one field, empty once trimmed (a quoted "" too).
  const isBlankRecord = (r: number) => fields[r] === 1 && decodeRow(r)[0]!.trim() === "";
  while (first < n && isBlankRecord(first)) first++;
  const header = checkHeader(decodeRow(first), source, first);
  const rowsAt: number[] = [];
  for (let r = first + 1; r < n; r++) {
    if (isBlankRecord(r)) continue;
    if (fields[r] !== header.length) failWith(`${source} line ${r + 1}`, `${header.length} fields like the header`, `${fields[r]}`);
    rowsAt.push(r);
  }
  checkWith(rowsAt.length > 0, source, "at least one data row after the header", "none");
  const index = Int32Array.from(rowsAt);
  // Trimmed to the records found: the doubling left up to half of each array unused.
  starts = starts.slice(0, n); ends = ends.slice(0, n);
  let cached = -1, cachedRow: string[] = [];
  return {
    source, header, rows: [], lines: [],
    lazy: {
      count: index.length,
      row(k: number): string[] {
        if (k !== cached) { cachedRow = decodeRow(index[k]!); cached = k; }
        return cachedRow;
      },
      line: (k: number) => index[k]! + 1,
    },
  };
}

function grow<T extends Float64Array | Int32Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** The first megabyte as text (where papaparse guesses the line break, and csv.ts the delimiter). */
function firstLines(bytes: Uint8Array, start: number): string {
  return new TextDecoder().decode(bytes.subarray(start, Math.min(bytes.length, start + (1 << 20))));
}

/** papaparse's guess of the line break: "\n" when one comes before any "\r", else "\r\n" when at
 *  least half the "\r" are followed by "\n", else "\r" (quoted fields left out of the count). */
function guessLineBreak(head: string): "\n" | "\r\n" | "\r" {
  const text = head.replace(/"([^]*?)"/gm, "");
  const r = text.split("\r"), nl = text.split("\n");
  if (r.length === 1 || (nl.length > 1 && nl[0]!.length < r[0]!.length)) return "\n";
  let withN = 0;
  for (let i = 0; i < r.length; i++) if (r[i]![0] === "\n") withN++;
  return withN >= r.length / 2 ? "\r\n" : "\r";
}

function isBlankBytes(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) { const b = bytes[i]!; if (b !== 0x20 && b !== 0x09 && b !== LF && b !== CR && b !== 0x0b && b !== 0x0c) return false; }
  return new TextDecoder().decode(bytes.subarray(from, to)).trim().length === 0;
}

/** Decodes record r into its fields: quoted fields unquoted ("" → "), as papaparse does. */
function rowDecoder(bytes: Uint8Array, startOf: (r: number) => number, endOf: (r: number) => number, d: number): (r: number) => string[] {
  const decoder = new TextDecoder();
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (from: number, to: number): string => {
    for (let i = from; i < to; i++) if (bytes[i]! >= 0x80) return decoder.decode(bytes.subarray(from, to));
    return buf.toString("latin1", from, to);  // ASCII: a byte is a character
  };
  return (r) => {
    const from = startOf(r), to = endOf(r), out: string[] = [];
    let i = from;
    for (;;) {
      if (bytes[i] === QUOTE && i < to) {
        let s = "", j = i + 1, piece = j;
        for (;;) {
          if (bytes[j] === QUOTE) {
            s += text(piece, j);
            if (bytes[j + 1] === QUOTE) { s += '"'; j += 2; piece = j; continue; }
            break;
          }
          j++;
        }
        out.push(s);
        i = j + 1;                             // past the closing quote (and any spaces): a delimiter or the end follows
        while (i < to && isSpace(bytes[i], d)) i++;
      } else {
        let j = i;
        while (j < to && bytes[j] !== d) j++;
        out.push(text(i, j));
        i = j;
      }
      if (i >= to) break;
      i++;                                     // the delimiter
      if (i === to) { out.push(""); break; }   // a trailing delimiter: one more empty field
    }
    return out;
  };
}
