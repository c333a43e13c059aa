import { test } from "node:test";
import assert from "node:assert/strict";
import { Sequence } from "../../src/train/sequence.ts";
import type { ModelConfig } from "../../src/model/config.ts";
import { initialize } from "../../src/model/initialize.ts";
import { Rng } from "../../src/rand.ts";
import { gatherLast, lossAndGrad } from "../../src/train/loss.ts";
import type { Batch } from "../../src/train/trainer.ts";
import { stateGradients, statesOverTime, lossGradient, type LossSpec } from "../../src/analysis/gradients/state-grads.ts";
import { jacobianNorms, stateLayout, stepJacobian } from "../../src/analysis/gradients/jacobian.ts";
import { gradientRecord } from "../../src/analysis/gradients/record.ts";
import type { Vec } from "../../src/tensor/types.ts";

/** A linear Elman net: relu kept in its linear region (positive b, x, h), U = a·I. */
function linearElman(a: number, H = 3): Sequence {
  const m = new Sequence({ cell: "elman", input: 1, hidden: H, output: 1, hiddenActivation: "relu" }, "float64");
  m.get("weight_ih_l0").fill(0.2);
  const U = m.get("weight_hh_l0");
  U.fill(0);
  for (let i = 0; i < H; i++) U[i * H + i] = a;
  m.get("bias_l0").fill(1);
  m.get("head.weight").set(Array.from({ length: H }, (_, i) => 0.3 + 0.1 * i));
  return m;
}

function randomBatch(m: Sequence, T: number, B: number, spec: LossSpec, rng: Rng, positive = false): Batch {
  const I = m.config.input, O = m.outputSize;
  const x = Float64Array.from({ length: T * B * I }, () => (positive ? rng.range(0, 1) : rng.range(-1, 1)));
  const rows = spec.manyToOne ? B : T * B;
  const targets = spec.loss === "ce" ? Float64Array.from({ length: rows }, () => rng.int(O))
    : Float64Array.from({ length: rows * O }, () => rng.range(-1, 1));
  return { x, T, B, targets };
}

test("linear Elman with U = a·I: ‖∂L/∂h_t‖ shrinks by exactly a per step back, and ‖∂h_T/∂h_t‖ = a^(T−t)", () => {
  const T = 12;
  for (const a of [0.8, 1, 1.25]) {
    const m = linearElman(a);
    const batch = randomBatch(m, T, 2, { loss: "mse", manyToOne: true }, new Rng(1), true);
    const g = stateGradients(m, batch, { loss: "mse", manyToOne: true });
    const n = g.series[0].norms;
    assert.equal(n.length, T);
    for (let t = 0; t + 1 < T; t++) assert.ok(Math.abs(n[t] / n[t + 1] - a) < 1e-12, `a=${a} t=${t}: ${n[t] / n[t + 1]}`);
    const j = jacobianNorms(m, batch);
    for (let t = 0; t < T; t++) {
      const want = a ** (T - t);
      assert.ok(Math.abs(j.norms[t] - want) < 1e-9 * want, `a=${a} t=${t}: ${j.norms[t]} vs ${want}`);
      assert.ok(Math.abs(j.stepNorms[t] - a) < 1e-12);
    }
  }
});

const CASES: Array<{ name: string; config: Partial<ModelConfig> }> = [
  { name: "elman tanh", config: { cell: "elman", input: 3, hidden: 4, output: 2 } },
  { name: "elman 2 layers", config: { cell: "elman", input: 3, hidden: 4, output: 2, layers: 2 } },
  { name: "lstm", config: { cell: "lstm", input: 3, hidden: 4, output: 2 } },
  { name: "gru", config: { cell: "gru", input: 3, hidden: 4, output: 2 } },
  { name: "jordan", config: { cell: "jordan", input: 3, hidden: 4, output: 2, state: 3 } },
];

/** The batch's loss when the state entering step t is replaced by `state` (float64, exact suffix). */
function lossWithStateAt(m: Sequence, batch: Batch, spec: LossSpec, t: number, state: Vec[][]): number {
  const { T, B } = batch, I = m.config.input, O = m.outputSize;
  const full = m.forward(batch.x, T, B).out.slice();
  const suffix = m.forward(batch.x.subarray(t * B * I), T - t, B, { state0: state }).out;
  full.set(suffix, t * B * O);
  if (spec.manyToOne) return lossAndGrad(spec.loss, gatherLast(full, T, B, O, null, new Float64Array(B * O)), B, O, batch.targets, null, null);
  return lossAndGrad(spec.loss, full, T * B, O, batch.targets, null, null);
}

test("∂L/∂state_t agrees with central finite differences for every cell, state and step (float64, rel. err < 1e-6)", () => {
  const T = 6, B = 2, eps = 1e-6;
  for (const c of CASES) for (const spec of [{ loss: "mse", manyToOne: true }, { loss: "ce", manyToOne: false }] as LossSpec[]) {
    const m = new Sequence(c.config, "float64");
    initialize(m, new Rng(7), "pytorch");
    m.params.forEach((v, i) => (m.params[i] = v * 3));   // larger weights: non-trivial Jacobians
    const batch = randomBatch(m, T, B, spec, new Rng(3));
    const g = stateGradients(m, batch, spec);
    const states = statesOverTime(m, batch);
    for (const t of [0, 2, T - 1]) {
      states[t].forEach((layer, l) => layer.forEach((v, k) => {
        for (const i of [0, v.length - 1]) {
          const p = states[t].map((s) => s.map((u) => u.slice())), q = states[t].map((s) => s.map((u) => u.slice()));
          p[l][k][i] += eps; q[l][k][i] -= eps;
          const num = (lossWithStateAt(m, batch, spec, t, p) - lossWithStateAt(m, batch, spec, t, q)) / (2 * eps);
          const ana = g.grads[t][l][k][i];
          const rel = Math.abs(ana - num) / Math.max(Math.abs(ana) + Math.abs(num), 1e-12);
          assert.ok(rel < 1e-6 || Math.abs(ana - num) < 1e-10, `${c.name} ${spec.loss} t=${t} layer ${l} state ${k}[${i}]: ${ana} vs ${num}`);
        }
      }));
    }
    // t = 0 is the whole-sequence BPTT's dState0.
    m.forward(batch.x, T, B);
    const { dOut } = lossGradient(m, batch, spec);
    m.forward(batch.x, T, B);
    const d0 = m.backward(dOut).dState0;
    d0.forEach((layer, l) => layer.forEach((v, k) => v.forEach((x, i) => assert.ok(Math.abs(x - g.grads[0][l][k][i]) < 1e-12))));
  }
});

test("step Jacobians agree with central finite differences of one step for every cell", () => {
  const B = 3, eps = 1e-6, b = 1;
  for (const c of CASES) {
    const m = new Sequence(c.config, "float64");
    initialize(m, new Rng(11), "pytorch");
    m.params.forEach((v, i) => (m.params[i] = v * 3));
    const rng = new Rng(5), I = m.config.input;
    const state = m.layers.map((layer) => layer.stateSizes.map((n) => Float64Array.from({ length: B * n }, () => rng.range(-0.8, 0.8))));
    const xt = Float64Array.from({ length: B * I }, () => rng.range(-1, 1));
    const J = stepJacobian(m, state, xt, B, b);
    const { N, blocks } = stateLayout(m);
    const flat = (s: Vec[][]) => {
      const f = new Float64Array(N);
      for (const blk of blocks) {
        const k = m.layers[blk.layer].stateSizes.length === 1 ? 0 : ["h", "s"].includes(blk.state) ? 0 : 1;
        f.set(s[blk.layer][k].subarray(b * blk.size, (b + 1) * blk.size), blk.offset);
      }
      return f;
    };
    for (const blk of blocks) {
      const k = ["h", "s"].includes(blk.state) ? 0 : 1;
      for (let j = 0; j < blk.size; j++) {
        const p = state.map((s) => s.map((u) => u.slice())), q = state.map((s) => s.map((u) => u.slice()));
        p[blk.layer][k][b * blk.size + j] += eps; q[blk.layer][k][b * blk.size + j] -= eps;
        const fp = flat(m.forward(xt, 1, B, { state0: p }).state), fq = flat(m.forward(xt, 1, B, { state0: q }).state);
        for (let i = 0; i < N; i++) {
          const num = (fp[i] - fq[i]) / (2 * eps), ana = J[i * N + blk.offset + j];
          assert.ok(Math.abs(num - ana) < 1e-7 * Math.max(1, Math.abs(num)), `${c.name} J[${i}][${blk.offset + j}]: ${ana} vs ${num}`);
        }
      }
    }
  }
});

test("diagnostics leave parameters and parameter gradients untouched; the record has one norm per step", () => {
  const m = new Sequence({ cell: "lstm", input: 2, hidden: 5, output: 1 }, "float32");
  initialize(m, new Rng(2), "glorot");
  m.grads.forEach((_, i) => (m.grads[i] = i % 7));
  const params = m.params.slice(), grads = m.grads.slice();
  const spec: LossSpec = { loss: "mse", manyToOne: true };
  const rng = new Rng(9);
  const batch: Batch = { x: Float32Array.from({ length: 20 * 4 * 2 }, () => rng.range(-1, 1)), T: 20, B: 4, targets: new Float32Array(4).fill(0.5) };
  const r = gradientRecord(m, batch, spec, { jacobian: true });
  assert.deepEqual(m.params, params);
  assert.deepEqual(m.grads, grads);
  assert.equal(r.norms.length, 20);
  assert.deepEqual(r.series.map((s) => s.state), ["h", "c"]);
  assert.equal(r.jacobian!.norms.length, 20);
  assert.deepEqual(r.spectra.map((s) => s.block), ["i", "f", "g", "o"]);
  assert.ok(r.norms.every((v) => Number.isFinite(v) && v > 0));
});
