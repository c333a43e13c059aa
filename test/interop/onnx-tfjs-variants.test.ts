// tfjs's default cells (hard-sigmoid gates; GRU with the reset gate before the recurrent
// product) export to ONNX as HardSigmoid(0.2, 0.5) activations and linear_before_reset=0,
// and onnxruntime reproduces the toolkit's forward (which the tfjs fixtures pin to tfjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importTfjsModel } from "../../src/formats/tfjs.ts";
import { onnxSpecOf } from "../../src/formats/onnx/rnn-spec.ts";
import { encodeRnnModel } from "../../src/formats/onnx/rnn-graph.ts";
import { Rng } from "../../src/rand.ts";
import { relError } from "./torch-fixture.ts";

const ort = createRequire(import.meta.url)("onnxruntime-node") as typeof import("onnxruntime-node");
const DIR = join(import.meta.dirname, "..", "fixtures", "tfjs");

for (const name of ["lstm", "gru_reset_before"]) {
  test(`onnx export of tfjs ${name} (hard-sigmoid gates${name.startsWith("gru") ? ", reset before" : ""}) matches the toolkit in onnxruntime for two lengths`, async () => {
    const dir = join(DIR, name);
    const { model } = importTfjsModel(JSON.parse(readFileSync(join(dir, "model.json"), "utf8")), (p) => readFileSync(join(dir, p)), name);
    assert.equal(model.config.gateActivation, "hard_sigmoid");
    const session = await ort.InferenceSession.create(encodeRnnModel(onnxSpecOf(model, { initialState: false })));
    const rng = new Rng(8);
    for (const [T, B] of [[5, 3], [9, 2]]) {
      const I = model.config.input;
      const x = new Float32Array(T * B * I).map(() => rng.normal() * 2);   // large enough to hit the clip
      const ours = model.forward(x, T, B).out.slice();
      const res = await session.run({ x: new ort.Tensor("float32", x, [T, B, I]) });
      const e = relError(res.y!.data as Float32Array, Array.from(ours));
      assert.ok(e <= 1e-5, `${name} T=${T} B=${B}: rel. error ${e}`);
    }
  });
}
