// The WebAssembly SIMD gate kernels (src/tensor/wasm/assembly/gates.ts) against the
// JavaScript reference loops of the cells: their tanh and sigmoid within a few float32 ulps
// of the true values, and whole models (every cell variant the kernels serve, with masks,
// hidden sizes that leave a scalar tail, hard gates) within float32 rounding of the reference
// backend, with the kernels seen to run (the per-step ones under masks, the whole-sequence
// loop without) and the step API still bit-exact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createFastBackend, useFastBackend, useReferenceBackend } from "../../src/tensor/fast.ts";
import { setGateKernels, type GateKernels } from "../../src/tensor/gate-kernels.ts";
import { Sequence } from "../../src/train/sequence.ts";
import { sigmoid } from "../../src/tensor/ops.ts";
import { Rng } from "../../src/rand.ts";
import type { ModelConfig } from "../../src/model/config.ts";
import { forwardBackward } from "../helpers/layer-run.ts";

/** Distance in float32 ulps of the true value; below the smallest normal, in units of it. */
function ulps(got: number, want: number): number {
  const a = Math.abs(want);
  const ulp = a < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
  return Math.abs(got - want) / ulp;
}

test("the kernels' tanh and sigmoid are within 3 float32 ulps of the true values (or 1e-38 where they underflow)", () => {
  const fb = createFastBackend();
  const xs: number[] = [0, -0, 1e-30, -1e-30, 1e-7, -3e-4, 0.6249, 0.625, 0.6251, -0.625, 9, 10, 44, 88, 100, -88, -100, 1e4, -1e4];
  for (let i = 0; i <= 200_000; i++) xs.push(-30 + 60 * i / 200_000);
  for (let i = 1; i <= 2000; i++) xs.push(Math.pow(10, -12 + 12 * i / 2000) * (i % 2 ? 1 : -1));
  const n = xs.length;
  const x = fb.heap.allocF32(n)!, y = fb.heap.allocF32(n)!;
  x.set(xs);
  for (const act of ["tanh", "sigmoid"] as const) {
    fb.gates.activate(x, 0, y, 0, n, act);
    let worst = 0, at = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i], want = act === "tanh" ? Math.tanh(v) : sigmoid(v);
      // Where the true value is below 1e-38 (sigmoid of x < −87), any value at most 1e-38 will do.
      if (Math.abs(want) < 1e-38) { assert.ok(Math.abs(y[i]) <= 1e-38, `${act}(${v}) = ${y[i]}`); continue; }
      const u = ulps(y[i], want);
      if (u > worst) { worst = u; at = v; }
    }
    assert.ok(worst <= 3, `${act}: worst ${worst} ulps at x = ${at}`);
  }
  x[0] = -0;
  fb.gates.activate(x, 0, y, 0, 1, "tanh");
  assert.ok(Object.is(y[0], -0), "tanh(−0) = −0");
  fb.stop();
});

/** Installs a counting wrapper around the kernels so a test can see which of them ran. */
function counting(k: GateKernels): { kernels: GateKernels; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const kernels = Object.fromEntries(Object.entries(k).map(([name, fn]) => [name, name === "has" ? fn :
    (...args: unknown[]) => { calls.set(name, (calls.get(name) ?? 0) + 1); return (fn as (...a: unknown[]) => unknown)(...args); }])) as unknown as GateKernels;
  return { kernels, calls };
}

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0, diff = 0;
  for (let i = 0; i < a.length; i++) { scale = Math.max(scale, Math.abs(b[i])); diff = Math.max(diff, Math.abs(a[i] - b[i])); }
  return diff / Math.max(scale, 1e-30);
}

const cases: Array<{ cfg: Partial<ModelConfig>; kernels: string[] }> = [
  { cfg: { cell: "elman", input: 5, hidden: 13, layers: 2, output: 3 }, kernels: ["activate", "activateBackward"] },
  { cfg: { cell: "elman", input: 5, hidden: 16, output: 3, hiddenActivation: "sigmoid" }, kernels: ["activate", "activateBackward"] },
  { cfg: { cell: "lstm", input: 5, hidden: 13, layers: 2, output: 3 }, kernels: ["lstmForward", "lstmBackward"] },
  { cfg: { cell: "lstm", input: 4, hidden: 8, output: 2, gateActivation: "hard_sigmoid" }, kernels: ["lstmForward", "lstmBackward"] },
  { cfg: { cell: "gru", input: 5, hidden: 13, layers: 2, output: 3 }, kernels: ["gruForward", "gruBackward"] },
  { cfg: { cell: "gru", input: 4, hidden: 8, output: 2, gateActivation: "hard_sigmoid" }, kernels: ["gruForward", "gruBackward"] },
  // Reset-before GRUs keep the JavaScript gate loops (their n block needs r first).
  { cfg: { cell: "gru", input: 4, hidden: 8, output: 2, resetAfter: false }, kernels: [] },
];

for (const { cfg, kernels } of cases) for (const masked of [false, true]) {
  const name = `${cfg.cell} ${JSON.stringify(cfg)}${masked ? ", masked" : ""}`;
  test(`gate kernels: ${name} equals the reference within float32 rounding; step API bit-exact`, () => {
    useReferenceBackend();
    const ref = forwardBackward(cfg, masked);
    const fb = useFastBackend();
    try {
      const { kernels: k, calls } = counting(fb.gates);
      setGateKernels(k);
      const fast = forwardBackward(cfg, masked);
      // Unmasked, the whole time loop runs in one sequence job; masked, the per-step kernels run.
      for (const want of masked || kernels.length === 0 ? kernels : ["sequence"]) {
        assert.ok((calls.get(want) ?? 0) > 0, `${want} ran (calls: ${JSON.stringify([...calls])})`);
      }
      if (kernels.length === 0) for (const name of ["gruForward", "gruBackward", "sequence"]) assert.equal(calls.get(name) ?? 0, 0, `${name} must not run`);
      assert.ok(maxRel(fast.out, ref.out) < 1e-5, `outputs ${maxRel(fast.out, ref.out)}`);
      assert.ok(maxRel(fast.grads, ref.grads) < 1e-4, `grads ${maxRel(fast.grads, ref.grads)}`);
      assert.ok(maxRel(fast.dx, ref.dx) < 1e-4, `dx ${maxRel(fast.dx, ref.dx)}`);
      assert.ok(maxRel(fast.dh0, ref.dh0) < 1e-4, `dh0 ${maxRel(fast.dh0, ref.dh0)}`);
      const m = fast.model, I = m.config.input, O = m.outputSize, { T, B } = fast;
      const whole = m.forward(fast.x, T, B).out.slice();
      m.resetState(B);
      for (let t = 0; t < T; t++) {
        const s = m.step(fast.x.subarray(t * B * I, (t + 1) * B * I));
        assert.deepEqual(Array.from(s), Array.from(whole.subarray(t * B * O, (t + 1) * B * O)), `step ${t}`);
      }
    } finally {
      useReferenceBackend();
    }
  });
}

test("a second backward without a new forward is refused (the gates were overwritten by the first)", () => {
  for (const cell of ["lstm", "gru"] as const) {
    const m = new Sequence({ cell, input: 2, hidden: 4, output: 1 });
    m.forward(new Float32Array(3 * 2 * 2), 3, 2);
    m.backward(new Float32Array(3 * 2));
    assert.throws(() => m.backward(new Float32Array(3 * 2)), /no cached forward pass/);
  }
});

test("the kernels' bias add and bias gradient give the same bits as the JavaScript loops (n with a tail)", () => {
  const fb = createFastBackend();
  const rng = new Rng(9);
  for (const [rows, n] of [[50, 128], [7, 13], [300, 3]]) {
    const x = fb.heap.allocF32(rows * n + 5)!, bias = fb.heap.allocF32(n)!, db = fb.heap.allocF32(n)!;
    for (let i = 0; i < x.length; i++) x[i] = rng.normal();
    for (let i = 0; i < n; i++) { bias[i] = rng.normal(); db[i] = rng.normal(); }
    const wantX = new Float32Array(x), wantDb = new Float32Array(db);
    for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) wantX[5 + r * n + j] += bias[j];
    for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) wantDb[j] += x[5 + r * n + j];
    fb.gates.addBiasBackward(db, x, 5, rows, n);
    fb.gates.addBias(x, 5, rows, bias, n);
    assert.deepEqual(Array.from(x), Array.from(wantX), `addBias ${rows}×${n}`);
    assert.deepEqual(Array.from(db), Array.from(wantDb), `addBiasBackward ${rows}×${n}`);
  }
  fb.stop();
});
