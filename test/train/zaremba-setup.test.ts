// The two training details of Zaremba et al.'s language models that the toolkit's defaults do
// not have: the loss summed over the unrolled steps (each step's batch mean), and a learning
// rate held for some epochs and then decayed every epoch (step schedule with a start).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Network } from "../../src/model/network.ts";
import { initialize } from "../../src/model/initialize.ts";
import { Rng } from "../../src/rand.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { lrAt, type Schedule } from "../../src/train/schedule.ts";
import { parseScheduleFlag } from "../../src/cli/options/schedule-flag.ts";
import { RecurrentError } from "../../src/errors.ts";

function lm(seed: number): Network {
  const m = new Network({ cell: "lstm", input: 7, hidden: 5, output: 7, outputActivation: "softmax" }, "float64");
  initialize(m, new Rng(seed));
  return m;
}

function batch(T: number, B: number, rng: Rng) {
  const x = new Float64Array(T * B * 7), targets = new Int32Array(T * B);
  for (let n = 0; n < T * B; n++) { x[n * 7 + Math.floor(rng.uniform() * 7)] = 1; targets[n] = Math.floor(rng.uniform() * 7); }
  return { x, T, B, targets };
}

test("sum-over-time: the gradient is T times the mean's, the reported loss is still the mean", () => {
  const T = 6, B = 3, b = batch(T, B, new Rng(4));
  const grads = (reduction: "mean" | "sum-over-time") => {
    const m = lm(1);
    const t = new Trainer(m, { loss: "ce", optimizer: makeOptimizer("sgd", { lr: 0 }), lossReduction: reduction });
    m.zeroGrads();
    const { loss } = t.lossAndBackward(b, null, true);
    return { loss, g: Float64Array.from(m.grads) };
  };
  const mean = grads("mean"), sum = grads("sum-over-time");
  assert.equal(sum.loss, mean.loss);
  let worst = 0;
  for (let k = 0; k < mean.g.length; k++) worst = Math.max(worst, Math.abs(sum.g[k] - T * mean.g[k]) / Math.max(1e-12, Math.abs(T * mean.g[k])));
  assert.ok(worst < 1e-12, `relative difference ${worst}`);
  assert.ok(mean.g.some((v) => v !== 0));
});

test("sum-over-time with TBPTT sums over each window's counted steps only", () => {
  // k1 = 2, k2 = 4 over T = 6: windows count 2 steps each, so each update is 2 × its mean.
  const T = 6, B = 2, b = batch(T, B, new Rng(8));
  const run = (reduction: "mean" | "sum-over-time") => {
    const m = lm(3);
    const t = new Trainer(m, { loss: "ce", optimizer: makeOptimizer("sgd", { lr: 0 }), tbptt: { k1: 2, k2: 4 }, lossReduction: reduction });
    t.trainStep(b);   // lr 0: nothing moves; the last window's gradient stays in m.grads
    return Float64Array.from(m.grads);
  };
  const mean = run("mean"), sum = run("sum-over-time");
  for (let k = 0; k < mean.length; k++) assert.ok(Math.abs(sum[k] - 2 * mean[k]) <= 1e-12 * Math.max(1, Math.abs(mean[k])), `grad ${k}`);
});

test("sum-over-time is refused for many-to-one losses and for padded batches", () => {
  assert.throws(() => new Trainer(lm(1), { loss: "ce", manyToOne: true, optimizer: makeOptimizer("sgd", { lr: 0 }), lossReduction: "sum-over-time" }), /many-to-many/);
  assert.throws(() => new Trainer(lm(1), { loss: "ce", optimizer: makeOptimizer("sgd", { lr: 0 }), lossReduction: "bogus" as never }), RecurrentError);
  const t = new Trainer(lm(1), { loss: "ce", optimizer: makeOptimizer("sgd", { lr: 0 }), lossReduction: "sum-over-time" });
  const b = { ...batch(3, 2, new Rng(1)), mask: new Uint8Array([1, 1, 1, 1, 1, 0]) };
  assert.throws(() => t.trainStep(b), /unpadded/);
});

test("a step schedule with a start holds η₀, then decays every stepSize updates (with S = 4 epochs)", () => {
  const N = 10;   // updates per epoch
  const s: Schedule = { kind: "step", lr: 1, stepSize: N, gamma: 0.5, start: 4 * N };
  const perEpoch = Array.from({ length: 13 }, (_, e) => lrAt(s, e * N + 3));
  assert.deepEqual(perEpoch, [1, 1, 1, 1, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125, 0.00390625, 0.001953125]);
  assert.equal(lrAt(s, 4 * N - 1), 1);
  assert.equal(lrAt(s, 4 * N), 0.5);
  // Without a start, torch's StepLR: the first decay at stepSize.
  const torch: Schedule = { kind: "step", lr: 0.1, stepSize: 3, gamma: 0.5 };
  for (let t = 0; t < 20; t++) assert.equal(lrAt(torch, t), lrAt({ ...torch, start: 3 }, t));
});

test("--lr-schedule step:1e:0.5:4e counts epochs in batches per epoch, and says when it cannot", () => {
  assert.deepEqual(parseScheduleFlag("step:1e:0.5:4e", 1, null, 2323), { kind: "step", lr: 1, stepSize: 2323, gamma: 0.5, start: 9292 });
  assert.deepEqual(parseScheduleFlag("step:100:0.5:400", 1, null), { kind: "step", lr: 1, stepSize: 100, gamma: 0.5, start: 400 });
  assert.throws(() => parseScheduleFlag("step:1e", 1, null, null), /batches per epoch/);
  assert.throws(() => parseScheduleFlag("step:xe", 1, null, 5), /number of epochs/);
});
