// Resume is exact at every instant, for every kind of task: a run stopped at an epoch's first
// batch (after that epoch's order was drawn: the instant issue 11 found wrong) or in the middle
// of an epoch, then resumed, ends with the same bytes of weights and optimiser state as a run
// never stopped. The stop comes from the RECURRENT_INTERRUPT_AT_STEP hook, which behaves as a
// SIGTERM arriving before the batch after that update; real signals are tested in resume.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cli, shakespeare, tempDir } from "./helpers.ts";

const dir = tempDir("resume-kinds");
test.after(() => rmSync(dir, { recursive: true, force: true }));

const small = ["--hidden", "8", "--threads", "1", "--seed", "5"];
const kinds: Record<string, string[]> = {
  text: ["--task", "charlm", "--text", shakespeare(dir, 5000), "--seq", "16", "--batch", "8", "--epochs", "3", ...small],
  forecast: ["--task", "forecast", "--csv", "test/fixtures/airline_passengers.csv", "--batch", "16", "--epochs", "4", ...small],
  classify: ["--task", "classify", "--sequences", "test/fixtures/indoor-sequences-24.csv", "--labels", "test/fixtures/indoor-labels-24.csv",
    "--batch", "4", "--epochs", "4", ...small],
  synthetic: ["--task", "adding", "--length", "10", "--batch", "8", "--steps-per-epoch", "3", "--epochs", "4", ...small],
  // Dropout draws its masks from the run's Rng batch after batch: the resume continues that stream.
  "text, Zaremba-style dropout": ["--task", "charlm", "--text", shakespeare(dir, 5000), "--seq", "16", "--batch", "8", "--epochs", "3",
    "--layers", "2", "--embedding", "8", "--dropout", "0.3", ...small],
  "classify, bidirectional with dropout": ["--task", "classify", "--sequences", "test/fixtures/indoor-sequences-24.csv", "--labels", "test/fixtures/indoor-labels-24.csv",
    "--batch", "4", "--epochs", "4", "--layers", "2", "--dropout", "0.3", "--bidirectional", ...small],
};

async function train(args: string[], interruptAt?: number) {
  if (interruptAt === undefined) delete process.env.RECURRENT_INTERRUPT_AT_STEP;
  else process.env.RECURRENT_INTERRUPT_AT_STEP = String(interruptAt);
  try { return await cli(["train", ...args]); }
  finally { delete process.env.RECURRENT_INTERRUPT_AT_STEP; }
}

const training = (d: string) => JSON.parse(readFileSync(join(d, "config.json"), "utf8")).training;

function assertSameBytes(a: string, b: string, what: string) {
  for (const f of ["model.safetensors", "optimizer.safetensors", "best.safetensors"]) {
    assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${what}: ${f} differs from the uninterrupted run`);
  }
}

for (const [kind, args] of Object.entries(kinds)) {
  test(`${kind}: stopped at an epoch's first batch or mid-epoch, then resumed, equals the uninterrupted run bit for bit`, async () => {
    const full = join(dir, `${kind}-full`);
    const r = await train([...args, "--out", full, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const { steps, epochs } = JSON.parse(r.stdout);
    const n = steps / epochs;                         // batches per epoch
    assert.ok(Number.isInteger(n) && n >= 2, `${steps} steps in ${epochs} epochs`);

    // At the boundary: after epoch 1's checkpoint, epoch 2's order drawn, no batch of it trained.
    const atBoundary = join(dir, `${kind}-boundary`);
    const stopped = await train([...args, "--out", atBoundary], n);
    assert.equal(stopped.code, 1, stopped.stderr);
    assert.match(stopped.stderr, /interrupted by RECURRENT_INTERRUPT_AT_STEP: checkpoint saved at step \d+/);
    const t = training(atBoundary);
    assert.deepEqual([t.step, t.epoch, t.batch], [n, 1, 0], "stopped at the first batch of the second epoch");
    assert.ok(Array.isArray(t.rngEpoch), "the second epoch's order had been drawn when the run stopped");
    // Resume, stop again mid-epoch in the resumed session, resume to the end.
    const again = await train(["--resume", atBoundary], 2 * n + 1);
    assert.equal(again.code, 1, again.stderr);
    assert.equal(training(atBoundary).step, 2 * n + 1);
    const done = await train(["--resume", atBoundary, "--json"]);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(JSON.parse(done.stdout).steps, steps);
    assertSameBytes(full, atBoundary, "stopped at steps n and 2n+1");

    // Mid-epoch, from a fresh run.
    const mid = join(dir, `${kind}-mid`);
    assert.equal((await train([...args, "--out", mid], n + 1)).code, 1);
    assert.deepEqual([training(mid).epoch, training(mid).batch], [1, 1]);
    const rest = await train(["--resume", mid]);
    assert.equal(rest.code, 0, rest.stderr);
    assertSameBytes(full, mid, "stopped at step n+1");
  });
}
