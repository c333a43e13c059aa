// A run stopped by SIGTERM or by its time limit and then resumed ends with the same bytes of
// weights and optimiser state as a run never stopped, with the same seed (character model:
// the carried state, the stream position and the Rng all have to come back exactly).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cliKilled, cliProcess, shakespeare, tempDir } from "./helpers.ts";

const dir = tempDir("resume");
const text = shakespeare(dir, 12000);
const base = ["train", "--task", "charlm", "--text", text, "--hidden", "16", "--seq", "16", "--batch", "8", "--epochs", "3", "--eval-every", "20", "--threads", "1", "--seed", "7"];

test("train stopped by SIGTERM, then by its time limit, then resumed equals an uninterrupted run bit for bit", async () => {
  const a = join(dir, "a"), b = join(dir, "b");
  const full = cliProcess([...base, "--out", a, "--json"]);
  assert.equal(full.code, 0, full.stderr);
  const summary = JSON.parse(full.stdout);
  assert.equal(summary.stopped, "epochs");
  assert.ok(summary.val_loss < Math.log(60), `validation loss ${summary.val_loss} should beat a uniform guess`);

  // Kill once the first mid-epoch evaluation is on disk (step 20 of 3 × 84).
  const metrics = join(b, "metrics.jsonl");
  const killed = await cliKilled([...base, "--out", b], () => existsSync(metrics) && readFileSync(metrics, "utf8").length > 0, "SIGTERM");
  assert.equal(killed.code, 1, killed.stderr);
  assert.match(killed.stderr, /interrupted by SIGTERM: checkpoint saved at step \d+/);
  const { step: step1, seconds } = JSON.parse(readFileSync(join(b, "config.json"), "utf8")).training;
  assert.ok(step1 > 0 && step1 < summary.steps, `killed at step ${step1} of ${summary.steps}`);

  // The time limit counts every session: 30 ms more than the killed session trained (a few
  // dozen updates of this tiny model: far from the end of the run).
  const partial = cliProcess(["train", "--resume", b, "--time-limit", String(seconds + 0.03), "--json"]);
  assert.equal(partial.code, 0, partial.stderr);
  const mid = JSON.parse(partial.stdout);
  assert.equal(mid.stopped, "time-limit");
  assert.ok(mid.steps >= step1 && mid.steps < summary.steps, `stopped at ${mid.steps}`);

  const rest = cliProcess(["train", "--resume", b, "--time-limit", "0", "--json"]);
  assert.equal(rest.code, 0, rest.stderr);
  assert.equal(JSON.parse(rest.stdout).steps, summary.steps);
  for (const f of ["model.safetensors", "optimizer.safetensors"]) {
    assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs from the uninterrupted run`);
  }
  assert.ok(!existsSync(join(b, "carry.safetensors")), "an epoch-end checkpoint has no carried state");
});
