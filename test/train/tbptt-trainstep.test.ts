// Truncated BPTT(k1, k2) through Trainer.trainStep itself, against the definition written out
// here independently of the trainer's loop:
//   windows end at e = k1, 2·k1, …, T (the last one may be shorter); with p the previous end,
//   a window counts the loss of steps [p, e) (mean over its counted rows) and backpropagates
//   from s = max(0, e − k2), starting from the state at step s, itself a forward from step 0
//   held fixed (no gradient through it).
// A recording optimiser captures every update's gradient and leaves the parameters as they
// are, so each is checked against float64 central differences of its window's objective;
// also the number of updates and the reported loss (the mean of the windows' losses).
// Not here: TBPTT against full BPTT, or a hand-built window through lossAndBackward (tbptt.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Sequence } from "../../src/train/sequence.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { lossAndGrad } from "../../src/train/loss.ts";
import { Rng } from "../../src/rand.ts";
import type { Vec } from "../../src/tensor/types.ts";
import { relErr } from "../helpers/gradcheck.ts";
import { recordingOptimizer } from "./recording-optimizer.ts";

const B = 2, I = 2, O = 2;

function setup(cell: "elman" | "jordan" | "lstm" | "gru", T: number, masked: boolean, seed = 4) {
  const rng = new Rng(seed);
  const m = new Sequence({ cell, input: I, hidden: 3, output: O, ...(cell === "jordan" ? { state: 2 } : {}) }, "float64");
  for (let i = 0; i < m.params.length; i++) m.params[i] = rng.normal() * 0.5;
  const x = Float64Array.from({ length: T * B * I }, () => rng.normal());
  const y = Float64Array.from({ length: T * B * O }, () => rng.normal());
  // Masked: sequence 1 has a hole at step 1 and its last two steps are padding.
  const mask = masked ? Uint8Array.from({ length: T * B }, (_, k) => {
    const t = Math.floor(k / B), b = k % B;
    return b === 1 && (t === 1 || t >= T - 2) ? 0 : 1;
  }) : null;
  return { m, x, y, mask };
}

interface Window { p: number; e: number; s: number }

function windowsOf(k1: number, k2: number, T: number): Window[] {
  const w: Window[] = [];
  for (let p = 0; p < T; p += k1) {
    const e = Math.min(p + k1, T);
    w.push({ p, e, s: Math.max(0, e - k2) });
  }
  return w;
}

const COMBOS = [
  { k1: 2, k2: 3, T: 7, masked: false, what: "T not a multiple of k1, k2 not a multiple of k1" },
  { k1: 3, k2: 5, T: 8, masked: false, what: "the last window counts 2 steps" },
  { k1: 3, k2: 3, T: 7, masked: false, what: "k1 = k2, state handed on, then a shorter last window from T − k2" },
  { k1: 2, k2: 9, T: 7, masked: false, what: "k2 > T, every window from step 0" },
  { k1: 3, k2: 7, T: 7, masked: false, what: "k2 = T" },
  { k1: 2, k2: 5, T: 7, masked: true, what: "padding inside and at the end of windows" },
];

for (const cell of ["elman", "jordan", "lstm", "gru"] as const) for (const { k1, k2, T, masked, what } of COMBOS) {
  test(`${cell} tbptt(${k1}, ${k2}), T = ${T} (${what}): trainStep makes ⌈T/k1⌉ updates, each with the gradient of its window's truncated loss`, () => {
    const { m, x, y, mask } = setup(cell, T, masked);
    const where = `k1 ${k1} k2 ${k2} T ${T}${masked ? " masked" : ""}`;
    const params = Float64Array.from(m.params);
    const wins = windowsOf(k1, k2, T);

    // The state entering step s: a forward over [0, s) from the zero state, then held fixed.
    const stateAt = (s: number): Vec[][] | null => (s === 0 ? null
      : m.forward(x.subarray(0, s * B * I), s, B, { mask: mask?.subarray(0, s * B) ?? null }).state.map((l) => l.map((v) => v.slice())));
    const windowLoss = (w: Window, state0: Vec[][] | null): number => {
      const n = w.e - w.s;
      const out = m.forward(x.subarray(w.s * B * I, w.e * B * I), n, B, { state0, mask: mask?.subarray(w.s * B, w.e * B) ?? null }).out;
      const counted = Uint8Array.from({ length: n * B }, (_, k) => (w.s * B + k >= w.p * B && (!mask || mask[w.s * B + k]) ? 1 : 0));
      return lossAndGrad("mse", out, n * B, O, y.subarray(w.s * B * O, w.e * B * O), counted, null);
    };
    const starts = wins.map((w) => stateAt(w.s));
    const losses = wins.map((w, i) => windowLoss(w, starts[i]));

    const opt = recordingOptimizer();
    const tr = new Trainer(m, { loss: "mse", optimizer: opt, tbptt: { k1, k2 } });
    const r = tr.trainStep({ x, T, B, targets: y, mask });

    assert.equal(r.updates, wins.length, where);
    assert.equal(tr.updates, wins.length, where);
    assert.equal(opt.grads.length, wins.length, where);
    assert.deepEqual(m.params, params, `${where}: the recording optimiser changed nothing`);
    const meanLoss = losses.reduce((a, b) => a + b, 0) / wins.length;
    assert.ok(Math.abs(r.loss - meanLoss) <= 1e-12 * meanLoss, `${where}: loss ${r.loss} vs ${meanLoss}`);
    const last = opt.grads[wins.length - 1];
    assert.ok(Math.abs(r.gradNorm - Math.hypot(...last)) <= 1e-12 * r.gradNorm, `${where}: gradNorm`);

    wins.forEach((w, i) => {
      const g = opt.grads[i], eps = 1e-4;
      let worst = 0, at = -1;
      for (let j = 0; j < m.params.length; j++) {
        const old = m.params[j];
        m.params[j] = old + eps; const l1 = windowLoss(w, starts[i]);
        m.params[j] = old - eps; const l2 = windowLoss(w, starts[i]);
        m.params[j] = old + 2 * eps; const l3 = windowLoss(w, starts[i]);
        m.params[j] = old - 2 * eps; const l4 = windowLoss(w, starts[i]);
        m.params[j] = old;
        const e = relErr(g[j], (8 * (l1 - l2) - (l3 - l4)) / (12 * eps));
        if (e > worst) { worst = e; at = j; }
      }
      assert.ok(g.some((v) => v !== 0), `${where} window ${i}: zero gradient`);
      assert.ok(worst < 1e-6, `${where} window ${i} [${w.s}, ${w.e}) counting from ${w.p}: worst relative error ${worst} at parameter ${at}`);
    });
  });
}

test("a Trainer refuses tbptt windows that would skip steps (k2 < k1) or never end (k1 < 1)", () => {
  const m = new Sequence({ cell: "elman", input: 2, hidden: 3, output: 2 }, "float64");
  const opt = makeOptimizer("sgd", { lr: 0 });
  assert.throws(() => new Trainer(m, { loss: "mse", optimizer: opt, tbptt: { k1: 4, k2: 2 } }), /tbptt\.k2: expected an integer >= k1 \(4\), got 2/);
  assert.throws(() => new Trainer(m, { loss: "mse", optimizer: opt, tbptt: { k1: 0, k2: 2 } }), /tbptt\.k1: expected an integer >= 1, got 0/);
});
