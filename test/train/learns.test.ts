// "Learns" tests: the whole stack (cells, losses, BPTT, Adam) actually fits data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { Rng } from "../../src/rand.ts";
import { getTask } from "../../src/data/tasks/index.ts";
import type { ModelConfig } from "../../src/model/config.ts";

test("an Elman network learns Elman's temporal XOR (every XOR bit right on fresh data)", () => {
  const task = getTask("xor");
  const rng = new Rng(1);
  const m = new Sequence({ cell: "elman", input: 1, hidden: 8, output: 1, outputActivation: "sigmoid" });
  initialize(m, rng, "glorot");
  const tr = new Trainer(m, { loss: "bce", optimizer: makeOptimizer("adam", { lr: 0.02 }), clipNorm: 5 });
  for (let i = 0; i < 600; i++) {
    const b = task.generate({ length: 30, batch: 16, rng });
    tr.trainStep({ x: b.x, T: b.T, B: b.B, targets: b.target });
  }
  const test = task.generate({ length: 60, batch: 64, rng: new Rng(99) });
  const { out } = m.forward(test.x, test.T, test.B);
  const probs = out.map((z) => 1 / (1 + Math.exp(-z)));
  const score = task.score(probs, test);
  assert.ok(score.accuracy >= 0.95, `XOR sequences fully right: ${score.accuracy}`);
});

const overfit: Array<[string, Partial<ModelConfig>]> = [
  ["elman", { cell: "elman", hidden: 24 }],
  ["jordan", { cell: "jordan", hidden: 24, state: 8 }],
  ["lstm", { cell: "lstm", hidden: 24 }],
  ["gru", { cell: "gru", hidden: 24 }],
];
for (const [name, cfg] of overfit) {
  test(`${name} overfits a small batch of character sequences to near-zero loss`, () => {
    const rng = new Rng(5);
    const V = 6, T = 12, B = 4;
    // Random symbol sequences; target = the next symbol, so the net must memorise them.
    const seq = Array.from({ length: B }, () => Array.from({ length: T + 1 }, () => rng.int(V)));
    const x = new Float32Array(T * B * V), y = new Int32Array(T * B);
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) { x[(t * B + b) * V + seq[b][t]] = 1; y[t * B + b] = seq[b][t + 1]; }
    const m = new Sequence({ ...cfg, input: V, output: V, outputActivation: "softmax" });
    initialize(m, rng, "glorot");
    const tr = new Trainer(m, { loss: "ce", optimizer: makeOptimizer("adam", { lr: 0.01 }) });
    const first = tr.evaluate({ x, T, B, targets: y }).loss;
    let loss = first;
    for (let i = 0; i < 1500 && loss > 0.02; i++) loss = tr.trainStep({ x, T, B, targets: y }).loss;
    assert.ok(first > 1.5, `initial loss ${first}`);
    assert.ok(loss < 0.05, `final loss ${loss}`);
  });
}

test("same seed, data and config give bit-identical weights", () => {
  const run = () => {
    const rng = new Rng(77);
    const m = new Sequence({ cell: "gru", input: 3, hidden: 8, output: 2 });
    initialize(m, rng);
    const tr = new Trainer(m, { loss: "mse", optimizer: makeOptimizer("adam", { lr: 0.01 }), clipNorm: 1 });
    for (let i = 0; i < 20; i++) {
      const x = new Float32Array(5 * 4 * 3).map(() => rng.normal());
      const y = new Float32Array(5 * 4 * 2).map(() => rng.normal());
      tr.trainStep({ x, T: 5, B: 4, targets: y });
    }
    return Array.from(m.params);
  };
  assert.deepEqual(run(), run());
});

test("a non-finite loss stops training with a message naming the bad input, or else the update", () => {
  const m = new Sequence({ cell: "elman", input: 1, hidden: 2, output: 1 });
  const tr = new Trainer(m, { loss: "mse", optimizer: makeOptimizer("sgd", { lr: 0.1 }) });
  const x = new Float32Array([1, NaN]);
  assert.throws(() => tr.trainStep({ x, T: 2, B: 1, targets: new Float32Array([0, 0]) }), /^RecurrentError: trainStep: batch\.x\[1\]: expected a finite number, got NaN$/);
  assert.throws(() => tr.trainStep({ x: new Float32Array([1, 2]), T: 2, B: 1, targets: new Float32Array([0, Infinity]) }), /^RecurrentError: trainStep: batch\.targets\[1\]: expected a finite number, got Infinity$/);
  m.params.fill(Infinity);                            // finite data, weights gone: the run diverged
  assert.throws(() => tr.trainStep({ x: new Float32Array([1, 2]), T: 2, B: 1, targets: new Float32Array([0, 0]) }), /loss is NaN at update 1/);
});
