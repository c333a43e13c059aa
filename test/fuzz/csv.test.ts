// Property tests of the CSV readers: random tables (numbers, dates, missing markers, 1e308,
// quotes, delimiters, blank lines, ragged rows) and random text, through the series path
// (parseCsv → selectSeries → prepareForecast), the classification path (sequences + labels →
// prepareClassify) and the firms analysis's prices and firms tables (parsePrices,
// parseFirms). Each is read or refused with one short RecurrentError line naming the file
// (or the flag); whatever is read is finite. Fixed seed, a few hundred cases each.
// Not here: the hand-written bad files (test/cli/bad-input.test.ts, test/data/).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseCsv } from "../../src/data/csv.ts";
import { prepareForecast } from "../../src/data/prepare-forecast.ts";
import { prepareClassify } from "../../src/data/prepare-classify.ts";
import { parseFirms, parsePrices } from "../../src/analysis/firms/tables.ts";
import { returnsOrRefuses, SEED } from "./helpers.ts";

const number = fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.double({ noNaN: false }).map(String), fc.constantFrom("1e308", "-1e308", "1.7976931348623157e308", "0.1", "-0", "1e-320", " 3 ", "+4", "0x10", "1,5"));
const missing = fc.constantFrom("", "NA", "nan", "null", "?", "-", "None");
const date = fc.oneof(fc.date({ min: new Date("1900-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), fc.constantFrom("2020-13-01", "1949-01", "01/02/2003", "2020-02-30"));
const junk = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('"a,b"', '"x""y"', '"open', "\uFEFFname", "a\tb", "é"));
const cell = fc.oneof({ weight: 6, arbitrary: number }, { weight: 2, arbitrary: missing }, { weight: 2, arbitrary: date }, { weight: 1, arbitrary: junk });
const names = fc.uniqueArray(fc.oneof(fc.constantFrom("date", "value", "price", "x", "sequence_id", "step", "label", "ticker", "close", "sector", "market_cap_usd"), fc.string({ minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 4 });
const delimiter = fc.constantFrom(",", ",", ",", ";", "\t");

/** A table as CSV text: a header, rows of cells (sometimes ragged), sometimes blank lines and \r\n. */
const table = fc.tuple(names, delimiter, fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 40 }), fc.boolean()).map(([header, d, rows, crlf]) =>
  [header.join(d), ...rows.map((r) => r.slice(0, header.length + (r.length % 3 === 0 ? 1 : 0)).join(d))].join(crlf ? "\r\n" : "\n"));
const text = fc.oneof({ weight: 4, arbitrary: table }, { weight: 1, arbitrary: fc.string({ maxLength: 80 }) }, { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 80 }) });

function refusesNamed(fn: () => unknown, file: string): unknown {
  const r = returnsOrRefuses(fn);
  if (r instanceof Error) assert.ok(r.message.includes(file) || /^--[a-z-]+: /.test(r.message), `names ${file} or a flag: ${r.message.slice(0, 200)}`);
  return r;
}

test("series: random CSV text is a forecasting dataset with finite scaled values, or one line", () => {
  fc.assert(fc.property(text, fc.option(fc.constantFrom("value", "price", "x", "nope")), fc.constantFrom<"error" | "ffill" | "drop">("error", "ffill", "drop"), fc.integer({ min: 1, max: 4 }), (csv, target, fill, window) => {
    const r = refusesNamed(() => prepareForecast(parseCsv(csv, "s.csv"), { target: target ?? undefined, fill, window, horizon: 1, val: 0.2, test: 0 }), "s.csv");
    if (r instanceof Error) return;
    const d = r as ReturnType<typeof prepareForecast>;
    assert.ok(d.scaled.every(Number.isFinite), "finite scaled values");
    assert.ok([...d.scaler.mean, ...d.scaler.std].every(Number.isFinite), "a finite scaler");
  }), { seed: SEED, numRuns: 700 });
});

const seqRows = fc.array(fc.tuple(fc.oneof(fc.constantFrom("a", "b", "c", ""), fc.string({ maxLength: 2 })), fc.oneof(fc.nat(5).map(String), cell), cell, cell), { maxLength: 30 });
const labelRows = fc.array(fc.tuple(fc.oneof(fc.constantFrom("a", "b", "c"), fc.string({ maxLength: 2 })), fc.oneof(fc.constantFrom("up", "down"), cell)), { maxLength: 6 });

test("classification: random sequences and labels files are a dataset of finite values, or one line", () => {
  fc.assert(fc.property(seqRows, labelRows, fc.boolean(), (sr, lr, extraHeader) => {
    const seqs = ["sequence_id,step,f1,f2" + (extraHeader ? ",f3" : ""), ...sr.map((r) => r.join(","))].join("\n");
    const labels = ["sequence_id,label", ...lr.map((r) => r.join(","))].join("\n");
    const r = refusesNamed(() => prepareClassify(parseCsv(seqs, "seqs.csv"), parseCsv(labels, "labels.csv"), { val: 0.3 }), ".csv");
    if (r instanceof Error) return;
    for (const s of (r as ReturnType<typeof prepareClassify>).sequences) assert.ok(s.values.every(Number.isFinite));
  }), { seed: SEED, numRuns: 500 });
});

const priceRows = fc.array(fc.tuple(date, fc.oneof(fc.constantFrom("AAA", "BBB", ""), fc.string({ maxLength: 3 })), fc.oneof(fc.double({ min: 0.01, max: 1e6, noNaN: true }).map(String), cell)), { maxLength: 40 });

test("prices and firms tables: random rows are parsed to finite positive closes, or one line naming the file", () => {
  fc.assert(fc.property(priceRows, fc.constantFrom("date,ticker,close", "date,symbol,adj_close", "ticker,close", "date;ticker;close"), fc.oneof(fc.constant(""), fc.string({ maxLength: 30 })), (rows, header, tail) => {
    const csv = [header, ...rows.map((r) => r.join(","))].join("\n") + tail;
    const r = refusesNamed(() => parsePrices(csv, "prices.csv"), "prices.csv");
    if (!(r instanceof Error)) assert.ok((r as ReturnType<typeof parsePrices>).close.every((v) => Number.isNaN(v) || (Number.isFinite(v) && v > 0)));
    refusesNamed(() => parseFirms(csv.replace(/^[^\n]*/, "ticker,sector,market_cap_usd"), "firms.csv"), "firms.csv");
  }), { seed: SEED, numRuns: 500 });
});
