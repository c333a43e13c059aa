import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFirms, parsePrices } from "../../src/analysis/firms/tables.ts";
import { align, DT } from "../../src/analysis/firms/align.ts";
import { businessDays } from "../../src/analysis/firms/synthetic.ts";
import { RecurrentError } from "../../src/errors.ts";

/** Prices for tickers over n business days; `skip` lists [ticker, day index] pairs left out. */
function table(tickers: string[], n: number, skip: Array<[string, number]> = [], from: Record<string, number> = {}) {
  const days = businessDays(n), rows = ["date,ticker,close"];
  days.forEach((d, t) => tickers.forEach((k, i) => {
    if (skip.some(([s, u]) => s === k && u === t) || t < (from[k] ?? 0)) return;
    rows.push(`${d},${k},${(10 + i + Math.sin(t * (i + 1)) + 0.01 * t).toFixed(4)}`);
  }));
  const firms = ["ticker,sector,market_cap_usd", ...tickers.map((k, i) => `${k},S${i % 2},${1e9 * (i + 1)}`)];
  return { prices: parsePrices(rows.join("\n"), "p.csv"), firms: parseFirms(firms.join("\n"), "f.csv"), days };
}

test("growth rate is (1/Δt)·ln(S_t/S_{t−1}) with Δt = 1/252 on consecutive trading days", () => {
  const { prices, firms } = table(["A", "B"], 30);
  const a = align(prices, firms, {});
  assert.equal(a.dates.length, 29);
  const F = prices.tickers.length;
  const expected = Math.log(prices.close[1 * F + 0] / prices.close[0]) / DT;
  assert.ok(Math.abs(a.growth[0] - expected) < 1e-12);
  assert.equal(DT, 1 / 252);
});

test("a missing day drops that day's and the next day's growth rates for everyone, never a two-day return", () => {
  const { prices, firms, days } = table(["A", "B", "C"], 40, [["B", 10]]);
  const a = align(prices, firms, { minCoverage: 0.9 });
  assert.equal(a.tickers.length, 3);
  assert.equal(a.dates.length, 39 - 2);
  assert.ok(!a.dates.includes(days[10]) && !a.dates.includes(days[11]));
  assert.deepEqual(a.droppedDays.map((d) => d.date), [days[10], days[11]]);
  assert.equal(a.droppedDays[0].example, "B");
});

test("late starters below --min-coverage are dropped with the reason; the window can be chosen", () => {
  const { prices, firms, days } = table(["A", "B", "C"], 60, [], { C: 30 });
  const a = align(prices, firms, {});
  assert.deepEqual(a.tickers, ["A", "B"]);
  assert.match(a.droppedFirms[0].reason, /starts late/);
  const b = align(prices, firms, { start: days[30] });
  assert.deepEqual(b.tickers, ["A", "B", "C"]);
  assert.equal(b.start, days[30]);
  assert.equal(b.dates.length, 29);
});

test("unknown tickers fail by default, naming file, row and ticker; --drop-unknown counts the rows", () => {
  const { prices } = table(["A", "B", "X"], 30);
  const firms = parseFirms("ticker,sector,market_cap_usd\nA,S,1\nB,S,2\nZ,S,3\n", "f.csv");
  assert.throws(() => align(prices, firms, {}), (e: unknown) => e instanceof RecurrentError && /p\.csv row 4: ticker "X" is not in f\.csv/.test(e.message));
  const pricesOk = table(["A", "B"], 30).prices;
  assert.throws(() => align(pricesOk, firms, {}), (e: unknown) => e instanceof RecurrentError && /f\.csv row 4: ticker "Z" has no prices/.test(e.message));
  const a = align(prices, firms, { dropUnknown: true });
  assert.deepEqual(a.tickers, ["A", "B"]);
  assert.equal(a.droppedPriceRows, 30);
  assert.deepEqual(a.droppedFirms.map((d) => d.ticker).sort(), ["X", "Z"]);
});

test("fewer than two firms or too few days are errors that say what was expected and got", () => {
  const { prices, firms, days } = table(["A", "B"], 40, [], { B: 35 });
  assert.throws(() => align(prices, firms, {}), /expected at least 2 firms .*got 1.*B: coverage/);
  assert.throws(() => align(prices, firms, { end: days[10] }), /expected at least 21 trading days .*got 11/);
  assert.throws(() => align(prices, firms, { start: "2010-02-30" }), /--start: expected a date YYYY-MM-DD, got "2010-02-30"/);
  assert.throws(() => align(prices, firms, { start: days[20], end: days[5] }), /start on or before end/);
});

test("a firm whose price never moves is dropped, not divided by zero", () => {
  const days = businessDays(30), rows = ["date,ticker,close"];
  days.forEach((d, t) => { rows.push(`${d},A,${10 + Math.sin(t)}`, `${d},B,${5 + Math.cos(t)}`, `${d},C,7`); });
  const a = align(parsePrices(rows.join("\n"), "p"), parseFirms("ticker,sector,market_cap_usd\nA,S,1\nB,S,1\nC,S,1\n", "f"), {});
  assert.deepEqual(a.tickers, ["A", "B"]);
  assert.match(a.droppedFirms[0].reason, /never changes/);
});
