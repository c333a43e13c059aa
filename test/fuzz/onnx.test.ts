// Property test of the ONNX export (src/formats/onnx/): random small models (Elman, Jordan, LSTM,
// GRU; 1-2 layers; with or without a head; the activations, gate activations and GRU reset
// placements the toolkit allows) with random weights are exported, run in onnxruntime-node
// on random inputs of random length and batch, and give the toolkit's own outputs within
// 1e-4 relative to scale; what ONNX cannot express is refused in one line. Fixed seed, 100
// models (each builds an onnxruntime session: the slow part). Not here: PyTorch and tfjs
// parity (test/interop/onnx-*.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import fc from "fast-check";
import { modelToOnnx } from "../../src/formats/onnx/model-export.ts";
import { Sequence } from "../../src/train/sequence.ts";
import type { ModelConfig } from "../../src/model/config.ts";
import { predictBatchFirst } from "../../src/model/predict.ts";
import { relError } from "../interop/torch-fixture.ts";
import { returnsOrRefuses, SEED } from "./helpers.ts";

const ort = createRequire(import.meta.url)("onnxruntime-node") as typeof import("onnxruntime-node");

const config: fc.Arbitrary<Partial<ModelConfig>> = fc.record({
  cell: fc.constantFrom("elman", "jordan", "lstm", "gru") as fc.Arbitrary<ModelConfig["cell"]>,
  input: fc.integer({ min: 1, max: 4 }), hidden: fc.integer({ min: 1, max: 6 }), layers: fc.integer({ min: 1, max: 2 }),
  output: fc.integer({ min: 0, max: 3 }), act: fc.constantFrom("tanh", "sigmoid", "relu"), gate: fc.constantFrom("sigmoid", "hard_sigmoid"),
  resetAfter: fc.boolean(), outputActivation: fc.constantFrom("linear", "softmax", "sigmoid"), feedback: fc.constantFrom("output", "teacher"),
}).map(({ cell, act, gate, resetAfter, feedback, ...c }) => ({
  cell, ...c,
  ...(cell === "jordan" ? { output: Math.max(1, c.output), hiddenActivation: act, stateActivation: act, feedback } : {}) as object,
  ...(cell === "elman" ? { hiddenActivation: act } : {}),
  ...(cell === "lstm" || cell === "gru" ? { gateActivation: gate } : {}),
  ...(cell === "gru" ? { resetAfter } : {}),
} as Partial<ModelConfig>));

test("random models exported to ONNX run in onnxruntime with the toolkit's outputs (1e-4), or are refused in one line", async (t) => {
  let ran = 0, refused = 0;
  await fc.assert(fc.asyncProperty(config, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (cfg, T, B, seed) => {
    const model = new Sequence(cfg);
    let s = seed;
    const rand = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 2 ** 32 - 0.5; };
    model.params.forEach((_, i) => { model.params[i] = rand(); });
    const bytes = returnsOrRefuses(() => modelToOnnx(model, { initialState: false }));
    if (bytes instanceof Error) { refused++; return; }
    ran++;
    const I = model.config.input, O = model.outputSize;
    const x = Float32Array.from({ length: B * T * I }, () => 2 * rand());   // (B, T, I)
    const want = predictBatchFirst(model, x, B, T).output;                  // (B, T, O), after the output activation
    const xt = new Float32Array(T * B * I);                                 // ONNX takes (T, B, I)
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let i = 0; i < I; i++) xt[(t * B + b) * I + i] = x[(b * T + t) * I + i]!;
    const session = await ort.InferenceSession.create(bytes);
    try {
      const got = (await session.run({ x: new ort.Tensor("float32", xt, [T, B, I]) })).y!;
      assert.deepEqual([...got.dims], [T, B, O]);
      const y = got.data as Float32Array, yb = new Float32Array(y.length);
      for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let o = 0; o < O; o++) yb[(b * T + t) * O + o] = y[(t * B + b) * O + o]!;
      const e = relError(yb, want);
      assert.ok(e <= 1e-4, `${JSON.stringify(cfg)} T=${T} B=${B}: rel. error ${e}`);
    } finally { await session.release(); }
  }), { seed: SEED, numRuns: 100 });
  t.diagnostic(`${ran} models compared in onnxruntime, ${refused} refused`);
  assert.ok(ran >= 60, "most random models export");
});
