// onnxruntime-node (CPU) on the same networks, inference only: the model of tool-recurrent.ts
// exported by our own ONNX exporter (modelToOnnx: opset 17 RNN/LSTM/GRU ops, the head as
// MatMul + Add, states starting at zero as `recurrent export --onnx` writes it) and run by an
// InferenceSession with `threads` intra-op threads on the whole (T, B, I) batch, as our
// inference measurement runs it. It is the inference engine a JavaScript user would reach
// for, so it is the second inference anchor beside PyTorch.

import { createRequire } from "node:module";
import { modelToOnnx } from "../src/index.ts";
import { benchModel } from "./tool-recurrent.ts";
import type { Batch, Cell, Config } from "./configs.ts";

type Ort = typeof import("onnxruntime-node");

export async function onnxStep(c: Config, cell: Cell, threads: number, batch: Batch): Promise<{ step: () => Promise<unknown>; version: string }> {
  // onnxruntime-node is CommonJS with a native binding: require it as the interop tests do.
  const ort = createRequire(import.meta.url)("onnxruntime-node") as Ort;
  const session = await ort.InferenceSession.create(modelToOnnx(benchModel(c, cell), { initialState: false }), {
    executionProviders: ["cpu"], intraOpNumThreads: threads, interOpNumThreads: 1,
    executionMode: "sequential", graphOptimizationLevel: "all", logSeverityLevel: 3,   // warnings off: one per session
  });
  const feeds = { x: new ort.Tensor("float32", Float32Array.from(batch.x), [c.T, c.B, c.input]) };
  return { step: () => session.run(feeds), version: `onnxruntime-node ${ort.env.versions.node ?? "?"}, cpu` };
}
