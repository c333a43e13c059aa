// Worker threads through a whole model: an LSTM's outputs and every gradient are the same
// bits with the GEMMs split over two threads as on one (threads split C's columns, which
// changes no element's arithmetic). The hand-off threshold is forced to 0 so that even
// these small GEMMs are split.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Sequence } from "../../src/model/sequence.ts";
import { lossAndGrad } from "../../src/train/loss.ts";
import { useFastBackend, useReferenceBackend } from "../../src/tensor/fast.ts";
import { spawnNode, threadsReady } from "../../src/io/threads-node.ts";
import { Rng } from "../../src/rand.ts";

function run(): { out: Float32Array; grads: Float32Array } {
  const rng = new Rng(5);
  const m = new Sequence({ cell: "lstm", input: 11, hidden: 40, layers: 2, output: 7 });
  for (let i = 0; i < m.params.length; i++) m.params[i] = (rng.uniform() - 0.5) * 0.4;
  const T = 6, B = 9, O = m.outputSize;
  const x = new Float32Array(T * B * 11).map(() => rng.normal());
  const y = new Float32Array(T * B * O).map(() => rng.normal());
  const { out } = m.forward(x, T, B);
  const d = new Float32Array(T * B * O);
  lossAndGrad("mse", out, T * B, O, y, null, d);
  m.backward(d);
  return { out: Float32Array.from(out), grads: Float32Array.from(m.grads) };
}

test("an LSTM gives the same bits with its GEMMs split over two threads as on one", async () => {
  try {
    useFastBackend();
    const one = run();
    const fb = useFastBackend({ threads: 2, spawn: spawnNode, threadMinFlops: 0 });
    assert.ok(await threadsReady(fb), "worker did not start");
    // Repeat until the worker has computed some chunks (it depends on scheduling).
    const until = Date.now() + 4000;
    do {
      const two = run();
      assert.deepEqual(two.out, one.out);
      assert.deepEqual(two.grads, one.grads);
    } while (fb.chunksByWorkers() === 0 && Date.now() < until);
    assert.ok(fb.chunksByWorkers() > 0, "the worker never computed a chunk");
    assert.ok(one.grads.some((g) => g !== 0), "gradients were computed");
  } finally {
    useReferenceBackend();
  }
});
