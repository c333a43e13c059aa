import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describeClassify, describeForecast, describeText } from "../../src/data/describe.ts";
import { prepareText } from "../../src/data/prepare-text.ts";
import { readCsvFile } from "../../src/node/csv-file.ts";
import { prepareForecast } from "../../src/data/prepare-forecast.ts";
import { readClassifyFiles } from "../../src/node/sequences-file.ts";

test("summaries state sizes, splits and the defaults picked, on one line", () => {
  const t = prepareText(readFileSync("data/tinyshakespeare-100k.txt", "utf8"), { level: "char" });
  const s1 = describeText(t, "tiny.txt");
  assert.match(s1, new RegExp(`char vocabulary of ${t.vocab.size}; train ${t.train.length.toLocaleString("en-US")} characters`));
  const f = prepareForecast(readCsvFile("test/fixtures/airline_passengers.csv"));
  const s2 = describeForecast(f);
  assert.match(s2, new RegExp(`144 monthly steps of passengers_thousands; window ${f.config.window}, horizon ${f.config.horizon}, season 12`));
  assert.match(s2, new RegExp(`${f.train.starts.length}/${f.val.starts.length}/${f.test!.starts.length} windows`));
  const c = readClassifyFiles("test/fixtures/indoor-sequences-24.csv", "test/fixtures/indoor-labels-24.csv", { val: 0.25 });
  const s3 = describeClassify(c);
  assert.match(s3, /^24 sequences of 4 features/);
  assert.match(s3, /validation 6 \(-1: 3, 1: 3\)/);
  for (const s of [s1, s2, s3]) assert.ok(!s.includes("\n"));
});
