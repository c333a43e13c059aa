// The primitive kernels, each against an independent definition: GEMM in all four transpose
// modes against a naive triple loop, and every element-wise backward against central
// differences of its forward.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gemmReference } from "../src/tensor/gemm.ts";
import { activate, activateBackward, addBias, addBiasBackward, softmaxRows, softmaxRowsBackwardAdd, type Activation } from "../src/tensor/ops.ts";
import { Rng } from "../src/rand.ts";

test("reference GEMM equals a naive triple loop in all four transpose modes, with offsets and accumulate", () => {
  const rng = new Rng(2);
  for (const [M, N, K] of [[1, 1, 1], [3, 5, 7], [8, 1, 9], [6, 4, 1]]) {
    for (const tA of [false, true]) for (const tB of [false, true]) for (const acc of [false, true]) {
      const aOff = 3, bOff = 2, cOff = 1;
      const A = new Float64Array(aOff + M * K).map(() => rng.normal());
      const B = new Float64Array(bOff + K * N).map(() => rng.normal());
      const C = new Float64Array(cOff + M * N).map(() => rng.normal());
      const want = C.slice();
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[aOff + (tA ? k * M + i : i * K + k)] * B[bOff + (tB ? j * K + k : k * N + j)];
        want[cOff + i * N + j] = (acc ? C[cOff + i * N + j] : 0) + s;
      }
      gemmReference(tA, tB, M, N, K, A, aOff, B, bOff, C, cOff, acc);
      // Index 0 (before cOff) must be untouched: want[0] is C's original value there.
      for (let i = 0; i < C.length; i++) assert.ok(Math.abs(C[i] - want[i]) < 1e-12, `M${M} N${N} K${K} tA${tA} tB${tB} acc${acc} at ${i}`);
    }
  }
});

test("activation backward (from the output) matches central differences for tanh, sigmoid, relu, linear", () => {
  const rng = new Rng(3);
  for (const act of ["tanh", "sigmoid", "relu", "linear"] as Activation[]) {
    const x = new Float64Array(50).map(() => rng.normal() * 3 + 0.01), y = new Float64Array(50), g = new Float64Array(50);
    const dy = new Float64Array(50).map(() => rng.normal());
    activate(act, x, y, 0, 50);
    activateBackward(act, y, 0, dy, 0, g, 0, 50);
    for (let i = 0; i < 50; i++) {
      const f = (v: number) => { const a = Float64Array.of(v), b = new Float64Array(1); activate(act, a, b, 0, 1); return b[0]; };
      const n = (f(x[i] + 1e-6) - f(x[i] - 1e-6)) / 2e-6 * dy[i];
      assert.ok(Math.abs(n - g[i]) < 1e-6 * (1 + Math.abs(n)), `${act} at x=${x[i]}: ${g[i]} vs ${n}`);
    }
  }
});

test("softmax backward matches central differences of Σ dy·softmax(x)", () => {
  const rng = new Rng(4);
  const R = 3, n = 5;
  const x = new Float64Array(R * n).map(() => rng.normal() * 2), y = new Float64Array(R * n), dy = new Float64Array(R * n).map(() => rng.normal());
  softmaxRows(x, y, 0, R, n);
  for (let r = 0; r < R; r++) { let s = 0; for (let j = 0; j < n; j++) s += y[r * n + j]; assert.ok(Math.abs(s - 1) < 1e-12); }
  const dx = new Float64Array(R * n);
  softmaxRowsBackwardAdd(y, 0, dy, 0, dx, 0, R, n);
  const L = (v: Float64Array) => { const o = new Float64Array(R * n); softmaxRows(v, o, 0, R, n); return o.reduce((s, val, i) => s + val * dy[i], 0); };
  for (let i = 0; i < R * n; i++) {
    const p = x.slice(), m = x.slice(); p[i] += 1e-6; m[i] -= 1e-6;
    const num = (L(p) - L(m)) / 2e-6;
    assert.ok(Math.abs(num - dx[i]) < 1e-8, `${i}: ${dx[i]} vs ${num}`);
  }
});

test("bias add and its backward (column sums) agree with their definitions", () => {
  const x = new Float64Array([1, 2, 3, 4, 5, 6]), b = new Float64Array([10, 20, 30]);
  addBias(x, 0, 2, b, 3);
  assert.deepEqual(Array.from(x), [11, 22, 33, 14, 25, 36]);
  const db = new Float64Array([1, 1, 1]);
  addBiasBackward(db, new Float64Array([1, 2, 3, 4, 5, 6]), 0, 2, 3);
  assert.deepEqual(Array.from(db), [6, 8, 10]);   // adds, never assigns
});

test("decodeBase64 equals Node's decoder on every length and byte value, and refuses other characters", async () => {
  const { decodeBase64 } = await import("../src/tensor/wasm/compile.ts");
  const rng = new Rng(3);
  for (let n = 0; n < 70; n++) {
    const bytes = Uint8Array.from({ length: n }, () => Math.floor(rng.uniform() * 256));
    const text = Buffer.from(bytes).toString("base64");
    assert.deepEqual(Array.from(decodeBase64(text)), Array.from(bytes), `length ${n}`);
  }
  assert.throws(() => decodeBase64("QUJD!"), /character "!" at 4 is not base64/);
});
