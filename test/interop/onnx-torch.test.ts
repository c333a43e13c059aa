// ONNX export proven against PyTorch: each torch fixture's weights (PyTorch layout) go through
// the ONNX graph builder (gate permutation, stacked layers, Linear head), and onnxruntime-node
// runs the one file on both of the fixture's inputs (different T and B: dynamic dims). Outputs
// and final states must match PyTorch's float64 values within 1e-5 (relative to scale).
// Bidirectional fixtures (the *_reverse tensors) export as direction="bidirectional" nodes; their
// outputs (T, B, 2H) and states (L·2, B, H) are PyTorch's layout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { encodeRnnModel, type OnnxRnnSpec } from "../../src/formats/onnx/rnn-graph.ts";
import { loadTorchFixtures, relError, type TorchFixture } from "./torch-fixture.ts";

const ort = createRequire(import.meta.url)("onnxruntime-node") as typeof import("onnxruntime-node");

function specFrom(fx: TorchFixture): OnnxRnnSpec {
  const w = fx.weights;
  const dir = (n: string) => ({
    weight_ih: w[`weight_ih${n}`]!.data, weight_hh: w[`weight_hh${n}`]!.data,
    bias_ih: w[`bias_ih${n}`]!.data, bias_hh: w[`bias_hh${n}`]!.data,
  });
  const layers = Array.from({ length: fx.num_layers }, (_, l) => ({
    ...dir(`_l${l}`), ...(fx.bidirectional ? { reverse: dir(`_l${l}_reverse`) } : {}),
  }));
  return {
    cell: fx.cell, nonlinearity: fx.nonlinearity ?? undefined,
    inputSize: fx.input_size, hiddenSize: fx.hidden_size, layers, initialState: true,
    head: fx.head_size ? { weight: w["head.weight"]!.data, bias: w["head.bias"]!.data, outputSize: fx.head_size } : undefined,
  };
}

// Packed (padded) runs are for the masked forward; the ONNX export has no masks.
for (const fx of loadTorchFixtures().filter((f) => !f.runs.some((r) => r.lengths))) {
  test(`onnx export of ${fx.name} runs in onnxruntime and matches PyTorch within 1e-5 for two lengths`, async (t) => {
    let worst = 0;
    const session = await ort.InferenceSession.create(encodeRnnModel(specFrom(fx)));
    assert.equal(fx.runs.length >= 2 && fx.runs[0]!.T !== fx.runs[1]!.T, true);
    for (const run of fx.runs) {
      const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
        x: new ort.Tensor("float32", Float32Array.from(run.x.data), run.x.shape),
        h0: new ort.Tensor("float32", Float32Array.from(run.h0.data), run.h0.shape),
      };
      if (run.c0) feeds.c0 = new ort.Tensor("float32", Float32Array.from(run.c0.data), run.c0.shape);
      const res = await session.run(feeds);
      const ref = run.f64;
      assert.deepEqual([...res.y!.dims], ref.out.shape);
      const errs = { y: relError(res.y!.data as Float32Array, ref.out.data), h_n: relError(res.h_n!.data as Float32Array, ref.h_n.data) };
      if (ref.c_n) Object.assign(errs, { c_n: relError(res.c_n!.data as Float32Array, ref.c_n.data) });
      if (fx.bidirectional && fx.head_size) {
        // y_summary (B, O): the head over PyTorch's h_n rows 2L − 2 and 2L − 1 (its classifier readout).
        const H = fx.hidden_size, O = fx.head_size, L = fx.num_layers, B = run.B, W = fx.weights["head.weight"]!.data, bias = fx.weights["head.bias"]!.data;
        const hn = ref.h_n.data, want = new Float64Array(B * O);
        for (let b = 0; b < B; b++) for (let o = 0; o < O; o++) {
          let v = bias[o]!;
          for (let j = 0; j < H; j++) v += W[o * 2 * H + j]! * hn[((2 * L - 2) * B + b) * H + j]! + W[o * 2 * H + H + j]! * hn[((2 * L - 1) * B + b) * H + j]!;
          want[b * O + o] = v;
        }
        assert.deepEqual([...res.y_summary!.dims], [B, O]);
        Object.assign(errs, { y_summary: relError(res.y_summary!.data as Float32Array, want) });
      }
      for (const [k, e] of Object.entries(errs)) assert.ok(e <= 1e-5, `${fx.name} T=${run.T} B=${run.B} ${k}: rel. error ${e}`);
      worst = Math.max(worst, ...Object.values(errs));
    }
    t.diagnostic(`onnxruntime vs PyTorch f64: worst rel. error ${worst.toExponential(2)}`);
  });
}

test("the onnx comparison can fail: an LSTM with PyTorch's gate order left unpermuted is far off", async () => {
  const fx = loadTorchFixtures().find((f) => f.name === "lstm_1l")!;
  const spec = specFrom(fx);
  const H = fx.hidden_size;
  // Swap the f and g blocks of every tensor: what an exporter that forgot the permutation does.
  const swap = (a: ArrayLike<number>): Float32Array => {
    const out = Float32Array.from(a), blk = a.length / 4;
    out.set(Array.from(a).slice(2 * blk, 3 * blk), blk);
    out.set(Array.from(a).slice(blk, 2 * blk), 2 * blk);
    return out;
  };
  const l = spec.layers[0]!;
  spec.layers[0] = { weight_ih: swap(l.weight_ih), weight_hh: swap(l.weight_hh), bias_ih: swap(l.bias_ih), bias_hh: swap(l.bias_hh) };
  const session = await ort.InferenceSession.create(encodeRnnModel(spec));
  const run = fx.runs[0]!;
  const res = await session.run({
    x: new ort.Tensor("float32", Float32Array.from(run.x.data), run.x.shape),
    h0: new ort.Tensor("float32", Float32Array.from(run.h0.data), run.h0.shape),
    c0: new ort.Tensor("float32", Float32Array.from(run.c0!.data), run.c0!.shape),
  });
  assert.equal(H, 4);
  assert.ok(relError(res.y!.data as Float32Array, run.f64.out.data) > 1e-2);
});

test("the bidirectional onnx comparison can fail: the two directions' weights swapped are far off", async () => {
  const fx = loadTorchFixtures().find((f) => f.name === "gru_bidir_1l")!;
  const spec = specFrom(fx);
  const l = spec.layers[0]!;
  spec.layers[0] = { ...l.reverse!, reverse: { weight_ih: l.weight_ih, weight_hh: l.weight_hh, bias_ih: l.bias_ih, bias_hh: l.bias_hh } };
  const session = await ort.InferenceSession.create(encodeRnnModel(spec));
  const run = fx.runs[0]!;
  const res = await session.run({
    x: new ort.Tensor("float32", Float32Array.from(run.x.data), run.x.shape),
    h0: new ort.Tensor("float32", Float32Array.from(run.h0.data), run.h0.shape),
  });
  assert.deepEqual([...res.y!.dims], run.f64.out.shape);
  assert.ok(relError(res.y!.data as Float32Array, run.f64.out.data) > 1e-2);
});
