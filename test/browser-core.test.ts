// The core runs unchanged outside Node: bundled for the browser platform (esbuild fails on any
// Node import), then run in a bare V8 context with only JavaScript's own globals (no process,
// require, Buffer or fs), where it trains a model and agrees with the same run in Node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildSync } from "esbuild";
import { runInNewContext } from "node:vm";
import { Sequence, initialize, Trainer, makeOptimizer, Rng, useFastBackend, useReferenceBackend } from "../src/core.ts";

const script = `
  const { Sequence, initialize, Trainer, makeOptimizer, Rng } = recurrent;
  const rng = new Rng(5);
  const m = new Sequence({ cell: "gru", input: 3, hidden: 8, output: 2 });
  initialize(m, rng, "glorot");
  const tr = new Trainer(m, { loss: "mse", optimizer: makeOptimizer("adam", { lr: 0.01 }), clipNorm: 1 });
  const losses = [];
  const x = new Float32Array(6 * 4 * 3).map(() => rng.normal());
  const y = new Float32Array(6 * 4 * 2).map((_, k) => Math.sin(k));
  for (let i = 0; i < 60; i++) {
    losses.push(tr.trainStep({ x, T: 6, B: 4, targets: y }).loss);
  }
  return { losses, params: Array.from(m.params) };
`;

function bundle(): string {
  const built = buildSync({ entryPoints: ["src/core.ts"], bundle: true, platform: "browser", format: "iife", globalName: "recurrent", write: false, logLevel: "silent" });
  assert.equal(built.errors.length, 0);
  return built.outputFiles[0].text;
}

test("the core bundles for the browser and trains in a bare JavaScript context, equal to Node bit for bit", () => {
  const code = bundle();
  for (const g of ["process", "require", "Buffer"]) assert.equal(runInNewContext(`typeof ${g}`, {}), "undefined");
  const bare = runInNewContext(`${code}\n(function (recurrent) {${script}})(recurrent)`, {}) as { losses: number[]; params: number[] };
  // The same run in Node, on the unbundled sources.
  const result = new Function("recurrent", script)({ Sequence, initialize, Trainer, makeOptimizer, Rng }) as typeof bare;
  assert.ok(bare.losses[59] < bare.losses[0] * 0.5, `loss fell: ${bare.losses[0]} → ${bare.losses[59]}`);
  assert.deepEqual([...bare.params], result.params);   // copied into this realm: vm arrays have their own prototype
});

test("the fast backend (wasm SIMD GEMM and gate kernels) runs in the bare context too, equal to Node's fast backend bit for bit", () => {
  const code = bundle();
  // Only the language's own globals: WebAssembly, SharedArrayBuffer and Atomics are part of it; atob is not.
  assert.equal(runInNewContext("typeof atob", {}), "undefined");
  const fast = `const fb = recurrent.useFastBackend(); const r = (function () {${script}})(); r.heapUsed = fb.heap.used; return r;`;
  const bare = runInNewContext(`${code}\n(function (recurrent) {${fast}})(recurrent)`, {}) as { losses: number[]; params: number[]; heapUsed: number };
  const reference = new Function("recurrent", script)({ Sequence, initialize, Trainer, makeOptimizer, Rng }) as { params: number[] };
  let result: { params: number[] };
  try {
    useFastBackend();
    result = new Function("recurrent", script)({ Sequence, initialize, Trainer, makeOptimizer, Rng }) as typeof bare;
  } finally {
    useReferenceBackend();
  }
  assert.ok(bare.losses[59] < bare.losses[0] * 0.5, `loss fell: ${bare.losses[0]} → ${bare.losses[59]}`);
  assert.ok(bare.heapUsed > 0, "the model lives in wasm memory");
  assert.notDeepEqual([...bare.params], reference.params, "the wasm kernels ran (they round differently from the reference)");
  assert.deepEqual([...bare.params], result.params);
});
