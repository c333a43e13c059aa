// `forecast --start` on an hourly series: a day ("2017-06-05") names the first hour of that
// day ("2017-06-05 00:00:00"), as a month names its first day, but never a longer number
// ("2017-06-1" is not "2017-06-10"); an unknown date is one line naming the file's range.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startRow } from "../../src/cli/commands/forecast.ts";
import { cli, tempDir } from "./helpers.ts";

test("startRow: the exact date first, then the first date it begins at a boundary", () => {
  const hours = ["2017-06-09 22:00:00", "2017-06-09 23:00:00", "2017-06-10 00:00:00", "2017-06-10 01:00:00"];
  assert.equal(startRow(hours, "2017-06-10 01:00:00"), 3);
  assert.equal(startRow(hours, "2017-06-10"), 2);
  assert.equal(startRow(hours, "2017-06-09 23"), 1);
  assert.equal(startRow(hours, "2017-06-1"), -1, "a prefix ending inside a number matches nothing");
  assert.equal(startRow(hours, "2017"), -1, "digits alone are a row number unless a date is exactly that");
  assert.equal(startRow(["1958-12", "1959-01"], "1959"), -1);
  assert.equal(startRow(["1958", "1959"], "1959"), 1);
  assert.equal(startRow(["1958-12-31", "1959-01-01"], "1959-01"), 1);
});

test("forecast --start 2017-06-05 on hourly data starts at 2017-06-05 00:00:00 with the actual values beside", async () => {
  const dir = tempDir("start");
  try {
    const csv = join(dir, "hourly.csv"), rows = ["date,load"];
    for (let i = 0; i < 24 * 12; i++) {
      const d = new Date(Date.UTC(2017, 5, 1, i)).toISOString();
      rows.push(`${d.slice(0, 10)} ${d.slice(11, 19)},${(10 + 5 * Math.sin((2 * Math.PI * i) / 24) + (i % 7) / 10).toFixed(3)}`);
    }
    writeFileSync(csv, rows.join("\n") + "\n");
    const model = join(dir, "model");
    const r = await cli(["train", "--task", "forecast", "--csv", csv, "--out", model, "--hidden", "4", "--epochs", "1", "--threads", "1"]);
    assert.equal(r.code, 0, r.stderr);
    const out = join(dir, "f.csv");
    const f = await cli(["forecast", "--model", model, "--csv", csv, "--start", "2017-06-05", "--horizon", "3", "--out", out]);
    assert.equal(f.code, 0, f.stderr);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    assert.equal(lines[0], "date,forecast,actual");
    const row = rows.findIndex((l) => l.startsWith("2017-06-05 00:00:00"));
    const [date, , actual] = lines[1].split(",");
    assert.equal(date, "2017-06-05 00:00:00");
    assert.equal(Number(actual), Number(rows[row].split(",")[1]));
    assert.match(lines[3], /^2017-06-05 02:00:00,/);
    const bad = await cli(["forecast", "--model", model, "--csv", csv, "--start", "2017-07-01"]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^error: --start: expected a row number in \[\d+, 288\] or a date of hourly\.csv \(2017-06-01 00:00:00 \.\. 2017-06-12 23:00:00\), got "2017-07-01"\n$/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
