// A CSV file without a header row: its first data row used to become the column names,
// silently losing a row and failing later with a puzzling "unknown column". Every reader
// (series, sequences, labels, firms' prices and firms table) refuses it in one line instead,
// while real headers, even ones with digits in their names, still parse.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDataRow, parseCsv } from "../../src/data/csv.ts";
import { parseFirms, parsePrices } from "../../src/analysis/firms/tables.ts";
import { cli, tempDir } from "../cli/helpers.ts";

const noHeader = /line 1: expected a header line naming the columns, got a data row "[^"]*" \(the file has no header: add one\)/;

test("a first row of numbers and dates is a data row, not a header; names with digits are names", () => {
  for (const row of [["1949-01", "112"], ["1", "0", "-0.9", "0.3"], ["2016-07-01 00:00:00", "5.8", "NA"], ["01/07/2016", "3"], ["7", ""]]) assert.ok(isDataRow(row), row.join(","));
  for (const row of [["month", "passengers"], ["x1", "x2"], ["2020_sales", "1"], ["sequence_id", "label"], ["seq1", "walk"]]) assert.ok(!isDataRow(row), row.join(","));
});

test("parseCsv refuses a file without a header and keeps a file with one", () => {
  assert.throws(() => parseCsv("1949-01,112\n1949-02,118\n", "air.csv"), (e: Error) => noHeader.test(e.message) && e.message.startsWith("air.csv line 1:"));
  assert.throws(() => parseCsv("\n\n1,0,0.5\n1,1,0.25\n", "seqs.csv"), /seqs\.csv line 3: expected a header line/); // blank lines first
  const t = parseCsv("month,passengers\n1949-01,112\n", "air.csv");
  assert.deepEqual(t.header, ["month", "passengers"]);
  assert.equal(t.rows.length, 1);
});

test("train refuses a headerless series, sequences or labels file with one line and exit 1", async () => {
  const dir = tempDir("noheader");
  try {
    const f = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
    const series = f("series.csv", Array.from({ length: 40 }, (_, i) => `${1949 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")},${100 + i}`).join("\n") + "\n");
    const seqs = f("seqs.csv", "1,0,0.1\n1,1,0.2\n2,0,0.3\n2,1,0.4\n");
    const seqsOk = f("seqs-ok.csv", "sequence_id,step,a\n1,0,0.1\n1,1,0.2\n2,0,0.3\n2,1,0.4\n");
    const labels = f("labels.csv", "1,1\n2,-1\n");
    const runs: Array<[string[], RegExp]> = [
      [["--task", "forecast", "--csv", series], /^error: series\.csv line 1: expected a header line/],
      [["--task", "classify", "--sequences", seqs, "--labels", labels], /^error: seqs\.csv line 1: expected a header line/],
      [["--task", "classify", "--sequences", seqsOk, "--labels", labels], /^error: labels\.csv line 1: expected a header line/],
    ];
    for (const [args, pattern] of runs) {
      const out = join(dir, "out");
      const r = await cli(["train", ...args, "--threads", "1", "--out", out]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, pattern);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("firms: a prices or firms table without its header row is refused as such", () => {
  assert.throws(() => parsePrices("2015-01-02,AAPL,109.33\n2015-01-05,AAPL,106.25\n", "prices.csv"),
    /: prices\.csv row 1: expected a header row with a column "date", got a data row "2015-01-02,AAPL,109\.33" \(the file has no header: add one\)$/);
  assert.throws(() => parseFirms("AAPL,Apple Inc.,Information Technology,900000000000\n", "firms.csv"),
    /: firms\.csv row 1: expected a header row with a column "ticker" or "symbol", got a data row/);
  // A header that only misses a column is still reported as that.
  assert.throws(() => parsePrices("day,ticker,close\n2015-01-02,AAPL,1\n", "prices.csv"), /row 1 \(header\): expected a column "date"/);
});
