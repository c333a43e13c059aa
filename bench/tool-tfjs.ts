// tfjs with its WebAssembly backend on the same configurations: a tf.layers model
// (SimpleRNN / LSTM / GRU, returnSequences, a time-distributed Dense head) trained with
// trainOnBatch and Adam, or run with predict. glorotUniform everywhere (tfjs's default
// orthogonal initialiser takes minutes at C1 size, BENCHMARKS.md). Batch-major inputs,
// as tfjs wants them.

import type { Batch, Cell, Config, Mode } from "./configs.ts";

export async function tfjsStep(c: Config, cell: Cell, mode: Mode, batch: Batch): Promise<() => Promise<unknown>> {
  const tf = await import("@tensorflow/tfjs");
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const { fileURLToPath } = await import("node:url");
  wasm.setWasmPaths(fileURLToPath(new URL("../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url)));
  await tf.setBackend("wasm");
  await tf.ready();
  const { T, B } = c;
  const init = { kernelInitializer: "glorotUniform", recurrentInitializer: "glorotUniform" } as const;
  const model = tf.sequential();
  for (let l = 0; l < c.layers; l++) {
    const args = { units: c.hidden, returnSequences: true, ...init, ...(l === 0 ? { inputShape: [T, c.input] } : {}) };
    model.add(cell === "lstm" ? tf.layers.lstm(args) : cell === "gru" ? tf.layers.gru(args) : tf.layers.simpleRNN(args));
  }
  if (c.output > 0) {
    model.add(tf.layers.timeDistributed({
      layer: tf.layers.dense({ units: c.output, activation: c.loss === "ce" ? "softmax" : "linear", kernelInitializer: "glorotUniform" }),
    }));
  }
  model.compile({ optimizer: tf.train.adam(1e-3), loss: c.loss === "ce" ? "categoricalCrossentropy" : "meanSquaredError" });
  // Time-major (T, B, ·) → batch-major (B, T, ·).
  const toBatchMajor = (v: Float32Array, w: number) => {
    const out = new Float32Array(v.length);
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) out.set(v.subarray((t * B + b) * w, (t * B + b + 1) * w), (b * T + t) * w);
    return out;
  };
  const x = tf.tensor3d(toBatchMajor(batch.x, c.input), [B, T, c.input]);
  const O = c.output > 0 ? c.output : c.hidden;
  let y;
  if (c.loss === "ce") {
    const oh = new Float32Array(T * B * O);
    for (let n = 0; n < T * B; n++) oh[n * O + batch.classes[n]] = 1;
    y = tf.tensor3d(toBatchMajor(oh, O), [B, T, O]);
  } else {
    y = tf.tensor3d(toBatchMajor(batch.values, O), [B, T, O]);
  }
  if (mode === "infer") {
    return async () => { const p = model.predict(x) as import("@tensorflow/tfjs").Tensor; await p.data(); p.dispose(); };
  }
  return async () => model.trainOnBatch(x, y);
}
