// --lr-schedule: the spec syntax (constant, step, exponential, cosine, warmup, JSON) parses to
// schedule.ts's Schedule or to one error line; fit() applies a schedule at every update exactly
// as a Trainer given lrAt does; the CLI applies it (constant equals no schedule, bit for bit;
// cosine changes the run) and keeps it in config.json.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "./helpers.ts";
import { parseScheduleFlag } from "../../src/cli/options/schedule-flag.ts";
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { Rng } from "../../src/rand.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { fit } from "../../src/train/fit.ts";
import { lrAt } from "../../src/train/schedule.ts";
import { windowData } from "../../src/data/datasets.ts";

test("schedule specs parse to schedules, with the rate from --lr and cosine's length from the run", () => {
  assert.deepEqual(parseScheduleFlag("constant", 0.1, 100), { kind: "constant", lr: 0.1 });
  assert.deepEqual(parseScheduleFlag("step:30", 0.1, 100), { kind: "step", lr: 0.1, stepSize: 30, gamma: 0.5 });
  assert.deepEqual(parseScheduleFlag("exponential:0.99", 0.1, null), { kind: "exponential", lr: 0.1, gamma: 0.99 });
  assert.deepEqual(parseScheduleFlag("cosine", 0.1, 100), { kind: "cosine", lr: 0.1, tMax: 100, lrMin: 0 });
  assert.deepEqual(parseScheduleFlag("warmup:10:cosine", 0.1, 100), { kind: "warmup", steps: 10, then: { kind: "cosine", lr: 0.1, tMax: 90, lrMin: 0 } });
  assert.deepEqual(parseScheduleFlag('{"kind": "cosine", "tMax": 50}', 0.1, null), { kind: "cosine", lr: 0.1, tMax: 50 });
  const bad: Array<[string, RegExp]> = [
    ["cosine", /^--lr-schedule: expected cosine:N \(its length in updates\) when the run has no --epochs, got cosine$/],
    ["step", /^--lr-schedule: expected the step size N after "step:", got nothing$/],
    ["exponential:fast", /^--lr-schedule: expected a number for γ, got "fast"$/],
    ["exponential:2", /^--lr-schedule\.gamma: expected a number in \(0, 1\], got 2$/],
    ["linear", /^--lr-schedule: expected constant, step:N\[:γ\[:S\]\], .* got "linear"$/],
    ["{oops", /^--lr-schedule: expected a schedule name or a JSON object, got invalid JSON/],
  ];
  for (const [spec, re] of bad) assert.throws(() => parseScheduleFlag(spec, 0.1, null), (e: Error) => re.test(e.message), spec);
});

test("fit applies a schedule at every update exactly as a Trainer given lrAt", async () => {
  const data = windowData(Array.from({ length: 120 }, (_, t) => Math.sin(t / 5)), { window: 8, batchSize: 8, validation: 0 });
  const schedule = { kind: "warmup" as const, steps: 3, then: { kind: "step" as const, lr: 0.05, stepSize: 4, gamma: 0.5 } };
  const make = () => { const m = new Sequence({ cell: "elman", input: 1, hidden: 6, output: 1 }); initialize(m, new Rng(4)); return m; };
  const a = make(), b = make();
  await fit(a, data.train, { epochs: 1, optimizer: makeOptimizer("sgd", { lr: 1 }), lrSchedule: schedule });
  const trainer = new Trainer(b, { loss: "mse", manyToOne: true, optimizer: makeOptimizer("sgd", { lr: 1 }), lr: (u) => lrAt(schedule, u) });
  const order = new Rng(1);
  data.train.startEpoch!(order);
  for (let i = 0; i < data.train.batchesPerEpoch; i++) trainer.trainStep(data.train.batch(i));
  assert.deepEqual(Array.from(a.params), Array.from(b.params));
});

test("train --lr-schedule: constant gives the bits of no schedule, cosine changes the run, config.json keeps it", async () => {
  const dir = tempDir("lr-schedule");
  try {
    const base = ["train", "--task", "adding", "--length", "8", "--hidden", "8", "--batch", "8", "--steps-per-epoch", "4", "--epochs", "2", "--threads", "1"];
    const w = (d: string) => readFileSync(join(dir, d, "model.safetensors"));
    for (const [name, extra] of [["none", []], ["constant", ["--lr-schedule", "constant"]], ["cosine", ["--lr-schedule", "cosine"]]] as const) {
      const r = await cli([...base, ...extra, "--out", join(dir, name)]);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.ok(w("none").equals(w("constant")));
    assert.ok(!w("none").equals(w("cosine")));
    assert.equal(JSON.parse(readFileSync(join(dir, "cosine", "config.json"), "utf8")).training.options.lrSchedule, "cosine");
    const bad = await cli([...base, "--lr-schedule", "cosine:0", "--out", join(dir, "bad")]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^error: --lr-schedule\.tMax: expected an integer >= 1, got 0\n$/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
