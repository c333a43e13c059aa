// The WebAssembly SIMD backend must give the reference path's results within float32
// rounding through whole models (forward, every gradient), and keep the step API bit-exact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { lossAndGrad } from "../../src/train/loss.ts";
import { useFastBackend, useReferenceBackend } from "../../src/tensor/fast.ts";
import { Rng } from "../../src/rand.ts";
import type { ModelConfig } from "../../src/model/config.ts";

function run(cfg: Partial<ModelConfig>) {
  const rng = new Rng(21);
  const m = new Sequence(cfg);
  initialize(m, rng, "glorot");
  const T = 9, B = 5, I = m.config.input, O = m.outputSize;
  const x = new Float32Array(T * B * I).map(() => rng.normal());
  const y = new Float32Array(T * B * O).map(() => rng.normal());
  const { out } = m.forward(x, T, B);
  const outCopy = out.slice();
  const d = new Float32Array(T * B * O);
  lossAndGrad("mse", out, T * B, O, y, null, d);
  m.zeroGrads();
  m.backward(d);
  return { out: outCopy, grads: m.grads.slice(), model: m, x, T, B };
}

function maxRel(a: Float32Array | Float64Array, b: Float32Array | Float64Array): number {
  let scale = 0, diff = 0;
  for (let i = 0; i < a.length; i++) { scale = Math.max(scale, Math.abs(b[i])); diff = Math.max(diff, Math.abs(a[i] - b[i])); }
  return diff / Math.max(scale, 1e-30);
}

const configs: Array<Partial<ModelConfig>> = [
  { cell: "elman", input: 7, hidden: 33, layers: 2, output: 5 },
  { cell: "jordan", input: 7, hidden: 19, state: 6, output: 5 },
  { cell: "lstm", input: 13, hidden: 37, layers: 2, output: 3 },
  { cell: "gru", input: 13, hidden: 37, layers: 2, output: 3 },
];

for (const cfg of configs) {
  test(`${cfg.cell}: the wasm SIMD backend equals the reference within float32 rounding (outputs and every gradient)`, () => {
    useReferenceBackend();
    const ref = run(cfg);
    useFastBackend();
    try {
      const fast = run(cfg);
      assert.ok(maxRel(fast.out, ref.out) < 1e-5, `outputs ${maxRel(fast.out, ref.out)}`);
      assert.ok(maxRel(fast.grads, ref.grads) < 1e-4, `grads ${maxRel(fast.grads, ref.grads)}`);
      // And the step API stays bit-exact on the fast path.
      const m = fast.model, I = m.config.input, O = m.outputSize;
      const whole = m.forward(fast.x, fast.T, fast.B).out.slice();
      m.resetState(fast.B);
      for (let t = 0; t < fast.T; t++) {
        const s = m.step(fast.x.subarray(t * fast.B * I, (t + 1) * fast.B * I));
        assert.deepEqual(Array.from(s), Array.from(whole.subarray(t * fast.B * O, (t + 1) * fast.B * O)), `step ${t}`);
      }
    } finally {
      useReferenceBackend();
    }
  });
}
