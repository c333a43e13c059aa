import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeTaskData, encodeTaskData } from "../../src/data/task-data.ts";
import { buildCharVocab } from "../../src/data/char-tokenizer.ts";
import { readCsvFile } from "../../src/node/csv-file.ts";
import { prepareForecast } from "../../src/data/prepare-forecast.ts";
import { LabelMap } from "../../src/data/label-map.ts";

const roundTrip = (x: Record<string, unknown>) => JSON.parse(JSON.stringify(x));

test("task data round-trips through config.json for each task", () => {
  const vocab = buildCharVocab("hello");
  const lm = decodeTaskData(roundTrip(encodeTaskData({ task: "charlm", vocab })));
  assert.equal(lm.task, "charlm");
  assert.deepEqual(lm.task === "charlm" && [...lm.vocab.tokens], [...vocab.tokens]);
  const d = prepareForecast(readCsvFile("test/fixtures/airline_passengers.csv"));
  const fc = decodeTaskData(roundTrip(encodeTaskData({ task: "forecast", forecast: d.config, scaler: d.scaler })));
  assert.ok(fc.task === "forecast" && fc.forecast.window === d.config.window && fc.scaler.mean[0] === d.scaler.mean[0]);
  const cl = decodeTaskData(roundTrip(encodeTaskData({ task: "classify", labels: LabelMap.fromLabels(["1", "-1"]), features: ["a"] })), ["classify"]);
  assert.ok(cl.task === "classify" && cl.labels.index("1") === 1);
});

test("a model directory of the wrong task is one line naming both tasks", () => {
  const saved = roundTrip(encodeTaskData({ task: "charlm", vocab: buildCharVocab("ab") }));
  assert.throws(() => decodeTaskData(saved, ["forecast"]), /model directory: expected a forecast model, got a charlm model \(trained with --task charlm\)/);
  assert.throws(() => decodeTaskData({ name: "dance" }), /one of charlm\|wordlm\|forecast\|classify/);
  assert.throws(() => decodeTaskData({ ...saved, name: "wordlm" }), /a word vocabulary/);
});
