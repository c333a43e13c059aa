// A child process for test/train/determinism.test.ts: trains a small two-layer LSTM language
// model on the WebAssembly backend (state carried across batches, as the CLI's language
// models do), optionally forcing a garbage collection and churning the heap (arrays filled
// with 7 and dropped) before every step, and prints a SHA-256 of the weights and optimiser
// state, with how many GEMM chunks the worker threads computed.
// Usage: node --expose-gc --import tsx test/helpers/determinism-child.ts THREADS gc|nogc
import { createHash } from "node:crypto";
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { Rng } from "../../src/rand.ts";
import { zeros, type Vec } from "../../src/tensor/types.ts";
import { useFastBackend } from "../../src/tensor/fast.ts";
import { allowRelaxedSimd, compileWasmEagerly, threadsReady, useFastBackendNode } from "../../src/node/threads.ts";

const threads = Number(process.argv[2]);
const collect = process.argv[3] === "gc";
const gc = (globalThis as { gc?: () => void }).gc;
if (collect && !gc) throw new Error("run with --expose-gc");

compileWasmEagerly();
allowRelaxedSimd();   // the same kernels (FMA where this Node runs relaxed SIMD) with 1 thread as with 2
const fb = threads > 1 ? useFastBackendNode({ threads }) : useFastBackend();
if (threads > 1) await threadsReady(fb);

const V = 24, H = 128, T = 32, B = 32, STEPS = 20;
const rng = new Rng(11);
const model = new Sequence({ cell: "lstm", input: V, hidden: H, layers: 2, output: V, outputActivation: "softmax" });
initialize(model, rng, "pytorch");
const trainer = new Trainer(model, { loss: "ce", optimizer: makeOptimizer("adam", { lr: 3e-3 }), clipNorm: 5 });
let state: Vec[][] | null = null;
for (let s = 0; s < STEPS; s++) {
  // The batch's one-hot inputs in a zero-filled block a little larger each step, so that no
  // hole left by earlier steps fits it and it comes from the top of the heap: where, with
  // collections, a block filled with 7s was just freed (the stale-memory bug of issue 11).
  const n = T * B * V + 64 * s;
  if (collect) {
    (zeros(n + 4096, "float32") as Float32Array).fill(7);
    for (let k = 0; k < 3; k++) {
      gc!();
      await new Promise((r) => setTimeout(r, 0));  // let finalizers return the blocks to the heap
    }
  }
  const x = zeros(n, "float32").subarray(0, T * B * V), targets = new Int32Array(T * B);
  for (let i = 0; i < T * B; i++) { x[i * V + rng.int(V)] = 1; targets[i] = rng.int(V); }
  state = trainer.trainStep({ x, T, B, targets }, state).state;
}
const hash = createHash("sha256");
hash.update(new Uint8Array(model.params.buffer, model.params.byteOffset, model.params.byteLength));
for (const v of Object.values(trainer.opts.optimizer.state().tensors)) hash.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
process.stdout.write(JSON.stringify({ hash: hash.digest("hex"), chunksByWorkers: fb.chunksByWorkers() }) + "\n");
fb.stop();
