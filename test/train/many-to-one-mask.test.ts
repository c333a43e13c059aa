// Many-to-one batches (classification, single forecasts) that give a mask (T, B) and no
// lengths: the Trainer derives each sequence's last real step with lengthsFromMask. Checked
// here: lengthsFromMask itself; mask-only against explicit lengths, bit for bit, through
// lossAndBackward, evaluate and trainStep; and against each sequence run alone, unpadded,
// at its own length, for every cell in float64.
// Not here: the gradient diagnostics' use of the same lengths (test/analysis/state-grads-mask).
//
// What can catch what: Elman, LSTM and GRU carry their state unchanged through padding, so
// their output on a trailing padding step equals the last real step's, and reading every
// sequence at step T − 1 would give their loss exactly and their gradients up to rounding
// (only the bit-for-bit test sees it). Jordan emits fresh logits on padding steps (from the
// padded input), so its loss tells the steps apart; the direct tests of lengthsFromMask and
// the diagnostics' zero-gradient test (test/analysis/state-grads-mask) catch it for every cell.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Sequence } from "../../src/train/sequence.ts";
import type { ModelConfig } from "../../src/model/config.ts";
import { Trainer, lengthsFromMask, type Batch } from "../../src/train/trainer.ts";
import { lossAndGrad, type LossKind } from "../../src/train/loss.ts";
import { RecurrentError } from "../../src/errors.ts";
import { Rng } from "../../src/rand.ts";
import { relErr } from "../helpers/gradcheck.ts";
import { recordingOptimizer } from "./recording-optimizer.ts";

/** A time-major (T, B) mask from each sequence's real steps. */
function maskOf(real: number[][], T: number): Uint8Array {
  const B = real.length, mask = new Uint8Array(T * B);
  real.forEach((steps, b) => steps.forEach((t) => { mask[t * B + b] = 1; }));
  return mask;
}

test("lengthsFromMask gives one past each sequence's last real step, reading the mask time-major (T, B)", () => {
  // T = 5, B = 4: full; tail padding; a hole at step 1; leading padding and one real step.
  const real = [[0, 1, 2, 3, 4], [0, 1], [0, 2, 3], [3]];
  assert.deepEqual(lengthsFromMask(maskOf(real, 5), 5, 4), [5, 2, 4, 4]);
  // The same mask read as (B, T) would give other answers: T = 4, B = 5 here.
  assert.deepEqual(lengthsFromMask(maskOf([[0, 3], [1], [], [2, 3], [0]], 4), 4, 5), [4, 2, 0, 4, 1]);
});

test("lengthsFromMask gives 0 for a sequence with no real step, and handles T = 1 and B = 1", () => {
  assert.deepEqual(lengthsFromMask(Uint8Array.from([0, 1, 0]), 1, 3), [0, 1, 0]);
  assert.deepEqual(lengthsFromMask(Uint8Array.from([1, 1, 0, 0]), 4, 1), [2]);
  assert.deepEqual(lengthsFromMask(new Uint8Array(6), 3, 2), [0, 0]);
});

const CELLS: Array<{ name: string; config: Partial<ModelConfig> }> = [
  { name: "elman", config: { cell: "elman", input: 2, hidden: 3, output: 3 } },
  { name: "jordan", config: { cell: "jordan", input: 2, hidden: 3, state: 2, output: 3, outputActivation: "softmax" } },
  { name: "lstm ×2", config: { cell: "lstm", input: 2, hidden: 3, output: 3, layers: 2 } },
  { name: "gru", config: { cell: "gru", input: 2, hidden: 3, output: 3 } },
];

// T = 6, B = 4: lengths 6, 3, 1 and 4, the last with a hole at step 2 (its real steps 0, 1, 3).
const T = 6, REAL = [[0, 1, 2, 3, 4, 5], [0, 1, 2], [0], [0, 1, 3]], LENGTHS = [6, 3, 1, 4];

function setup(config: Partial<ModelConfig>, kind: LossKind, seed = 5) {
  const rng = new Rng(seed);
  const m = new Sequence(config, "float64");
  for (let i = 0; i < m.params.length; i++) m.params[i] = rng.normal() * 0.5;
  const B = REAL.length, I = m.config.input, O = m.outputSize;
  // Padding steps get inputs too: a model that read them would show it.
  const x = Float64Array.from({ length: T * B * I }, () => rng.normal());
  const targets = kind === "ce" ? Int32Array.from({ length: B }, () => rng.int(O)) : Float64Array.from({ length: B * O }, () => rng.normal());
  const maskOnly: Batch = { x, T, B, targets, mask: maskOf(REAL, T) };
  const withLengths: Batch = { ...maskOnly, lengths: Int32Array.from(LENGTHS) };
  return { m, B, I, O, x, targets, maskOnly, withLengths };
}

/** Loss and gradients (P) of the trainer's mean over sequences, each run alone on its real steps only. */
function alone(m: Sequence, x: Float64Array, targets: ArrayLike<number>, kind: LossKind, B: number, I: number, O: number) {
  m.zeroGrads();
  let total = 0;
  REAL.forEach((steps, b) => {
    const n = steps.length, xb = new Float64Array(n * I);
    steps.forEach((t, j) => xb.set(x.subarray((t * B + b) * I, (t * B + b + 1) * I), j * I));
    const out = m.forward(xb, n, 1).out;
    const target = kind === "ce" ? [targets[b]] : Array.from({ length: O }, (_, j) => targets[b * O + j]);
    const dLast = new Float64Array(O);
    total += lossAndGrad(kind, out.subarray((n - 1) * O, n * O), 1, O, target, null, dLast);
    const dOut = new Float64Array(n * O);
    dOut.set(dLast, (n - 1) * O);
    m.backward(dOut, null);
  });
  return { loss: total / B, grads: Float64Array.from(m.grads, (g) => g / B) };
}

for (const { name, config } of CELLS) for (const kind of ["ce", "mse"] as const) {
  test(`${name} ${kind}: many-to-one with a mask and no lengths gives the loss and gradients of explicit lengths, bit for bit`, () => {
    const { m, maskOnly, withLengths } = setup(config, kind);
    const run = (batch: Batch) => {
      const opt = recordingOptimizer();
      const tr = new Trainer(m, { loss: kind, manyToOne: true, optimizer: opt });
      m.zeroGrads();
      const lb = tr.lossAndBackward(batch, null, true).loss;
      const g = Float64Array.from(m.grads);
      const step = tr.trainStep(batch);
      return { lb, g, ev: tr.evaluate(batch).loss, step: step.loss, stepGrad: opt.grads[0], updates: opt.grads.length };
    };
    const a = run(maskOnly), b = run(withLengths);
    assert.equal(a.lb, b.lb);
    assert.equal(a.ev, b.ev);
    assert.equal(a.step, b.step);
    assert.equal(a.lb, a.ev);
    assert.deepEqual(a.g, b.g);
    assert.deepEqual(a.stepGrad, b.stepGrad);
    assert.deepEqual(a.stepGrad, a.g);
    assert.equal(a.updates, 1);
    assert.ok(a.g.some((v) => v !== 0));
  });

  test(`${name} ${kind}: many-to-one with a mask and no lengths equals each sequence run alone, unpadded, read at its own last real step`, () => {
    const { m, B, I, O, x, targets, maskOnly } = setup(config, kind);
    const tr = new Trainer(m, { loss: kind, manyToOne: true, optimizer: recordingOptimizer() });
    m.zeroGrads();
    const loss = tr.lossAndBackward(maskOnly, null, true).loss;
    const g = Float64Array.from(m.grads);
    const want = alone(m, x, targets, kind, B, I, O);
    assert.ok(Math.abs(loss - want.loss) <= 1e-12 * Math.abs(want.loss), `loss ${loss} vs ${want.loss}`);
    let worst = 0;
    for (let i = 0; i < g.length; i++) worst = Math.max(worst, relErr(g[i], want.grads[i]));
    assert.ok(worst < 1e-10, `worst relative error ${worst}`);
  });
}

test("many-to-one refuses a sequence with no real step (mask all zero, or length 0) with an error naming it", () => {
  const { m, maskOnly } = setup(CELLS[0].config, "ce");
  const mask = maskOnly.mask!.slice();
  for (let t = 0; t < T; t++) mask[t * 4 + 2] = 0;   // sequence 2 becomes all padding
  const tr = new Trainer(m, { loss: "ce", manyToOne: true, optimizer: recordingOptimizer() });
  const named = (e: unknown) => e instanceof RecurrentError && /lengths\[2\]/.test(e.message);
  assert.throws(() => tr.evaluate({ ...maskOnly, mask }), named);
  assert.throws(() => tr.trainStep({ ...maskOnly, mask }), named);
  assert.throws(() => tr.evaluate({ ...maskOnly, lengths: [6, 3, 0, 4] }), named);
  assert.throws(() => tr.evaluate({ ...maskOnly, lengths: [6, 3, 7, 4] }), named);
});
