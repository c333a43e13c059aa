import { test } from "node:test";
import assert from "node:assert/strict";
import { Sequence } from "../../src/train/sequence.ts";
import type { ModelConfig } from "../../src/model/config.ts";
import { Rng } from "../../src/rand.ts";

const configs: Array<Partial<ModelConfig>> = [
  { cell: "elman", input: 3, hidden: 6, layers: 2, output: 2 },
  { cell: "jordan", input: 3, hidden: 6, state: 4, output: 2, outputActivation: "softmax" },
  { cell: "jordan", input: 3, hidden: 5, layers: 2, output: 2 },
  { cell: "lstm", input: 3, hidden: 6, layers: 2, output: 2 },
  { cell: "gru", input: 3, hidden: 6, layers: 2, output: 0 },
  { cell: "gru", input: 3, hidden: 6, layers: 2, output: 2, resetAfter: false, gateActivation: "hard_sigmoid" },
  { cell: "lstm", input: 3, hidden: 6, output: 2, gateActivation: "hard_sigmoid" },
  { cell: "gru", input: 7, embedding: 4, hidden: 6, output: 7 },
];

for (const cfg of configs) {
  for (const dtype of ["float32", "float64"] as const) {
    test(`${cfg.cell} ×${cfg.layers ?? 1} ${dtype}: step(x_t) equals the whole-sequence forward bit for bit`, () => {
      const rng = new Rng(9);
      const m = new Sequence(cfg, dtype);
      for (let i = 0; i < m.params.length; i++) m.params[i] = rng.normal() * 0.5;
      const T = 7, B = 3, I = m.inputWidth, O = m.outputSize;
      const x = (dtype === "float32" ? new Float32Array(T * B * I) : new Float64Array(T * B * I))
        .map(() => (m.config.embedding > 0 ? rng.int(m.config.input) : rng.normal()));
      const whole = m.forward(x, T, B);
      const out = whole.out.slice();
      const finalState = whole.state.map((s) => s.map((v) => v.slice()));
      m.resetState(B);
      for (let t = 0; t < T; t++) {
        const y = m.step(x.subarray(t * B * I, (t + 1) * B * I));
        assert.deepEqual(Array.from(y), Array.from(out.subarray(t * B * O, (t + 1) * B * O)), `step ${t}`);
      }
      assert.deepEqual(m.getState().map((s) => s.map((v) => Array.from(v))), finalState.map((s) => s.map((v) => Array.from(v))));
    });
  }
}

test("masked padding carries the state through: final state equals the unpadded run's", () => {
  const rng = new Rng(4);
  for (const cell of ["elman", "lstm", "gru", "jordan"] as const) {
    const m = new Sequence({ cell, input: 2, hidden: 4, output: cell === "jordan" ? 2 : 0 }, "float64");
    for (let i = 0; i < m.params.length; i++) m.params[i] = rng.normal() * 0.5;
    const T = 6, B = 2, I = 2, len = 4;
    const x = new Float64Array(T * B * I).map(() => rng.normal());
    const mask = new Uint8Array(T * B).map((_, k) => (k % B === 1 && Math.floor(k / B) >= len ? 0 : 1));
    const padded = m.forward(x, T, B, { mask }).state;
    // Sequence 1 alone, only its first `len` steps.
    const x1 = new Float64Array(len * I);
    for (let t = 0; t < len; t++) x1.set(x.subarray((t * B + 1) * I, (t * B + 2) * I), t * I);
    const alone = m.forward(x1, len, 1).state;
    padded.forEach((s, l) => s.forEach((v, k) => {
      const n = v.length / B;
      assert.deepEqual(Array.from(v.subarray(n, 2 * n)), Array.from(alone[l][k]), `${cell} state ${l}/${k}`);
    }));
  }
});

test("backward without a forward fails with a clear error", () => {
  const m = new Sequence({ cell: "lstm", input: 2, hidden: 3 });
  assert.throws(() => m.backward(new Float32Array(6)), /no cached forward pass/);
});

test("forward refuses a wrongly sized input, naming the argument and both sizes", () => {
  const m = new Sequence({ cell: "gru", input: 2, hidden: 3 });
  assert.throws(() => m.forward(new Float32Array(5), 2, 2), /forward x: expected length T·B·I = 2·2·2 = 8, got 5/);
});

test("backward with inputGrad: false gives the same weight and state gradients, and no dx", () => {
  for (const cell of ["elman", "jordan", "lstm", "gru"] as const) {
    const rng = new Rng(12);
    const m = new Sequence({ cell, input: 3, hidden: 5, layers: 2, output: 2 }, "float64");
    for (let i = 0; i < m.params.length; i++) m.params[i] = rng.normal() * 0.5;
    const x = new Float64Array(4 * 2 * 3).map(() => rng.normal()), d = new Float64Array(4 * 2 * 2).map(() => rng.normal());
    m.forward(x, 4, 2); m.zeroGrads();
    const full = m.backward(d);
    const g = m.grads.slice(), s0 = full.dState0.map((s) => s.map((v) => Array.from(v)));
    assert.equal(full.dx.length, 4 * 2 * 3);
    m.forward(x, 4, 2); m.zeroGrads();
    const lean = m.backward(d, null, { inputGrad: false });
    assert.equal(lean.dx.length, 0);
    assert.deepEqual(Array.from(m.grads), Array.from(g), cell);
    assert.deepEqual(lean.dState0.map((s) => s.map((v) => Array.from(v))), s0, cell);
  }
});

test("a teacher-forced Jordan net steps with the previous targets, equal to the teacher-forced forward, and refuses to go on without them", () => {
  const rng = new Rng(6);
  const m = new Sequence({ cell: "jordan", input: 2, hidden: 4, state: 3, output: 3, feedback: "teacher" }, "float64");
  for (let i = 0; i < m.params.length; i++) m.params[i] = rng.normal() * 0.5;
  const T = 5, B = 2, O = 3;
  const x = new Float64Array(T * B * 2).map(() => rng.normal()), y = new Float64Array(T * B * O).map(() => rng.uniform());
  const whole = m.forward(x, T, B, { teacher: y }).out.slice();
  m.resetState(B);
  for (let t = 0; t < T; t++) {
    const prev = t === 0 ? undefined : y.subarray((t - 1) * B * O, t * B * O);
    const s = m.step(x.subarray(t * B * 2, (t + 1) * B * 2), prev);
    assert.deepEqual(Array.from(s), Array.from(whole.subarray(t * B * O, (t + 1) * B * O)), `step ${t}`);
  }
  assert.throws(() => m.step(x.subarray(0, B * 2)), /needs the previous target \(teacherPrev\)/);
});

test("sampling from a teacher-forced Jordan net runs it free, as the same weights with feedback 'output'", async () => {
  const { sampleTokens } = await import("../../src/model/sample.ts");
  const m = new Sequence({ cell: "jordan", input: 4, hidden: 5, output: 4, outputActivation: "softmax", feedback: "teacher" });
  const rng = new Rng(2);
  for (let i = 0; i < m.params.length; i++) m.params[i] = rng.normal();
  const free = m.freeRunning();
  assert.equal(free.config.feedback, "output");
  assert.deepEqual(Array.from(free.params), Array.from(m.params));
  const a = sampleTokens(m, { prompt: [1, 2], length: 12, rng: new Rng(9) });
  const b = sampleTokens(free, { prompt: [1, 2], length: 12, rng: new Rng(9) });
  assert.deepEqual(a, b);
  assert.equal(new Sequence({ cell: "gru", input: 2, hidden: 3 }).freeRunning().config.cell, "gru");
});
