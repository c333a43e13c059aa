// Worker threads through whole models: outputs and every gradient are the same bits with the
// work split over two threads as on one, both ways the fast backend splits it: each step's
// GEMMs by columns of C (big recurrent weights), and a layer's whole time loop by batch rows
// (small ones; wasm/assembly/gates.ts `sequence`). Neither changes any element's arithmetic.
// The hand-off thresholds are forced so that these small models take each path, and the
// per-step loop is compared with the whole-sequence one on one thread.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Sequence } from "../../src/train/sequence.ts";
import { lossAndGrad } from "../../src/train/loss.ts";
import { useFastBackend, useReferenceBackend } from "../../src/tensor/fast.ts";
import { setGateKernels, type GateKernels } from "../../src/tensor/gate-kernels.ts";
import { spawnNode, threadsReady } from "../../src/node/threads.ts";
import { Rng } from "../../src/rand.ts";

type Cell = "elman" | "lstm" | "gru";

function run(cell: Cell): { out: Float32Array; grads: Float32Array; dh0: Float32Array } {
  const rng = new Rng(5);
  // Elman's GEMMs are H columns wide: 72 is above THREAD_MIN_COLUMNS, so they can be split.
  const m = new Sequence({ cell, input: 11, hidden: cell === "elman" ? 72 : 40, layers: 2, output: 7 });
  for (let i = 0; i < m.params.length; i++) m.params[i] = (rng.uniform() - 0.5) * 0.4;
  const T = 6, B = 9, O = m.outputSize;
  const x = new Float32Array(T * B * 11).map(() => rng.normal());
  const y = new Float32Array(T * B * O).map(() => rng.normal());
  const { out } = m.forward(x, T, B);
  const d = new Float32Array(T * B * O);
  lossAndGrad("mse", out, T * B, O, y, null, d);
  const { dState0 } = m.backward(d, m.zeroState(B).map((s) => s.map((v) => v.fill(0.1))));
  return { out: Float32Array.from(out), grads: Float32Array.from(m.grads), dh0: Float32Array.from(dState0[0][0]) };
}

/** The installed kernels, with `sequence` counted (or refused, to force the per-step loop). */
function watch(k: GateKernels, refuse: boolean): { seq: () => number } {
  let n = 0;
  setGateKernels({ ...k, sequence: (...a) => (refuse ? false : (n++, k.sequence(...a))) });
  return { seq: () => n };
}

for (const cell of ["elman", "lstm", "gru"] as const) {
  test(`${cell}: the whole-sequence loop in WebAssembly gives the same bits as the per-step loop (one thread)`, () => {
    try {
      const fb = useFastBackend();
      watch(fb.gates, true);
      const perStep = run(cell);
      const w = watch(fb.gates, false);
      const whole = run(cell);
      assert.ok(w.seq() >= 4, `sequence jobs ran: ${w.seq()}`);
      assert.deepEqual(whole.out, perStep.out);
      assert.deepEqual(whole.grads, perStep.grads);
      assert.deepEqual(whole.dh0, perStep.dh0);
    } finally {
      useReferenceBackend();
    }
  });

  for (const split of ["columns", "rows"] as const) {
    test(`${cell}: the same bits over two threads as on one, split by ${split === "rows" ? "batch rows (whole time loop)" : "GEMM columns (per step)"}`, async () => {
      try {
        useFastBackend();
        const one = run(cell);
        const fb = useFastBackend({
          // rows: no GEMM is split, so every chunk a worker computes is a sequence chunk.
          threads: 2, spawn: spawnNode, threadMinFlops: split === "rows" ? Infinity : 0,
          sequenceSplitMaxWeightBytes: split === "rows" ? Infinity : 0, sequenceSplitMinFlops: 0,
        });
        assert.ok(await threadsReady(fb), "worker did not start");
        const w = watch(fb.gates, false);
        // Repeat until the worker has computed some chunks (it depends on scheduling).
        const until = Date.now() + 4000;
        do {
          const two = run(cell);
          assert.deepEqual(two.out, one.out);
          assert.deepEqual(two.grads, one.grads);
          assert.deepEqual(two.dh0, one.dh0);
        } while (fb.chunksByWorkers() === 0 && Date.now() < until);
        assert.ok(fb.chunksByWorkers() > 0, "the worker never computed a chunk");
        assert.ok(one.grads.some((g) => g !== 0), "gradients were computed");
        assert.ok(w.seq() > 0, "sequence() was asked");
      } finally {
        useReferenceBackend();
      }
    });
  }
}
