// A trained classifier on new data: `predict --sequences` names the class of every sequence
// of a long-format CSV (by the labels' own names), beside the true classes with --labels;
// `--label-column` reads classes from a labels file whose column is not called "label", in
// eval and predict, and a classifier trained that way remembers its column.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { classifyProblem } from "../../src/cli/tasks/classify.ts";
import { resolveOptions, type TrainOptions } from "../../src/cli/options/train-options.ts";
import { cli, tempDir } from "./helpers.ts";
import { openTrained } from "../../src/cli/session/saved.ts";
import { readCsvFile } from "../../src/node/csv-file.ts";
import { parseSequenceSteps } from "../../src/data/sequences.ts";
import { sequenceOutputs } from "../../src/train/readout.ts";

const SEQ = "test/fixtures/indoor-sequences-24.csv";
const NAMES: Record<string, string> = { "-1": "still", "1": "moving" };

test("predict --sequences names each sequence's class; --labels and --label-column set the truth beside it", async () => {
  const dir = tempDir("predict-classify");
  try {
    // The fixture's classes -1/1 renamed: labels.csv as training reads it, activity.csv with another column name.
    const rows = readFileSync("test/fixtures/indoor-labels-24.csv", "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    const labels = join(dir, "labels.csv"), activity = join(dir, "activity.csv");
    writeFileSync(labels, ["sequence_id,label", ...rows.map((r) => `${r[0]},${NAMES[r[1]]}`)].join("\n") + "\n");
    writeFileSync(activity, ["sequence_id,activity,room", ...rows.map((r) => `${r[0]},${NAMES[r[1]]},${r[2]}`)].join("\n") + "\n");
    const model = join(dir, "model");
    const t = await cli(["train", "--task", "classify", "--sequences", SEQ, "--labels", labels, "--out", model, "--hidden", "8", "--epochs", "3", "--threads", "1"]);
    assert.equal(t.code, 0, t.stderr);

    const p = await cli(["predict", "--model", model, "--sequences", SEQ]);
    assert.equal(p.code, 0, p.stderr);
    const lines = p.stdout.trim().split("\n");
    assert.equal(lines[0], "sequence_id,predicted,probability");
    assert.equal(lines.length, 25, "one row per sequence");
    assert.deepEqual(lines.slice(1).map((l) => l.split(",")[0]), rows.map((r) => r[0]), "in the file's order");
    for (const l of lines.slice(1)) {
      const [, label, prob] = l.split(",");
      assert.ok(label === "still" || label === "moving", l);
      assert.ok(Number(prob) >= 0.5 && Number(prob) <= 1, l);
    }

    const j = await cli(["predict", "--model", model, "--sequences", SEQ, "--labels", activity, "--label-column", "activity", "--json"]);
    assert.equal(j.code, 0, j.stderr);
    const out = JSON.parse(j.stdout);
    assert.deepEqual(out.classes, ["moving", "still"]);
    for (const q of out.predictions) {
      assert.ok(Math.abs(q.probabilities[0] + q.probabilities[1] - 1) < 1e-6);
      assert.equal(q.label, out.classes[q.probabilities[0] >= q.probabilities[1] ? 0 : 1]);
      assert.equal(q.actual, NAMES[rows.find((r) => r[0] === q.sequence_id)![1]]);
    }
    // The same accuracy as eval over every sequence, read through the other column name.
    const e = await cli(["eval", "--model", model, "--sequences", SEQ, "--labels", activity, "--label-column", "activity", "--split", "all", "--json"]);
    assert.equal(e.code, 0, e.stderr);
    assert.ok(Math.abs(JSON.parse(e.stdout).parts.all.accuracy - out.accuracy) < 1e-12, `${out.accuracy}`);
    assert.deepEqual(out.predictions.map((q: { label: string }) => q.label), lines.slice(1).map((l) => l.split(",")[1]), "CSV and JSON agree");

    const missing = await cli(["eval", "--model", model, "--sequences", SEQ, "--labels", activity]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: --label-column: expected a column of activity\.csv: "sequence_id", "activity", "room", got "label"\n$/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("predict refuses ambiguous or mismatched input in one line", async () => {
  const dir = tempDir("predict-bad");
  try {
    const model = join(dir, "model");
    assert.equal((await cli(["train", "--task", "classify", "--sequences", SEQ, "--labels", "test/fixtures/indoor-labels-24.csv", "--out", model, "--hidden", "4", "--epochs", "1", "--threads", "1"])).code, 0);
    const xor = join(dir, "xor");
    assert.equal((await cli(["train", "--task", "xor", "--length", "8", "--out", xor, "--hidden", "4", "--epochs", "1", "--steps-per-epoch", "2", "--threads", "1"])).code, 0);
    const noFeature = join(dir, "seqs.csv");
    writeFileSync(noFeature, "sequence_id,step,rss_anchor1\n1,0,0.5\n");
    const cases: Array<[string[], RegExp]> = [
      [["--model", model], /^error: predict: expected --input FILE\.json or --sequences FILE\.csv, got neither$/],
      [["--model", model, "--sequences", SEQ, "--input", "x.json"], /^error: predict: expected --input FILE\.json or --sequences FILE\.csv, got both$/],
      [["--model", model, "--sequences", SEQ, "--label-column", "class"], /^error: --label-column: expected --labels FILE to read it from/],
      [["--model", xor, "--sequences", SEQ], /^error: --model .*xor: expected a model trained for classify \(what `predict --sequences` works with\), got a synthetic model$/],
      [["--model", model, "--sequences", noFeature], /^error: --features: expected a column of seqs\.csv: "sequence_id", "step", "rss_anchor1", got "rss_anchor2"$/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(["predict", ...args]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, "");
      assert.match(r.stderr.trim(), re);
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("a classifier trained with a label column keeps it in its task record (what eval and predict default to)", () => {
  const dir = tempDir("label-column");
  try {
    const activity = join(dir, "activity.csv");
    const rows = readFileSync("test/fixtures/indoor-labels-24.csv", "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    writeFileSync(activity, ["sequence_id,activity", ...rows.map((r) => `${r[0]},${NAMES[r[1]]}`)].join("\n") + "\n");
    const o = resolveOptions({ task: "classify", sequences: SEQ, labels: activity }) as TrainOptions & { labelColumn?: string };
    assert.throws(() => classifyProblem(o), /--label-column: expected a column of activity\.csv/);
    const problem = classifyProblem({ ...o, labelColumn: "activity" } as TrainOptions);
    assert.equal((problem.record as { labelColumn?: string }).labelColumn, "activity");
    assert.deepEqual((problem.record as { labels: string[] }).labels, ["moving", "still"]);
    assert.equal("labelColumn" in classifyProblem(resolveOptions({ task: "classify", sequences: SEQ, labels: "test/fixtures/indoor-labels-24.csv" })).record, false, "the default column is not recorded");
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("a bidirectional classifier with dropout: predict --sequences reads the head over both directions' final states, as training and eval do", async () => {
  const dir = tempDir("predict-bidir");
  try {
    const model = join(dir, "model"), labels = "test/fixtures/indoor-labels-24.csv";
    const t = await cli(["train", "--task", "classify", "--sequences", SEQ, "--labels", labels, "--out", model, "--hidden", "6", "--layers", "2",
      "--bidirectional", "--dropout", "0.2", "--epochs", "3", "--threads", "1", "--json"]);
    assert.equal(t.code, 0, t.stderr);
    assert.match(JSON.parse(t.stdout).model, /^LSTM\(4 => 6 ×2, bidirectional, dropout 0\.2\) => 2 softmax/);
    const j = await cli(["predict", "--model", model, "--sequences", SEQ, "--labels", labels, "--json"]);
    assert.equal(j.code, 0, j.stderr);
    const out = JSON.parse(j.stdout);
    // Each probability is the softmax of the head over both directions' final states (the
    // best weights, as predict reads them), not of the last step's output.
    const trained = openTrained(model, ["classify"], "test");
    const seqs = parseSequenceSteps(readCsvFile(SEQ, "--sequences"), { features: (trained.task as unknown as { features: string[] }).features }).sequences;
    const softmax = (v: ArrayLike<number>) => { const m = Math.max(...Array.from(v)), e = Array.from(v, (a) => Math.exp(a - m)), z = e.reduce((a, b) => a + b); return e.map((a) => a / z); };
    let apart = 0;
    for (let i = 0; i < 5; i++) {
      const q = seqs[i]!, x = Float32Array.from(q.values);
      const p = softmax(sequenceOutputs(trained.model, x, q.length, 1));
      p.forEach((v, k) => assert.ok(Math.abs(out.predictions[i].probabilities[k] - v) < 1e-6, `sequence ${q.id}: ${out.predictions[i].probabilities} vs ${p}`));
      const y = trained.model.forward(x, q.length, 1).out;
      apart = Math.max(apart, Math.abs(softmax(y.subarray((q.length - 1) * 2, q.length * 2))[0]! - p[0]!));
    }
    assert.ok(apart > 1e-4, "the last step's output is another readout");
    const e = await cli(["eval", "--model", model, "--sequences", SEQ, "--labels", labels, "--split", "all", "--json"]);
    assert.equal(e.code, 0, e.stderr);
    assert.ok(Math.abs(JSON.parse(e.stdout).parts.all.accuracy - out.accuracy) < 1e-12);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
