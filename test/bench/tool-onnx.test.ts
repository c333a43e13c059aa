// The onnxruntime anchor runs the benchmark's shapes: bench/tool-onnx.ts's step, as the bench
// times it, is fed (T, B, I) and returns y (T, B, O) equal to our own forward of the same model.
// Asked because its C1 LSTM rate implied some 400 GFLOP/s on two cores (docs/performance.md's
// note on it): the rate is real (AVX-512 kernels), not a smaller problem.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CONFIGS, makeBatch } from "../../bench/configs.ts";
import { onnxStep } from "../../bench/tool-onnx.ts";
import { benchModel } from "../../bench/tool-recurrent.ts";

test("bench/tool-onnx.ts runs C1 LSTM on (64, 32, 65) and returns our forward's (64, 32, 65) outputs", async () => {
  const c = CONFIGS.find((x) => x.name === "C1")!, batch = makeBatch(c);
  const { step } = await onnxStep(c, "lstm", 1, batch);
  const out = (await step()) as Record<string, { dims: readonly number[]; data: Float32Array }>;
  assert.deepEqual([...out.y.dims], [c.T, c.B, c.output]);
  assert.deepEqual([...out.h_n.dims], [1, c.B, c.hidden]);
  const ours = benchModel(c, "lstm").forward(Float32Array.from(batch.x), c.T, c.B, { inference: true }).out;
  assert.equal(out.y.data.length, ours.length);
  let worst = 0;
  for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - out.y.data[i]));
  assert.ok(worst < 1e-5, `max |ours − onnxruntime| = ${worst}`);
});
