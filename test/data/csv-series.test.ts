import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseCsv } from "../../src/data/csv.ts";
import { readCsvFile } from "../../src/node/csv-file.ts";
import { selectSeries, targetOf } from "../../src/data/series.ts";
import { RecurrentError } from "../../src/errors.ts";

const oneLine = (e: unknown) => e instanceof RecurrentError && !e.message.includes("\n");

test("csv: the airline file parses to 144 rows, the month as date and passengers as target by default", () => {
  const t = readCsvFile("test/fixtures/airline_passengers.csv");
  assert.deepEqual(t.header, ["month", "passengers_thousands"]);
  const s = selectSeries(t);
  assert.equal(s.n, 144);
  assert.deepEqual(s.columns, ["passengers_thousands"]);
  assert.equal(s.dateColumn, "month");
  const raw = readFileSync("test/fixtures/airline_passengers.csv", "utf8").trim().split("\n").slice(1).map((l) => Number(l.split(",")[1]));
  assert.deepEqual([...targetOf(s)], raw);
  assert.equal(s.dates![0], "1949-01");
});

test("csv: features follow the target; the target is column 0 of every row", () => {
  const t = parseCsv("date,a,b,c\n2020-01-01,1,10,100\n2020-01-02,2,20,200\n", "x.csv");
  const s = selectSeries(t, { target: "c", features: ["a", "c", "b"] });
  assert.deepEqual(s.columns, ["c", "a", "b"]);
  assert.deepEqual([...s.values], [100, 1, 10, 200, 2, 20]);
});

test("csv: an unknown column lists the available ones", () => {
  const t = readCsvFile("test/fixtures/airline_passengers.csv");
  assert.throws(() => selectSeries(t, { target: "passengers" }), (e: Error) =>
    oneLine(e) && e.message.includes("--target") && e.message.includes('"month", "passengers_thousands"') && e.message.includes('got "passengers"'));
  assert.throws(() => selectSeries(t, { target: "passengers_thousands", features: ["nope"] }), /--features.*"nope"/);
  assert.throws(() => selectSeries(t, { date: "when" }), /--date/);
});

test("csv: several numeric columns and no --target is an error naming the columns", () => {
  const t = parseCsv("time,DAX,SMI\n1,2,3\n2,3,4\n", "eu.csv");
  assert.throws(() => selectSeries(t), /--target naming one of the columns "time", "DAX", "SMI"/);
});

test("csv: a missing value names its line and column and offers --fill", () => {
  const t = readCsvFile("test/fixtures/bad-data/missing-value.csv");
  assert.throws(() => selectSeries(t), (e: Error) => oneLine(e) && /missing-value\.csv line 4, column "passengers"/.test(e.message) && /--fill ffill\|drop/.test(e.message));
});

test("csv: --fill ffill repeats the last value, --fill drop removes the row", () => {
  const t = readCsvFile("test/fixtures/bad-data/missing-value.csv");
  const f = selectSeries(t, { fill: "ffill" });
  assert.deepEqual([...targetOf(f)], [112, 118, 118, 129]);
  assert.equal(f.filled, 1);
  const d = selectSeries(t, { fill: "drop" });
  assert.deepEqual([...targetOf(d)], [112, 118, 129]);
  assert.deepEqual(d.dates, ["1949-01", "1949-02", "1949-04"]);
  const first = parseCsv("m,v\n1949-01,NA\n1949-02,3\n", "f.csv");
  assert.throws(() => selectSeries(first, { fill: "ffill" }), /earlier value.*--fill drop/);
});

test("csv: a non-numeric value is an error with line and column even under --fill", () => {
  const t = readCsvFile("test/fixtures/bad-data/non-numeric.csv");
  for (const fill of ["error", "ffill", "drop"] as const) {
    assert.throws(() => selectSeries(t, { fill }), (e: Error) => oneLine(e) && /line 3, column "passengers": expected a number, got "abc"/.test(e.message));
  }
});

test("csv: dates out of order, a ragged row and an empty file are one-line errors", () => {
  assert.throws(() => selectSeries(readCsvFile("test/fixtures/bad-data/unsorted-dates.csv")), (e: Error) => oneLine(e) && /line 4.*after "1949-03".*got "1949-02"/.test(e.message));
  assert.throws(() => readCsvFile("test/fixtures/bad-data/ragged.csv"), (e: Error) => oneLine(e) && /ragged\.csv line 3: expected 2 fields/.test(e.message));
  assert.throws(() => readCsvFile("test/fixtures/bad-data/empty.txt"), /empty file/);
  assert.throws(() => readCsvFile("test/fixtures/bad-data/none.csv"), /no such file/);
  assert.throws(() => parseCsv("a,a\n1,2\n"), /distinct column names/);
});

test("csv: blank lines are skipped and line numbers still point at the file's lines", () => {
  const t = parseCsv("m,v\n\n1,2\n\n2,x\n", "b.csv");
  assert.equal(t.rows.length, 2);
  assert.throws(() => selectSeries(t, { date: "m" }), /b\.csv line 5/);
});

test("csv: a byte-order mark, CRLF line ends, quotes and semicolons are read as expected", () => {
  const t = parseCsv('\uFEFFmonth,"passengers, thousands"\r\n1949-01,112\r\n1949-02,"118"\r\n', "excel.csv");
  assert.deepEqual(t.header, ["month", "passengers, thousands"]);
  assert.deepEqual([...targetOf(selectSeries(t))], [112, 118]);
  const s = parseCsv("month;passengers\n1949-01;112\n1949-02;118\n", "semi.csv");
  assert.deepEqual(s.header, ["month", "passengers"]);
});

test("csv: numeric dates (fractional years) are ordered as numbers", () => {
  const t = parseCsv("time_years,DAX\n1991.9,1\n1992.1,2\n1992.05,3\n", "eu.csv");
  assert.throws(() => selectSeries(t, { target: "DAX", date: "time_years" }), /line 4/);
  assert.equal(selectSeries(parseCsv("t,v\n9.5,1\n10.5,2\n", "n.csv"), { target: "v", date: "t" }).n, 2);
});
