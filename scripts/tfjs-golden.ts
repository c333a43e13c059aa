// Golden values from TensorFlow.js (tfjs-layers) for the `import --from tfjs` parity tests.
// Builds SimpleRNN, LSTM, GRU (resetAfter false and true) and a stacked LSTM→LSTM→Dense model
// with seeded weights (the toolkit's Rng), saves each as tfjs "layers-model" files (model.json
// with its weightsManifest + weights.bin, written here through tf.io.withSaveHandler) and the
// model's outputs on two fixed inputs of different lengths (expected.json), into
// test/fixtures/tfjs/<case>/. Also writes a model with an unsupported layer (Conv1D) for the
// importer's bad-input test. Not run by the tests; CI reads the committed files.
//
// GRU with reset_after=true (Keras 2's default, found in converted Keras models): tfjs-layers
// 4.22 refuses to build it ("GRUCell does not support reset_after parameter set to true"),
// so that fixture's model.json is the reset_after=false topology with reset_after=true and a
// (2, 3H) bias, and its expected outputs come from `kerasGru` below, a plain float64 transcription
// of Keras's GRU equations. The same function in reset_after=false mode must reproduce tfjs's
// own GRU outputs within 1e-5 first, which pins down kernel layout, gate order z,r,h and
// hard_sigmoid (tfjs: clip(0.2x + 0.5, 0, 1)).
//
// Regenerate:  node --import tsx scripts/tfjs-golden.ts [OUT_DIR]
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { Rng } from "../src/rand.ts";
import { writeFileAtomic } from "../src/node/files.ts";

const OUT = process.argv[2] ?? join(import.meta.dirname, "..", "test", "fixtures", "tfjs");

interface Case {
  name: string;
  inputSize: number;
  build: (input: tf.SymbolicTensor) => tf.SymbolicTensor | tf.SymbolicTensor[];
  /** Batch-first input shapes (B, T): two different lengths. */
  runs: Array<[number, number]>;
}

const rnnOpts = { returnSequences: true, returnState: true };
const CASES: Case[] = [
  { name: "simple_rnn", inputSize: 3, runs: [[3, 5], [2, 2]],
    build: (x) => tf.layers.simpleRNN({ units: 4, ...rnnOpts }).apply(x) as tf.SymbolicTensor[] },
  { name: "lstm", inputSize: 3, runs: [[3, 5], [2, 2]],
    build: (x) => tf.layers.lstm({ units: 4, ...rnnOpts }).apply(x) as tf.SymbolicTensor[] },
  { name: "gru_reset_before", inputSize: 3, runs: [[3, 5], [2, 2]],
    // resetAfter defaults to false (true is refused by tfjs; see the top comment).
    build: (x) => tf.layers.gru({ units: 4, ...rnnOpts }).apply(x) as tf.SymbolicTensor[] },
  // The toolkit's LSTM/GRU use the logistic sigmoid on their gates (PyTorch's), so these
  // fixtures with recurrentActivation "sigmoid" are the ones it can reproduce exactly.
  { name: "lstm_sigmoid", inputSize: 3, runs: [[3, 5], [2, 2]],
    build: (x) => tf.layers.lstm({ units: 4, recurrentActivation: "sigmoid", ...rnnOpts }).apply(x) as tf.SymbolicTensor[] },
  { name: "simple_rnn_relu", inputSize: 3, runs: [[3, 5], [2, 2]],
    build: (x) => tf.layers.simpleRNN({ units: 4, activation: "relu", ...rnnOpts }).apply(x) as tf.SymbolicTensor[] },
  { name: "lstm_stack_dense", inputSize: 4, runs: [[2, 6], [4, 3]],
    build: (x) => {
      const h1 = tf.layers.lstm({ units: 5, recurrentActivation: "sigmoid", returnSequences: true }).apply(x) as tf.SymbolicTensor;
      const h2 = tf.layers.lstm({ units: 5, recurrentActivation: "sigmoid", returnSequences: true }).apply(h1) as tf.SymbolicTensor;
      return tf.layers.dense({ units: 2, activation: "softmax" }).apply(h2) as tf.SymbolicTensor;
    } },
  { name: "unsupported_conv1d", inputSize: 3, runs: [],
    build: (x) => tf.layers.conv1d({ filters: 2, kernelSize: 2 }).apply(x) as tf.SymbolicTensor },
];

const flat = (t: tf.Tensor) => ({ shape: t.shape, data: Array.from(t.dataSync()) });

function concat(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  const parts = Array.isArray(data) ? data : [data];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let off = 0;
  for (const p of parts) { out.set(new Uint8Array(p), off); off += p.byteLength; }
  return out;
}

/**
 * Keras GRU over a batch-first sequence, float64. kernel (I, 3H), recurrent (H, 3H), blocks
 * z|r|h; bias (3H) or, with resetAfter, (2, 3H) = [input bias; recurrent bias].
 * Returns the sequence (B, T, H) and the final state (B, H), flat.
 */
function kerasGru(x: ArrayLike<number>, B: number, T: number, I: number, H: number, kernel: ArrayLike<number>,
  recurrent: ArrayLike<number>, bias: ArrayLike<number>, resetAfter: boolean, hard = true): { seq: number[]; h: number[] } {
  const hs = hard ? (v: number) => Math.min(1, Math.max(0, 0.2 * v + 0.5)) : (v: number) => 1 / (1 + Math.exp(-v));
  const G = 3 * H;
  const seq = new Array<number>(B * T * H).fill(0);
  const hAll = new Array<number>(B * H).fill(0);
  for (let b = 0; b < B; b++) {
    let h = new Array<number>(H).fill(0);
    for (let t = 0; t < T; t++) {
      const xi = (k: number) => { let s = bias[k]!; for (let i = 0; i < I; i++) s += x[(b * T + t) * I + i]! * kernel[i * G + k]!; return s; };
      const hr = (k: number, v: number[]) => { let s = resetAfter ? bias[G + k]! : 0; for (let j = 0; j < H; j++) s += v[j]! * recurrent[j * G + k]!; return s; };
      const z = h.map((_, u) => hs(xi(u) + hr(u, h)));
      const r = h.map((_, u) => hs(xi(H + u) + hr(H + u, h)));
      const rh = h.map((v, u) => r[u]! * v);
      const cand = h.map((_, u) => Math.tanh(resetAfter ? xi(2 * H + u) + r[u]! * hr(2 * H + u, h) : xi(2 * H + u) + hr(2 * H + u, rh)));
      h = h.map((v, u) => z[u]! * v + (1 - z[u]!) * cand[u]!);
      for (let u = 0; u < H; u++) seq[(b * T + t) * H + u] = h[u]!;
    }
    for (let u = 0; u < H; u++) hAll[b * H + u] = h[u]!;
  }
  return { seq, h: hAll };
}

/** The reset_after=true fixture (see the top comment): tfjs cannot build this model itself. */
function writeResetAfterGru(dir: string, beforeDir: string, rng: Rng, hard: boolean): void {
  const I = 3, H = 4, G = 3 * H;
  const before = JSON.parse(readFileSync(join(beforeDir, "model.json"), "utf8"));
  const beforeExpected = JSON.parse(readFileSync(join(beforeDir, "expected.json"), "utf8"));
  const bSpec = before.weightsManifest[0].weights[2];
  const w = new Float32Array(Uint8Array.from(readFileSync(join(beforeDir, "weights.bin"))).buffer); // copy: Buffers may be pool views
  // Check the reference against tfjs on the reset_after=false model first.
  for (const run of beforeExpected.runs) {
    const ref = kerasGru(run.x.data, run.B, run.T, I, H, w.subarray(0, I * G), w.subarray(I * G, I * G + H * G), w.subarray(I * G + H * G), false);
    const diff = Math.max(...ref.seq.map((v, i) => Math.abs(v - run.outputs[0].data[i])));
    if (!(diff < 1e-5)) throw new Error(`keras GRU reference disagrees with tfjs (reset_after=false) by ${diff}`);
    console.log(`kerasGru reference vs tfjs GRU (reset_after=false, B=${run.B} T=${run.T}): max abs diff ${diff.toExponential(2)}`);
  }
  const gru = before.modelTopology.config.layers.find((l: { class_name: string }) => l.class_name === "GRU");
  gru.config.reset_after = true;
  if (!hard) gru.config.recurrent_activation = "sigmoid";
  before.modelTopology.config.name = hard ? "gru_reset_after" : "gru_reset_after_sigmoid";
  bSpec.shape = [2, G];
  const kernel = Float32Array.from({ length: I * G }, () => rng.range(-0.8, 0.8));
  const recurrent = Float32Array.from({ length: H * G }, () => rng.range(-0.8, 0.8));
  const bias = Float32Array.from({ length: 2 * G }, () => rng.range(-0.8, 0.8));
  const bin = new Float32Array([...kernel, ...recurrent, ...bias]);
  writeFileAtomic(join(dir, "weights.bin"), new Uint8Array(bin.buffer));
  writeFileAtomic(join(dir, "model.json"), JSON.stringify(before, null, 1));
  const runs = beforeExpected.runs.map((r: { B: number; T: number }) => {
    const x = Array.from({ length: r.B * r.T * I }, () => Math.fround(rng.normal()));
    const ref = kerasGru(x, r.B, r.T, I, H, kernel, recurrent, bias, true, hard);
    return { B: r.B, T: r.T, x: { shape: [r.B, r.T, I], data: x },
      outputs: [{ shape: [r.B, r.T, H], data: ref.seq }, { shape: [r.B, H], data: ref.h }] };
  });
  writeFileAtomic(join(dir, "expected.json"), JSON.stringify({
    generator: "scripts/tfjs-golden.ts (kerasGru float64 reference; tfjs cannot run reset_after=true)",
    tfjs: tf.version.tfjs, layout: "batch-first (B, T, .) as tfjs", outputs: ["sequence", "state"], runs,
  }));
  console.log(`wrote ${dir}`);
}

async function main(): Promise<void> {
  await tf.setBackend("cpu");
  for (const [k, c] of CASES.entries()) {
    const rng = new Rng(2000 + k);
    const input = tf.input({ shape: [null, c.inputSize], name: "x" });
    const model = tf.model({ inputs: input, outputs: c.build(input), name: c.name });
    // Seeded weights, wide enough that gates leave their linear (and hardSigmoid's flat) region.
    model.setWeights(model.getWeights().map((w) =>
      tf.tensor(Array.from({ length: w.size }, () => rng.range(-0.8, 0.8)), w.shape)));
    const dir = join(OUT, c.name);
    await model.save(tf.io.withSaveHandler(async (art) => {
      const modelJson = {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: art.modelTopology,
        weightsManifest: [{ paths: ["weights.bin"], weights: art.weightSpecs }],
      };
      writeFileAtomic(join(dir, "weights.bin"), concat(art.weightData!));
      writeFileAtomic(join(dir, "model.json"), JSON.stringify(modelJson, null, 1));
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON" } };
    }));
    if (c.runs.length === 0) { console.log(`wrote ${dir} (model only)`); continue; }
    const runs = c.runs.map(([B, T]) => {
      const x = tf.tensor(Array.from({ length: B * T * c.inputSize }, () => Math.fround(rng.normal())), [B, T, c.inputSize]);
      const ys = model.predict(x);
      const outs = (Array.isArray(ys) ? ys : [ys]).map(flat);
      return { B, T, x: flat(x), outputs: outs };
    });
    writeFileAtomic(join(dir, "expected.json"), JSON.stringify({
      generator: "scripts/tfjs-golden.ts", tfjs: tf.version.tfjs, layout: "batch-first (B, T, .) as tfjs",
      outputs: model.outputs.map((o) => o.name), runs,
    }));
    console.log(`wrote ${dir}`);
  }
  writeResetAfterGru(join(OUT, "gru_reset_after"), join(OUT, "gru_reset_before"), new Rng(2999), true);
  writeResetAfterGru(join(OUT, "gru_reset_after_sigmoid"), join(OUT, "gru_reset_before"), new Rng(2998), false);
}

await main();
