// Truncated BPTT(k1, k2): checked against full BPTT where they must agree, against central
// differences of a window's loss (start state held fixed), and for carrying state forward.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Sequence } from "../../src/train/sequence.ts";
import { Trainer, slice } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { lossAndGrad } from "../../src/train/loss.ts";
import { Rng } from "../../src/rand.ts";
import { relErr } from "../helpers/gradcheck.ts";

function setup(cell: "elman" | "lstm" | "gru" | "jordan", seed = 3) {
  const rng = new Rng(seed);
  const m = new Sequence({ cell, input: 2, hidden: 4, output: 2, ...(cell === "jordan" ? { state: 3 } : {}) }, "float64");
  for (let i = 0; i < m.params.length; i++) m.params[i] = rng.normal() * 0.4;
  const T = 9, B = 2;
  const x = new Float64Array(T * B * 2).map(() => rng.normal());
  const y = new Float64Array(T * B * 2).map(() => rng.normal());
  return { m, x, y, T, B };
}

test("tbptt with k1 = k2 >= T is exactly one full-BPTT update", () => {
  const a = setup("lstm"), b = setup("lstm");
  new Trainer(a.m, { loss: "mse", optimizer: makeOptimizer("sgd", { lr: 0.1 }) }).trainStep({ x: a.x, T: a.T, B: a.B, targets: a.y });
  new Trainer(b.m, { loss: "mse", optimizer: makeOptimizer("sgd", { lr: 0.1 }), tbptt: { k1: 20, k2: 20 } }).trainStep({ x: b.x, T: b.T, B: b.B, targets: b.y });
  assert.deepEqual(Array.from(a.m.params), Array.from(b.m.params));
});

for (const cell of ["elman", "jordan", "lstm", "gru"] as const) {
  test(`${cell}: tbptt(3, 5) window gradients match central differences of the window loss from its carried state`, () => {
    const { m, x, y, T, B } = setup(cell);
    const batch = { x, T, B, targets: y };
    // Windows end at 3, 6, 9; window [1, 6) carries the state at step 1, counts steps 3..5.
    const s1 = m.forward(slice(batch, 0, 1).x, 1, B).state.map((s) => s.map((v) => v.slice()));
    const w = slice(batch, 1, 6);
    const rowMask = new Uint8Array(5 * B).map((_, k) => (k >= 2 * B ? 1 : 0));
    const loss = () => lossAndGrad("mse", m.forward(w.x, 5, B, { state0: s1 }).out, 5 * B, 2, w.targets, rowMask, null);
    const tr = new Trainer(m, { loss: "mse", optimizer: makeOptimizer("sgd", { lr: 0 }), tbptt: { k1: 3, k2: 5 } });
    m.zeroGrads();
    tr.lossAndBackward(w, s1, true, 2);
    const g = m.grads.slice();
    let worst = 0;
    for (let i = 0; i < m.params.length; i++) {
      const old = m.params[i], eps = 1e-4;
      m.params[i] = old + eps; const l1 = loss(); m.params[i] = old - eps; const l2 = loss();
      m.params[i] = old + 2 * eps; const l3 = loss(); m.params[i] = old - 2 * eps; const l4 = loss();
      m.params[i] = old;
      worst = Math.max(worst, relErr(g[i], (8 * (l1 - l2) - (l3 - l4)) / (12 * eps)));
    }
    assert.ok(worst < 1e-6, `worst relative error ${worst}`);
  });
}

test("tbptt(k, k) carries the state across windows: with lr 0 its losses equal the full forward's", () => {
  const { m, x, y, T, B } = setup("gru");
  const full = new Trainer(m, { loss: "mse", optimizer: makeOptimizer("sgd", { lr: 0 }) }).evaluate({ x, T, B, targets: y }).loss;
  const r = new Trainer(m, { loss: "mse", optimizer: makeOptimizer("sgd", { lr: 0 }), tbptt: { k1: 3, k2: 3 } }).trainStep({ x, T, B, targets: y });
  assert.equal(r.updates, 3);
  assert.ok(Math.abs(r.loss - full) < 1e-12, `${r.loss} vs ${full}`);
});

test("tbptt(3, 5) with T = 9 updates 3 times and counts every step's loss once (lr 0)", () => {
  const { m, x, y, T, B } = setup("elman");
  const full = new Trainer(m, { loss: "mse", optimizer: makeOptimizer("sgd", { lr: 0 }) }).evaluate({ x, T, B, targets: y }).loss;
  const tr = new Trainer(m, { loss: "mse", optimizer: makeOptimizer("sgd", { lr: 0 }), tbptt: { k1: 3, k2: 5 } });
  const r = tr.trainStep({ x, T, B, targets: y });
  assert.equal(r.updates, 3);
  // Each window's loss is the mean over its counted steps (3 each), so their mean is the full mean.
  assert.ok(Math.abs(r.loss - full) < 1e-12, `${r.loss} vs ${full}`);
});
