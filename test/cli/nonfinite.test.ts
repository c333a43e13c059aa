// A run that diverges (Adam at --lr 1e6: validation loss 1e13 after three updates) stops with
// one line before its diverged weights can be kept as the best or checkpointed; the last good
// checkpoint stays. With --on-nonfinite rollback the run reloads that checkpoint with the
// learning rate halved, at most three times, and goes on (SGD at 40 and 20 diverges here, at 10
// it trains).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "./helpers.ts";
import { loadModel } from "../../src/node/model-dir.ts";

const dir = tempDir("nonfinite");
test.after(() => rmSync(dir, { recursive: true, force: true }));
const base = ["train", "--task", "forecast", "--csv", "test/fixtures/airline_passengers.csv", "--hidden", "8", "--epochs", "30", "--threads", "1"];

test("a diverging run stops with one line; its last good checkpoint stays and nothing diverged is kept as the best", async () => {
  const out = join(dir, "adam");
  const r = await cli([...base, "--lr", "1e6", "--out", out]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /\nerror: validation: loss [\d.e+]+ at step 3 is more than 100 × [\d.]+ \(the first update's loss, at least 1\): the run diverged; stopped \(lower --lr or set --clip\)\n$/);
  const saved = loadModel(out);
  assert.equal((saved.training as { step: number }).step, 0, "the checkpoint is the one taken before training");
  assert.equal((saved.training as { best: unknown }).best, null, "no diverged evaluation became the best");
});

test("--on-nonfinite rollback reloads the last checkpoint with the learning rate halved until the run trains", async () => {
  const out = join(dir, "sgd");
  const r = await cli([...base, "--optimizer", "sgd", "--lr", "40", "--clip", "0", "--on-nonfinite", "rollback", "--out", out, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split("\n").filter((l) => l.includes("rolling back"));
  assert.deepEqual(lines.map((l) => l.replace(/^.*rolling back/, "rolling back")), [
    "rolling back to the last checkpoint with --lr 20 (rollback 1 of 3)",
    "rolling back to the last checkpoint with --lr 10 (rollback 2 of 3)",
  ]);
  assert.equal(JSON.parse(r.stdout).stopped, "epochs");
  const training = JSON.parse(readFileSync(join(out, "config.json"), "utf8")).training;
  assert.equal(training.options.lr, 10);
  // The first rollback diverged before its first checkpoint: the checkpoint kept records the
  // change from the options it was taken with.
  assert.deepEqual(training.resumes.map((x: { changes: string[] }) => x.changes), [["--lr 40 → 10"]]);

  const giveUp = await cli([...base, "--lr", "1e6", "--on-nonfinite", "rollback", "--out", join(dir, "hopeless")]);
  assert.equal(giveUp.code, 1);
  assert.equal(giveUp.stderr.split("\n").filter((l) => l.includes("rolling back")).length, 3, "at most three rollbacks");
  assert.match(giveUp.stderr, /\nerror: validation: loss .* the run diverged; stopped \(lower --lr or set --clip\)\n$/);
});
