import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFirms, parsePrices, isIsoDate } from "../../src/analysis/firms/tables.ts";
import { RecurrentError } from "../../src/errors.ts";

const PRICES = "date,ticker,close\n2020-01-02,AAA,10\n2020-01-02,BBB,20\n2020-01-03,AAA,11\n2020-01-03,BBB,19.5\n";

/** Asserts a one-line RecurrentError whose message contains every fragment. */
function throwsLine(fn: () => unknown, ...fragments: string[]) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof RecurrentError, `expected a RecurrentError, got ${e}`);
    assert.ok(!e.message.includes("\n"), `one line: ${e.message}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `"${e.message}" should contain "${f}"`);
    return true;
  });
}

test("prices pivot to a (dates, tickers) matrix with NaN for missing days, dates sorted", () => {
  const p = parsePrices("date,ticker,close\n2020-01-03,AAA,11\n2020-01-02,AAA,10\n2020-01-02,BBB,20\n", "p.csv");
  assert.deepEqual(p.dates, ["2020-01-02", "2020-01-03"]);
  assert.deepEqual(p.tickers, ["AAA", "BBB"]);
  assert.equal(p.close[0], 10); assert.equal(p.close[1], 20); assert.equal(p.close[2], 11);
  assert.ok(Number.isNaN(p.close[3]));
  assert.equal(p.rows, 3);
});

test("columns are found by name in any order, CRLF and blank lines are fine", () => {
  const p = parsePrices("close,date,ticker\r\n10,2020-01-02,AAA\r\n\r\n11,2020-01-03,AAA\r\n", "p.csv");
  assert.deepEqual(Array.from(p.close), [10, 11]);
});

test("a duplicate (date, ticker) row names the file, both rows and the value", () => {
  throwsLine(() => parsePrices(PRICES + "2020-01-02,BBB,21\n", "prices.csv"), "prices.csv row 6", "2020-01-02,BBB", "row 3");
});

test("non-positive and non-numeric prices name file, row, column and value", () => {
  throwsLine(() => parsePrices(PRICES.replace("19.5", "0"), "p.csv"), "p.csv row 5", "close", '"0"');
  throwsLine(() => parsePrices(PRICES.replace("19.5", "-3"), "p.csv"), "row 5", '"-3"');
  throwsLine(() => parsePrices(PRICES.replace("19.5", "abc"), "p.csv"), "row 5", '"abc"');
  throwsLine(() => parsePrices(PRICES.replace("19.5", ""), "p.csv"), "row 5", "positive number");
});

test("unparsable dates name file, row and value", () => {
  throwsLine(() => parsePrices(PRICES.replace("2020-01-03,AAA", "2020-02-30,AAA"), "p.csv"), "p.csv row 4", "date", '"2020-02-30"');
  throwsLine(() => parsePrices(PRICES.replace("2020-01-03,AAA", "03/01/2020,AAA"), "p.csv"), "row 4", '"03/01/2020"');
  assert.ok(isIsoDate("2020-02-29") && !isIsoDate("2019-02-29") && !isIsoDate("2019-13-01"));
});

test("a missing column and an empty file are clear errors", () => {
  throwsLine(() => parsePrices("date,ticker,price\n2020-01-02,A,1\n", "p.csv"), "p.csv row 1", '"close"');
  throwsLine(() => parsePrices("", "p.csv"), "p.csv", "empty");
  throwsLine(() => parsePrices("date,ticker,close\n", "p.csv"), "p.csv", "none");
});

test("firms table: quoted names, duplicate tickers and bad market caps", () => {
  const f = parseFirms('ticker,name,sector,market_cap_usd\nAAA,"Alpha, Inc.",Energy,1e9\nBBB,Beta,Utilities,2500000000\n', "f.csv");
  assert.deepEqual(f.tickers, ["AAA", "BBB"]);
  assert.equal(f.names[0], "Alpha, Inc.");
  assert.deepEqual(Array.from(f.marketCap), [1e9, 2.5e9]);
  throwsLine(() => parseFirms("ticker,sector,market_cap_usd\nAAA,Energy,1\nAAA,Energy,2\n", "f.csv"), "f.csv row 3", '"AAA"', "row 2");
  throwsLine(() => parseFirms("ticker,sector,market_cap_usd\nAAA,Energy,n/a\n", "f.csv"), "f.csv row 2", "market_cap_usd", '"n/a"');
  throwsLine(() => parseFirms("ticker,sector,market_cap_usd\nAAA,,5\n", "f.csv"), "f.csv row 2", "sector");
});
