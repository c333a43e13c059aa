// Softmax cross-entropy on the fast backend (the rowMax and softmaxRow kernels of
// src/tensor/wasm/assembly/gates.ts, called by src/train/loss.ts) against the reference loop
// (Math.exp in float64): the loss and its gradient agree to float32 rounding, for vocabularies
// that leave a scalar tail, with masks, large logits, evaluation (no gradient) and a gradient
// buffer that starts dirty; the kernels are seen to run, in the plain and the FMA build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createFastBackend, useReferenceBackend } from "../../src/tensor/fast.ts";
import { setGateKernels, type GateKernels } from "../../src/tensor/gate-kernels.ts";
import { lossAndGrad } from "../../src/train/loss.ts";
import { relaxedSimdSupported } from "../../src/tensor/wasm/modules.ts";
import { allowRelaxedSimd } from "../../src/node/threads.ts";
import { Rng } from "../../src/rand.ts";

interface Case { N: number; O: number; spread: number; masked: boolean }

const CASES: Case[] = [
  { N: 7, O: 3, spread: 2, masked: false },           // shorter than one vector: the tail alone
  { N: 40, O: 65, spread: 3, masked: true },          // a character vocabulary, 16 vectors and a tail of 1
  { N: 20, O: 10_000, spread: 4, masked: false },     // PTB's vocabulary
  { N: 9, O: 1027, spread: 60, masked: true },        // logits far apart: most exps underflow
];

/** Runs lossAndGrad with the given kernels installed (null: the reference loop), counting kernel
 *  calls; the gradient goes into an array from `alloc` (the heap's for the kernels). */
function run(kernels: GateKernels | null, alloc: (n: number) => Float32Array, logits: Float32Array, c: Case,
  targets: Int32Array, mask: Uint8Array | null, grad: boolean) {
  let calls = 0;
  setGateKernels(kernels && {
    ...kernels,
    softmaxRow: (...a: Parameters<GateKernels["softmaxRow"]>) => { calls++; return kernels.softmaxRow(...a); },
  });
  try {
    // A dirty buffer: lossAndGrad writes every entry (counted rows whole, ignored rows zero).
    const d = grad ? alloc(c.N * c.O).fill(NaN) : null;
    const loss = lossAndGrad("ce", logits, c.N, c.O, targets, mask, d);
    return { loss, d: d ? Float32Array.from(d) : null, calls };
  } finally { setGateKernels(null); }
}

const plain = (n: number): Float32Array => new Float32Array(n);

for (const build of ["simd", "fma"] as const) {
  test(`softmax cross-entropy, ${build} kernels: loss and gradient equal the reference to float32 rounding`, (t) => {
    if (build === "fma") {
      allowRelaxedSimd();
      if (!relaxedSimdSupported()) { t.skip("this host does not validate relaxed SIMD"); return; }
    }
    useReferenceBackend();
    const fb = createFastBackend({ fma: build === "fma" });
    const heap = (n: number): Float32Array => fb.heap.allocF32(n)!;
    const rng = new Rng(7);
    for (const c of CASES) {
      const logits = fb.heap.allocF32(c.N * c.O)!;
      for (let i = 0; i < logits.length; i++) logits[i] = (rng.uniform() * 2 - 1) * c.spread;
      const targets = Int32Array.from({ length: c.N }, () => rng.int(c.O));
      const mask = c.masked ? Uint8Array.from({ length: c.N }, (_, n) => +(n % 3 !== 1)) : null;
      const plainLogits = Float32Array.from(logits);   // outside the heap: the reference loop
      for (const grad of [true, false]) {
        const want = run(null, plain, plainLogits, c, targets, mask, grad);
        const got = run(fb.gates, heap, logits, c, targets, mask, grad);
        const rows = mask ? mask.reduce((a, b) => a + b, 0) : c.N;
        assert.equal(got.calls, rows, `${c.N}×${c.O}: one kernel call per counted row`);
        assert.equal(want.calls, 0);
        const tol = 2e-6 * Math.max(1, Math.abs(want.loss));
        assert.ok(Math.abs(got.loss - want.loss) <= tol, `${c.N}×${c.O} grad=${grad}: loss ${got.loss} vs reference ${want.loss}`);
        if (!grad) continue;
        let worst = 0;
        for (let i = 0; i < want.d!.length; i++) {
          // The softmax is ≤ 1/rows, the target's entry −1/rows + that: float32 relative error
          // of a few ulps on each, plus the exp's 2 ulps.
          const err = Math.abs(got.d![i] - want.d![i]) / (1e-30 + Math.max(Math.abs(want.d![i]), 1e-12 / rows));
          if (err > worst) worst = err;
        }
        assert.ok(worst < 1e-5, `${c.N}×${c.O}: worst relative gradient error ${worst}`);
        // Masked rows get no gradient, as in the reference.
        if (mask) for (let n = 0; n < c.N; n++) if (!mask[n]) assert.ok(got.d!.subarray(n * c.O, (n + 1) * c.O).every((v) => v === 0));
      }
    }
    fb.stop();
  });
}

test("softmax cross-entropy: NaN logits give a NaN loss on the kernels, as on the reference", () => {
  const fb = createFastBackend({ fma: false });
  const c: Case = { N: 2, O: 9, spread: 1, masked: false };
  const logits = fb.heap.allocF32(c.N * c.O)!.fill(0.5);
  logits[12] = NaN;
  const targets = Int32Array.of(1, 2);
  const heap = (n: number): Float32Array => fb.heap.allocF32(n)!;
  assert.ok(Number.isNaN(run(fb.gates, heap, logits, c, targets, null, true).loss));
  assert.ok(Number.isNaN(run(null, plain, Float32Array.from(logits), c, targets, null, true).loss));
  fb.stop();
});
