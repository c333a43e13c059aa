// Jordan networks in ONNX (a Scan loop per layer, src/formats/onnx/jordan-graph.ts): the exported
// file runs in onnxruntime and matches the toolkit's forward within 1e-5, batch 3, two
// lengths from one file; one and two layers, several activations, with and without state inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { Sequence } from "../../src/train/sequence.ts";
import type { ModelConfig } from "../../src/model/config.ts";
import { modelToOnnx } from "../../src/formats/onnx/model-export.ts";
import { predictBatchFirst } from "../../src/model/predict.ts";
import { Rng } from "../../src/rand.ts";
import { relError } from "./torch-fixture.ts";

const ort = createRequire(import.meta.url)("onnxruntime-node") as typeof import("onnxruntime-node");

const configs: Array<Partial<ModelConfig>> = [
  { cell: "jordan", input: 3, hidden: 6, output: 4, state: 5, outputActivation: "softmax" },
  { cell: "jordan", input: 2, hidden: 5, output: 3, layers: 2, hiddenActivation: "relu", stateActivation: "sigmoid", outputActivation: "sigmoid" },
  { cell: "jordan", input: 2, hidden: 4, output: 2, outputActivation: "linear", feedback: "teacher" },
];

for (const [n, cfg] of configs.entries()) {
  for (const withState of [false, true]) {
    if (withState && (cfg.layers ?? 1) > 1) continue; // predictBatchFirst takes (L, B, ·) states of one size
    test(`jordan ${JSON.stringify(cfg)} exported as ONNX Scan${withState ? " with state inputs" : ""} matches the toolkit within 1e-5`, async (t) => {
      const rng = new Rng(100 + n);
      const model = new Sequence(cfg, "float32");
      for (let i = 0; i < model.params.length; i++) model.params[i] = rng.range(-0.9, 0.9);
      const session = await ort.InferenceSession.create(modelToOnnx(model, { initialState: withState }));
      const I = model.config.input, S = model.config.state, O = model.config.output;
      let worst = 0;
      for (const T of [6, 1]) {
        const B = 3;
        const x = Float32Array.from({ length: B * T * I }, () => Math.fround(rng.normal()));
        const s0: Record<string, Float32Array> = withState ? { s: Float32Array.from({ length: B * S }, () => Math.fround(rng.normal() * 0.5)), y: Float32Array.from({ length: B * O }, () => Math.fround(rng.uniform())) } : {};
        const want = predictBatchFirst(model, x, B, T, s0);
        const xt = new Float32Array(T * B * I);
        for (let b = 0; b < B; b++) for (let s = 0; s < T; s++) for (let i = 0; i < I; i++) xt[(s * B + b) * I + i] = x[(b * T + s) * I + i]!;
        const feeds: Record<string, InstanceType<typeof ort.Tensor>> = { x: new ort.Tensor("float32", xt, [T, B, I]) };
        if (withState) {
          feeds.s0_l0 = new ort.Tensor("float32", s0.s!, [B, S]);
          feeds.y0_l0 = new ort.Tensor("float32", s0.y!, [B, O]);
        }
        const got = await session.run(feeds);
        const y = got.y!.data as Float32Array, yb = new Float32Array(y.length);
        for (let s = 0; s < T; s++) for (let b = 0; b < B; b++) for (let o = 0; o < O; o++) yb[(b * T + s) * O + o] = y[(s * B + b) * O + o]!;
        const errs = [relError(yb, want.output)];
        const top = model.layers.length - 1;
        if (want.states.s) errs.push(relError(got[`s_n_l${top}`]!.data as Float32Array, want.states.s.data.subarray(top * B * S)));
        // The fed-back y after the last step is the last step's output.
        errs.push(relError(got[`y_n_l${top}`]!.data as Float32Array, want.output.filter((_, i) => Math.floor(i / O) % T === T - 1)));
        errs.forEach((e, i) => assert.ok(e <= 1e-5, `T=${T} check ${["y", "s_n", "y_n"][i]}: rel. error ${e}`));
        worst = Math.max(worst, ...errs);
      }
      t.diagnostic(`onnxruntime (Scan) vs toolkit: worst rel. error ${worst.toExponential(2)}`);
    });
  }
}
