// The gradient diagnostics (‖∂L/∂state_t‖, src/analysis/gradients/state-grads.ts) on
// many-to-one batches with a mask and no lengths: they must read each sequence's last real
// step as the Trainer does (lengthsFromMask), so mask-only and explicit lengths agree bit for
// bit, the loss is the Trainer's, and no gradient reaches the states after a sequence's end.
// Not here: lengthsFromMask itself and the Trainer's many-to-one loss (test/train/many-to-one-mask).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Sequence } from "../../src/train/sequence.ts";
import type { ModelConfig } from "../../src/model/config.ts";
import { Trainer, type Batch } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { stateGradients, type LossSpec } from "../../src/analysis/gradients/state-grads.ts";
import { RecurrentError } from "../../src/errors.ts";
import { Rng } from "../../src/rand.ts";
import type { Vec } from "../../src/tensor/types.ts";

const CELLS: Array<{ name: string; config: Partial<ModelConfig> }> = [
  { name: "elman", config: { cell: "elman", input: 2, hidden: 3, output: 2 } },
  { name: "jordan", config: { cell: "jordan", input: 2, hidden: 3, state: 2, output: 2 } },
  { name: "lstm ×2", config: { cell: "lstm", input: 2, hidden: 3, output: 2, layers: 2 } },
  { name: "gru", config: { cell: "gru", input: 2, hidden: 3, output: 2 } },
];

// T = 6, B = 4: lengths 6, 3, 1 and 4; the last has a hole at step 2 (real steps 0, 1, 3).
const T = 6, REAL = [[0, 1, 2, 3, 4, 5], [0, 1, 2], [0], [0, 1, 3]], LENGTHS = [6, 3, 1, 4], B = REAL.length;
const HOLE = { b: 3, t: 2 };

function setup(config: Partial<ModelConfig>, seed = 9) {
  const rng = new Rng(seed);
  const m = new Sequence(config, "float64");
  for (let i = 0; i < m.params.length; i++) m.params[i] = rng.normal() * 0.5;
  const I = m.config.input, O = m.outputSize;
  const mask = new Uint8Array(T * B);
  REAL.forEach((steps, b) => steps.forEach((t) => { mask[t * B + b] = 1; }));
  const x = Float64Array.from({ length: T * B * I }, () => rng.normal());
  const targets = Float64Array.from({ length: B * O }, () => rng.normal());
  const maskOnly: Batch = { x, T, B, targets, mask };
  return { m, maskOnly, withLengths: { ...maskOnly, lengths: LENGTHS } as Batch };
}

/** Row b (n values) of a (B, n) state or gradient. */
function row(v: Vec, b: number): number[] {
  const n = v.length / B;
  return Array.from(v.subarray(b * n, (b + 1) * n));
}

const spec: LossSpec = { loss: "mse", manyToOne: true };

for (const { name, config } of CELLS) {
  test(`${name}: state gradients of a many-to-one batch with a mask alone equal those with explicit lengths, bit for bit, with the Trainer's loss`, () => {
    const { m, maskOnly, withLengths } = setup(config);
    const a = stateGradients(m, maskOnly, spec), b = stateGradients(m, withLengths, spec);
    assert.equal(a.loss, b.loss);
    assert.deepEqual(a.series, b.series);
    assert.deepEqual(a.grads, b.grads);
    const tr = new Trainer(m, { loss: "mse", manyToOne: true, optimizer: makeOptimizer("sgd", { lr: 0 }) });
    assert.equal(a.loss, tr.evaluate(maskOnly).loss);
  });

  test(`${name}: with a mask alone, ∂L/∂state_t is exactly zero for every step after a sequence's last real step, non-zero at it, and passes a hole unchanged`, () => {
    const { m, maskOnly } = setup(config);
    const { grads } = stateGradients(m, maskOnly, spec);   // grads[t][layer][k]: ∂L/∂(state entering step t)
    LENGTHS.forEach((len, b) => {
      for (let t = 0; t < T; t++) {
        const rows = grads[t].flatMap((layer) => layer.map((v) => row(v, b)));
        const zero = rows.every((r) => r.every((v) => v === 0));
        if (t >= len) assert.ok(zero, `sequence ${b} (length ${len}): ∂L/∂state_${t} should be 0, is ${JSON.stringify(rows)}`);
        // The state entering the last real step (and every one before it) feeds the loss.
        else assert.ok(!zero, `sequence ${b} (length ${len}): ∂L/∂state_${t} is 0`);
      }
    });
    // A padding step inside a sequence copies its state, so the gradient passes it unchanged.
    grads[HOLE.t].forEach((layer, l) => layer.forEach((v, k) => {
      assert.deepEqual(row(v, HOLE.b), row(grads[HOLE.t + 1][l][k], HOLE.b), `layer ${l} state ${k}`);
    }));
  });
}

test("state gradients refuse a many-to-one sequence with no real step, as the Trainer does", () => {
  const { m, maskOnly } = setup(CELLS[0].config);
  const mask = maskOnly.mask!.slice();
  for (let t = 0; t < T; t++) mask[t * B + 1] = 0;   // sequence 1 becomes all padding
  assert.throws(() => stateGradients(m, { ...maskOnly, mask }, spec), (e) => e instanceof RecurrentError && /lengths\[1\]/.test(e.message));
});
