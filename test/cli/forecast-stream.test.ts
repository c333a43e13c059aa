// `recurrent forecast` writing as it goes (src/cli/commands/forecast.ts): future dates made one
// step at a time equal run/future-dates.ts's all at once for every frequency; --out and --json
// together give the CSV file and the JSON on stdout with the same forecasts; an --out that is a
// symlink is refused in one line with nothing written. Not here: memory over long horizons
// (test/model/constant-memory.test.ts), the forecasts' values (commands.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stepLabels } from "../../src/cli/commands/forecast.ts";
import { futureLabels } from "../../src/cli/tasks/future-dates.ts";
import { cli, tempDir } from "./helpers.ts";

const dir = tempDir("forecast-stream");
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("future dates one step at a time equal the dates made all at once, for every frequency", () => {
  for (const [last, freq] of [["1960-12", "monthly"], ["1960-10", "quarterly"], ["2016-02-27", "daily"], ["2016-12-26", "weekly"], ["2017-06-30 22:00:00", "hourly"], ["1960-12", "unknown"], ["week 7", "daily"]]) {
    const dates = ["x", last!];
    assert.deepEqual([...stepLabels(dates, 1, 2, freq!, 400)], [last, ...futureLabels(last!, freq!, 399)], `${last} ${freq}`);
  }
  assert.deepEqual([...stepLabels(null, 3, 5, "monthly", 4)], ["3", "4", "5", "6"]);
});

test("forecast --out with --json: the CSV in the file, the same forecasts as JSON on stdout; an --out symlink is refused", async () => {
  const model = join(dir, "air");
  const csv = "test/fixtures/airline_passengers.csv";
  const r = await cli(["train", "--task", "forecast", "--csv", csv, "--out", model, "--hidden", "4", "--epochs", "1", "--threads", "1"]);
  assert.equal(r.code, 0, r.stderr);
  const out = join(dir, "f.csv");
  const f = await cli(["forecast", "--model", model, "--csv", csv, "--start", "1960-01", "--horizon", "30", "--out", out, "--json"]);
  assert.equal(f.code, 0, f.stderr);
  const j = JSON.parse(f.stdout) as { dates: string[]; forecast: number[]; actual: Array<number | null> };
  const rows = readFileSync(out, "utf8").trim().split("\n");
  assert.equal(rows[0], "month,forecast,actual");
  assert.deepEqual(rows.slice(1).map((l) => l.split(",")[0]), j.dates);
  assert.deepEqual(rows.slice(1).map((l) => Number(l.split(",")[1])), j.forecast);
  assert.deepEqual(j.dates.slice(11, 13), ["1960-12", "1961-01"]);
  assert.equal(j.actual[11], 432);
  assert.equal(j.actual[12], null);
  const victim = join(dir, "victim.csv"), link = join(dir, "link.csv");
  writeFileSync(victim, "precious");
  symlinkSync(victim, link);
  const s = await cli(["forecast", "--model", model, "--csv", csv, "--out", link]);
  assert.equal(s.code, 1);
  assert.match(s.stderr, /^error: .*link\.csv: expected a regular file or no file \(it would be replaced\), got a symbolic link; refusing to replace it\n$/);
  assert.ok(lstatSync(link).isSymbolicLink() && readFileSync(victim, "utf8") === "precious");
  assert.ok(!existsSync(join(dir, "link.svg")) && !existsSync(join(dir, "link.png")));
});
