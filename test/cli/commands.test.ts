// train → eval → generate / forecast end to end on small slices, in-process through main():
// the files a model directory must hold, the --json contract, and figures that must beat
// a trivial answer (so a broken pipeline fails rather than passing on shape alone).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cli, shakespeare, tempDir } from "./helpers.ts";

const dir = tempDir("commands");
const fx = (f: string) => join("test/fixtures", f);

test("charlm: train writes a complete model directory, eval reports nats/bits/perplexity, generate samples from the vocabulary", async () => {
  const text = shakespeare(dir, 8000), out = join(dir, "char");
  const r = await cli(["train", "--task", "charlm", "--text", text, "--out", out, "--hidden", "16", "--seq", "16", "--batch", "8", "--epochs", "2", "--min-evaluations", "0", "--threads", "1", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  for (const k of ["train_loss", "val_loss", "epochs", "tokens_per_s", "seconds"]) assert.equal(typeof s[k], "number", k);
  assert.equal(s.epochs, 2);
  for (const f of ["config.json", "model.safetensors", "optimizer.safetensors", "best.safetensors", "metrics.jsonl", "loss.svg", "loss.png"]) assert.ok(existsSync(join(out, f)), f);
  assert.equal(readdirSync(out).filter((f) => f.endsWith(".tmp")).length, 0, "no temp files left");
  const records = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(records.length, 2, "one record per epoch");
  assert.ok(records[1].val_loss < records[0].val_loss + 0.05);

  const e = await cli(["eval", "--model", out, "--text", text, "--json"]);
  assert.equal(e.code, 0, e.stderr);
  const val = JSON.parse(e.stdout).parts.val;
  assert.ok(Math.abs(val.nats - s.val_loss) < 1e-9, `eval ${val.nats} equals the best validation loss ${s.val_loss}`);
  assert.ok(Math.abs(val.bits - val.nats / Math.LN2) < 1e-9 && Math.abs(val.perplexity - Math.exp(val.nats)) < 1e-6);

  const g = await cli(["generate", "--model", out, "--prompt", "First", "--length", "60", "--seed", "3", "--temperature", "0.7", "--top-k", "5", "--json"]);
  assert.equal(g.code, 0, g.stderr);
  const sample = JSON.parse(g.stdout).text as string;
  assert.equal(Array.from(sample).length, 60);
  const vocab = new Set(readFileSync(text, "utf8"));
  assert.ok(Array.from(sample).every((c) => vocab.has(c)));
  const again = await cli(["generate", "--model", out, "--prompt", "First", "--length", "60", "--seed", "3", "--temperature", "0.7", "--top-k", "5", "--json"]);
  assert.equal(JSON.parse(again.stdout).text, sample, "same seed, same sample");
});

test("forecast: train on airline passengers, eval beside naive baselines, forecast CSV and plot with actuals", async () => {
  const out = join(dir, "air");
  const r = await cli(["train", "--task", "forecast", "--csv", fx("airline_passengers.csv"), "--out", out, "--hidden", "16", "--epochs", "25", "--threads", "1", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const cfg = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
  assert.equal(cfg.task.kind, "forecast");
  assert.equal(cfg.task.config.horizon, 12, "monthly data: one season ahead");
  assert.ok(cfg.task.scaler.mean[0] < 250, "scaler fitted on the training part only (the series trends up)");

  const e = await cli(["eval", "--model", out, "--csv", fx("airline_passengers.csv"), "--json"]);
  assert.equal(e.code, 0, e.stderr);
  const p = JSON.parse(e.stdout).parts;
  assert.deepEqual(Object.keys(p), ["val", "test"]);
  for (const part of [p.val, p.test]) {
    assert.ok(part.model.mae > 0 && part.naive.mae > 0 && part.seasonal_naive.mae > 0);
    assert.ok(part.model.mae < part.naive.mae * 1.5, `model MAE ${part.model.mae} vs naive ${part.naive.mae}`);
  }

  const csv = join(dir, "air-forecast.csv");
  const f = await cli(["forecast", "--model", out, "--csv", fx("airline_passengers.csv"), "--start", "1959-01", "--horizon", "18", "--out", csv]);
  assert.equal(f.code, 0, f.stderr);
  const lines = readFileSync(csv, "utf8").trim().split("\n");
  assert.equal(lines[0], "month,forecast,actual");
  assert.equal(lines.length, 19);
  assert.match(lines[1], /^1959-01,[\d.]+,360$/);
  assert.match(lines[18], /^1960-06,[\d.]+,535$/);
  assert.ok(existsSync(join(dir, "air-forecast.svg")) && existsSync(join(dir, "air-forecast.png")));
  const future = await cli(["forecast", "--model", out, "--csv", fx("airline_passengers.csv"), "--json"]);
  const j = JSON.parse(future.stdout);
  assert.deepEqual(j.dates.slice(0, 2), ["1961-01", "1961-02"]);
  assert.ok(j.actual.every((a: unknown) => a === null));
});

test("classify: train on indoor-movement sequences, eval gives accuracy and a confusion matrix over the validation part", async () => {
  const out = join(dir, "indoor");
  const r = await cli(["train", "--task", "classify", "--sequences", fx("indoor-sequences-24.csv"), "--labels", fx("indoor-labels-24.csv"), "--out", out, "--hidden", "8", "--epochs", "3", "--threads", "1", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const e = await cli(["eval", "--model", out, "--sequences", fx("indoor-sequences-24.csv"), "--labels", fx("indoor-labels-24.csv"), "--json"]);
  assert.equal(e.code, 0, e.stderr);
  const v = JSON.parse(e.stdout).parts.val;
  assert.equal(v.count, 4, "round(20 % of 12) from each class");
  assert.equal(v.confusion.flat().reduce((a: number, b: number) => a + b, 0), 4);
  assert.equal(v.accuracy, (v.confusion[0][0] + v.confusion[1][1]) / 4);
  assert.ok(Math.abs(v.loss - JSON.parse(r.stdout).val_loss) < 1e-9);
});

test("a synthetic task trains through the same command and is scored by its own criterion", async () => {
  const out = join(dir, "xor");
  const r = await cli(["train", "--task", "xor", "--length", "12", "--out", out, "--hidden", "8", "--epochs", "2", "--steps-per-epoch", "5", "--threads", "1", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.steps, 10);
  assert.ok(s.metrics.accuracy >= 0 && s.metrics.accuracy <= 1);
  const e = await cli(["eval", "--model", out, "--json"]);
  assert.equal(e.code, 0, e.stderr);
  assert.equal(JSON.parse(e.stdout).parts.fresh.sequences, 1000);
});

test("--config supplies options and flags override it", async () => {
  const { writeFileSync } = await import("node:fs");
  const cfg = join(dir, "cfg.json"), out = join(dir, "cfgrun");
  writeFileSync(cfg, JSON.stringify({ task: "adding", hidden: 6, "steps-per-epoch": 3, epochs: 1, threads: 1, seq: 10 }));
  const r = await cli(["train", "--config", cfg, "--hidden", "5", "--out", out, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const saved = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
  assert.equal(saved.model.hidden, 5);
  assert.equal(saved.training.options.stepsPerEpoch, 3);
  assert.equal(saved.task.length, 10);
});

test("eval scores a teacher-forced Jordan model (as the playground trains them) running on its own outputs", async () => {
  const { saveModel } = await import("../../src/node/model-dir.ts");
  const { Sequence } = await import("../../src/train/sequence.ts");
  const { initialize } = await import("../../src/model/initialize.ts");
  const { Rng } = await import("../../src/rand.ts");
  const dir = tempDir("jordan-teacher");
  try {
    const m = new Sequence({ cell: "jordan", input: 2, hidden: 6, state: 1, output: 1, feedback: "teacher" });
    initialize(m, new Rng(3));
    saveModel(dir, m, { task: { kind: "synthetic", name: "adding", length: 10 } });
    const r = await cli(["eval", "--model", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const fresh = JSON.parse(r.stdout).parts.fresh;
    assert.equal(fresh.sequences, 1000);
    assert.ok(Number.isFinite(fresh.loss), r.stdout);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
