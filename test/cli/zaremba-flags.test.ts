// The flags that make `train --task wordlm` Zaremba et al.'s setup: --init uniform:a (every
// parameter U(−a, a)), --loss-reduction sum-over-time and the epoch-counted step schedule.
// Each is applied (the weights and the run differ from the defaults'), kept in config.json,
// and a wrong value is one line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "./helpers.ts";
import { Network } from "../../src/model/network.ts";
import { initialize } from "../../src/model/initialize.ts";
import { Rng } from "../../src/rand.ts";

test("initialize uniform:a draws every parameter, embedding and head included, from U(−a, a)", () => {
  const m = new Network({ cell: "lstm", input: 30, embedding: 8, hidden: 6, layers: 2, output: 30, outputActivation: "softmax" });
  initialize(m, new Rng(2), "uniform:0.1");
  for (const t of m.tensors) {
    const v = m.get(t.name);
    assert.ok(v.every((x) => Math.abs(x) <= 0.1), t.name);
    assert.ok(Math.max(...v) > 0.05 && Math.min(...v) < -0.05, `${t.name} spans the interval`);
  }
  assert.throws(() => initialize(m, new Rng(2), "uniform:0" as never), /init: expected uniform:a with a bound a > 0/);
  assert.throws(() => initialize(m, new Rng(2), "he" as never), /init: expected one of pytorch\|glorot\|uniform:a, got "he"/);
});

test("train: --init uniform:0.1 --loss-reduction sum-over-time --lr-schedule step:1e:0.5:1e run, and config.json keeps them", async () => {
  const dir = tempDir("zaremba-flags");
  try {
    const text = join(dir, "t.txt");
    writeFileSync(text, "the cat sat on the mat and the dog sat on the log\n".repeat(40));
    const base = ["train", "--task", "wordlm", "--text", text, "--hidden", "8", "--embedding", "8", "--layers", "2", "--seq", "5", "--batch", "4",
      "--optimizer", "sgd", "--lr", "1", "--clip", "5", "--epochs", "2", "--threads", "1", "--min-evaluations", "0"];
    const run = async (name: string, extra: string[]) => {
      const r = await cli([...base, ...extra, "--out", join(dir, name)]);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(readFileSync(join(dir, name, "config.json"), "utf8"));
    };
    const zaremba = await run("z", ["--init", "uniform:0.1", "--loss-reduction", "sum-over-time", "--lr-schedule", "step:1e:0.5:1e"]);
    assert.equal(zaremba.training.options.init, "uniform:0.1");
    assert.equal(zaremba.training.options.lossReduction, "sum-over-time");
    assert.equal(zaremba.training.options.lrSchedule, "step:1e:0.5:1e");
    const mean = await run("m", ["--init", "uniform:0.1", "--lr-schedule", "step:1e:0.5:1e"]);
    assert.equal(mean.training.options.lossReduction, "mean");
    // Same init and data: the summed loss's larger steps end elsewhere.
    const w = (name: string) => readFileSync(join(dir, name, "model.safetensors"));
    assert.notDeepEqual(w("z"), w("m"));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("train: a wrong --loss-reduction or --init is one line, and sum-over-time is for language models", async () => {
  const bad = async (args: string[], re: RegExp) => {
    const r = await cli(["train", ...args, "--out", "/nonexistent/never"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr.trim(), re);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  };
  await bad(["--task", "xor", "--loss-reduction", "total"], /--loss-reduction: expected one of mean\|sum-over-time, got "total"/);
  await bad(["--task", "xor", "--loss-reduction", "sum-over-time"], /--loss-reduction: expected sum-over-time only with --task charlm\|wordlm, got "--task xor"/);
  await bad(["--task", "xor", "--init", "uniform:-1"], /--init: expected uniform:a with a bound a > 0/);
});
