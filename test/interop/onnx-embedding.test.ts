// A model with an embedding exports to ONNX as Gather(embedding.weight, int64 tokens (T, B))
// before the recurrent layers; onnxruntime reproduces the toolkit's forward for two lengths.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { modelToOnnx } from "../../src/formats/onnx/model-export.ts";
import { Rng } from "../../src/rand.ts";
import { relError } from "./torch-fixture.ts";

const ort = createRequire(import.meta.url)("onnxruntime-node") as typeof import("onnxruntime-node");

for (const [cell, bidirectional] of [["elman", false], ["lstm", false], ["gru", false], ["lstm", true]] as const) {
  test(`onnx export of a ${cell}${bidirectional ? " (bidirectional, trained with dropout)" : ""} with an embedding matches the toolkit in onnxruntime for two lengths`, async () => {
    const rng = new Rng(4);
    const V = 11;
    const model = new Sequence({ cell, input: V, embedding: 5, hidden: 7, layers: 2, output: V, ...(bidirectional ? { bidirectional, dropout: 0.5 } : {}) });
    initialize(model, rng, "glorot");
    const session = await ort.InferenceSession.create(modelToOnnx(model, { initialState: false }));
    for (const [T, B] of [[6, 3], [9, 2]]) {
      const ids = Array.from({ length: T * B }, () => rng.int(V));
      const ours = model.forward(model.tokenInput(ids), T, B).out.slice();
      const res = await session.run({ tokens: new ort.Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [T, B]) });
      const e = relError(res.y!.data as Float32Array, Array.from(ours));
      assert.ok(e <= 1e-5, `${cell} T=${T} B=${B}: rel. error ${e}`);
    }
  });
}

test("a Jordan network with an embedding is refused by the ONNX export with one line", () => {
  const model = new Sequence({ cell: "jordan", input: 5, embedding: 3, hidden: 4, output: 5 });
  assert.throws(() => modelToOnnx(model), /export --onnx: a Jordan network with an embedding/);
});
