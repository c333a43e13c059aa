// The interop commands end to end: `import --from pytorch|tfjs`, `predict --json`,
// `export --onnx|--pytorch`, on the committed fixtures, plus their bad-input contract (one
// line, exit 1, nothing written). Numeric checks go through the same files a user would use.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.ts";
import { runImport } from "../../src/cli/commands/import.ts";
import { runExport } from "../../src/cli/commands/export.ts";
import { runPredict } from "../../src/cli/commands/predict.ts";
import { writeSafetensors, type TensorToWrite } from "../../src/formats/safetensors.ts";
import { Sequence } from "../../src/train/sequence.ts";
import { saveModel, loadModel } from "../../src/node/model-dir.ts";
import { predictBatchFirst } from "../../src/model/predict.ts";
import { loadTorchFixtures, relError, type FixtureTensor, type TorchFixture } from "./torch-fixture.ts";
import { Rng } from "../../src/rand.ts";

const ort = createRequire(import.meta.url)("onnxruntime-node") as typeof import("onnxruntime-node");
const tmp = mkdtempSync(join(tmpdir(), "recurrent-interop-"));
const fixtures = loadTorchFixtures();
const fixture = (name: string) => fixtures.find((f) => f.name === name)!;
const quiet = <T>(f: () => T): T => { // the commands report on stdout; keep the test log clean
  const w = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try { return f(); } finally { process.stdout.write = w; }
};

/** The fixture's state_dict as a safetensors file, RNN keys under `prefix`. */
function stateDictFile(fx: TorchFixture, prefix: string, edit?: (t: Record<string, TensorToWrite>) => void): string {
  const t: Record<string, TensorToWrite> = {};
  for (const [k, v] of Object.entries(fx.weights)) t[k.startsWith("head.") ? k : prefix + k] = { shape: v.shape, data: Float32Array.from(v.data) };
  edit?.(t);
  const path = join(tmp, `${fx.name}-${Math.random().toString(36).slice(2)}.safetensors`);
  writeFileSync(path, writeSafetensors(t));
  return path;
}

/** Time-major (T, B, n) → batch-first nested B × T × n; (L, B, n) → nested L × B × n. */
const batchFirst = (t: FixtureTensor) => {
  const [T, B, n] = t.shape as [number, number, number];
  return Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, s) => t.data.slice((s * B + b) * n, (s * B + b + 1) * n)));
};
const nested = (t: FixtureTensor) => {
  const [L, B, n] = t.shape as [number, number, number];
  return Array.from({ length: L }, (_, l) => Array.from({ length: B }, (_, b) => t.data.slice((l * B + b) * n, (l * B + b + 1) * n)));
};

/** Runs the CLI in-process (spawning costs seconds per call): exit status and stderr. */
async function cli(...args: string[]): Promise<{ status: number; stderr: string }> {
  const w = process.stderr.write;
  let stderr = "";
  process.stderr.write = ((s: string) => { stderr += s; return true; }) as typeof process.stderr.write;
  try { return { status: await quietAsync(() => main(args)), stderr }; } finally { process.stderr.write = w; }
}
async function quietAsync<T>(f: () => Promise<T>): Promise<T> {
  const w = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try { return await f(); } finally { process.stdout.write = w; }
}

// The bidirectional ones: import recognises the *_reverse tensors; predict gives (B, T, 2H)
// without a head and states in PyTorch's (layers × directions, B, H) layout.
for (const name of ["lstm_2l_head", "gru_1l", "rnn_relu_2l_head", "lstm_bidir_2l_head", "gru_bidir_1l", "rnn_tanh_bidir_2l_head"]) {
  test(`import --from pytorch then predict --json reproduces PyTorch (${name}) within 1e-5`, () => {
    const fx = fixture(name);
    const out = join(tmp, `m-${name}`);
    quiet(() => runImport({ from: "pytorch", cell: fx.cell, weights: stateDictFile(fx, "rnn."), out, nonlinearity: fx.nonlinearity ?? "tanh", outputActivation: "linear" }));
    for (const run of fx.runs) {
      const input = join(tmp, `in-${name}-${run.T}.json`);
      writeFileSync(input, JSON.stringify({ x: batchFirst(run.x), h0: nested(run.h0), ...(run.c0 ? { c0: nested(run.c0) } : {}) }));
      const res = JSON.parse(runPredict({ model: out, input, json: true }));
      assert.deepEqual([res.output.length, res.output[0].length, res.output[0][0].length], [run.B, run.T, run.f64.out.shape[2]]);
      assert.deepEqual([res.h_n.length, res.h_n[0].length], run.f64.h_n.shape.slice(0, 2));
      assert.ok(relError(res.output.flat(2), batchFirst(run.f64.out).flat(2)) <= 1e-5, "output");
      assert.ok(relError(res.h_n.flat(2), run.f64.h_n.data) <= 1e-5, "h_n");
      if (run.f64.c_n) assert.ok(relError(res.c_n.flat(2), run.f64.c_n.data) <= 1e-5, "c_n");
    }
  });
}

for (const [cell, extra] of [["lstm", {}], ["gru", {}], ["elman", { hiddenActivation: "relu", outputActivation: "softmax" }], ["elman", { hiddenActivation: "sigmoid", outputActivation: "sigmoid" }],
  ["lstm", { bidirectional: true }], ["gru", { bidirectional: true, outputActivation: "softmax" }], ["elman", { bidirectional: true, hiddenActivation: "relu" }]] as const) {
  test(`export --onnx of a ${cell} ${JSON.stringify(extra)} model runs in onnxruntime like predict, batch 3 at two lengths`, async (tc) => {
    let worst = 0;
    const rng = new Rng(7);
    const model = new Sequence({ cell, input: 3, hidden: 5, layers: 2, output: 4, ...extra }, "float32");
    for (let i = 0; i < model.params.length; i++) model.params[i] = rng.range(-0.7, 0.7);
    const tag = `${cell}-${model.config.hiddenActivation}${model.config.bidirectional ? "-bidir" : ""}`;
    const dir = join(tmp, `onnx-${tag}`);
    saveModel(dir, model);
    const file = join(tmp, `${tag}.onnx`);
    const rows = model.config.bidirectional ? 4 : 2;   // (layers × directions, B, H)
    quiet(() => runExport({ model: dir, onnx: file, prefix: "", stateInputs: true }));
    const session = await ort.InferenceSession.create(file);
    const states = cell === "lstm" ? ["h", "c"] : ["h"];
    for (const T of [7, 2]) {
      const B = 3;
      const x = Float32Array.from({ length: B * T * 3 }, () => Math.fround(rng.normal()));
      const s0: Record<string, Float32Array> = {};
      for (const s of states) s0[s] = Float32Array.from({ length: rows * B * 5 }, () => Math.fround(rng.normal() * 0.5));
      const want = predictBatchFirst(model, x, B, T, s0); // batch-first
      const xt = new Float32Array(T * B * 3); // time-major for ONNX
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let i = 0; i < 3; i++) xt[(t * B + b) * 3 + i] = x[(b * T + t) * 3 + i]!;
      const feeds: Record<string, InstanceType<typeof ort.Tensor>> = { x: new ort.Tensor("float32", xt, [T, B, 3]) };
      for (const s of states) feeds[`${s}0`] = new ort.Tensor("float32", s0[s]!, [rows, B, 5]);
      const got = await session.run(feeds);
      const y = got.y!.data as Float32Array; // (T, B, O)
      const yb = new Float32Array(y.length);
      for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let o = 0; o < 4; o++) yb[(b * T + t) * 4 + o] = y[(t * B + b) * 4 + o]!;
      assert.ok(relError(yb, want.output) <= 1e-5, `y T=${T}: ${relError(yb, want.output)}`);
      worst = Math.max(worst, relError(yb, want.output));
      for (const s of states) {
        const e = relError(got[`${s}_n`]!.data as Float32Array, want.states[s]!.data);
        worst = Math.max(worst, e);
        assert.ok(e <= 1e-5, `${s}_n T=${T}`);
      }
    }
    tc.diagnostic(`onnxruntime vs toolkit forward (f32): worst rel. error ${worst.toExponential(2)}`);
  });
}

test("import --from tfjs then predict --json reproduces tfjs (LSTM×2 + Dense softmax) within 1e-5", () => {
  const src = "test/fixtures/tfjs/lstm_stack_dense";
  const out = join(tmp, "m-tfjs");
  quiet(() => runImport({ from: "tfjs", model: join(src, "model.json"), out, nonlinearity: "tanh", outputActivation: "linear" }));
  const exp = JSON.parse(readFileSync(join(src, "expected.json"), "utf8")) as { runs: Array<{ B: number; T: number; x: FixtureTensor; outputs: FixtureTensor[] }> };
  for (const run of exp.runs) {
    const [B, T, I] = run.x.shape as [number, number, number];
    const x = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => run.x.data.slice((b * T + t) * I, (b * T + t + 1) * I)));
    const input = join(tmp, `in-tfjs-${T}.json`);
    writeFileSync(input, JSON.stringify({ x }));
    const res = JSON.parse(runPredict({ model: out, input, json: true }));
    assert.ok(relError(res.output.flat(2), run.outputs[0]!.data) <= 1e-5);
  }
});

test("export --pytorch writes PyTorch's names (Elman: b_ih = b_h, b_hh = 0) and re-imports to the same model", () => {
  const fx = fixture("rnn_relu_2l_head");
  const dir = join(tmp, "m-roundtrip");
  quiet(() => runImport({ from: "pytorch", cell: "elman", weights: stateDictFile(fx, ""), out: dir, nonlinearity: "relu", outputActivation: "linear" }));
  const sd = join(tmp, "roundtrip.safetensors");
  quiet(() => runExport({ model: dir, pytorch: sd, prefix: "rnn." }));
  const back = join(tmp, "m-roundtrip-2");
  quiet(() => runImport({ from: "pytorch", cell: "elman", weights: sd, out: back, nonlinearity: "relu", outputActivation: "linear" }));
  const a = loadModel(dir).model, b = loadModel(back).model;
  assert.deepEqual([...b.params], [...a.params]);
  const bias = a.get("bias_l1"), w = fx.weights;
  for (let i = 0; i < bias.length; i++) assert.equal(bias[i], Math.fround(w.bias_ih_l1!.data[i]! + w.bias_hh_l1!.data[i]!));
});

test("export --pytorch of a bidirectional model writes PyTorch's state_dict (names and order) and re-imports to the same model", () => {
  const fx = fixture("lstm_bidir_2l_head");
  const dir = join(tmp, "m-bidir-roundtrip");
  quiet(() => runImport({ from: "pytorch", cell: "lstm", weights: stateDictFile(fx, ""), out: dir, nonlinearity: "tanh", outputActivation: "linear" }));
  const sd = join(tmp, "bidir-roundtrip.safetensors");
  quiet(() => runExport({ model: dir, pytorch: sd, prefix: "" }));
  const header = readFileSync(sd);
  const names = Object.keys(JSON.parse(header.subarray(8, 8 + Number(header.readBigUInt64LE(0))).toString("utf8"))).filter((k) => k !== "__metadata__");
  assert.deepEqual(names.sort(), Object.keys(fx.weights).sort());
  const a = loadModel(dir).model;
  assert.deepEqual(a.tensors.map((t) => t.name), Object.keys(fx.weights), "the model's layout is PyTorch's state_dict order");
  for (const [k, v] of Object.entries(fx.weights)) assert.deepEqual([...a.get(k)], v.data.map(Math.fround), k);
  const back = join(tmp, "m-bidir-roundtrip-2");
  quiet(() => runImport({ from: "pytorch", cell: "lstm", weights: sd, out: back, nonlinearity: "tanh", outputActivation: "linear" }));
  assert.deepEqual([...loadModel(back).model.params], [...a.params]);
});

test("bad inputs: one line, exit 1, nothing written", async () => {
  const fx = fixture("lstm_1l");
  const cases: Array<[string[], RegExp]> = [
    [["--weights", stateDictFile(fx, "", (t) => { delete t.bias_hh_l0; })], /missing tensor "bias_hh_l0"/],
    [["--weights", stateDictFile(fx, "", (t) => { t.bias_hh_l0 = { shape: [15], data: new Float32Array(15) }; })], /tensor "bias_hh_l0": expected shape \(16\), got \(15\)/],
    // A reverse direction needs all four of its tensors; a stray *_reverse tensor is named.
    [["--weights", stateDictFile(fx, "", (t) => { t.weight_ih_l0_reverse = t.weight_ih_l0!; })], /missing tensor "weight_hh_l0_reverse" \(expected shape \(16, 4\)\)/],
    [["--weights", stateDictFile(fx, "", (t) => { t.bias_hh_l0_reverse = t.bias_hh_l0!; })], /unexpected tensor "bias_hh_l0_reverse" \(16\) \(a bidirectional state_dict has weight_ih_l0_reverse\)/],
    [["--weights", stateDictFile(fx, "", (t) => { t.bias_hh_l0 = { shape: [16], data: new Float64Array(16) }; })], /mixed dtypes/],
  ];
  for (const [args, re] of cases) {
    const out = join(tmp, `never-${Math.random().toString(36).slice(2)}`);
    const r = await cli("import", "--from", "pytorch", "--cell", "lstm", ...args, "--out", out);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.equal(existsSync(out), false);
  }
  // export with nothing to write, and from a directory that holds no model: refused, no file.
  const onnx = join(tmp, "never.onnx");
  let r = await cli("export", "--model", tmp, "--onnx", onnx);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error: .*not a model directory \(no config.json\)\n$/);
  assert.equal(existsSync(onnx), false);
  r = await cli("export", "--model", tmp);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error: export: expected --onnx FILE.onnx or --pytorch FILE.safetensors, got neither\n$/);
  // predict with the wrong input width names the dimension.
  const mdir = join(tmp, "m-lstm_2l_head");
  if (!existsSync(mdir)) quiet(() => runImport({ from: "pytorch", cell: "lstm", weights: stateDictFile(fixture("lstm_2l_head"), ""), out: mdir, nonlinearity: "tanh", outputActivation: "linear" }));
  const bad = join(tmp, "bad-input.json");
  writeFileSync(bad, JSON.stringify({ x: [[[1, 2, 3]]] }));
  r = await cli("predict", "--model", mdir, "--input", bad);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error: .*bad-input.json: x: dimension 2 \(I\): expected 4, got 3\n$/);
  // An unsupported tfjs layer names the layer.
  const t = await cli("import", "--from", "tfjs", "--model", "test/fixtures/tfjs/unsupported_conv1d/model.json", "--out", join(tmp, "never-tfjs"));
  assert.equal(t.status, 1);
  assert.match(t.stderr, /layer "conv1d_Conv1D\d+" \(Conv1D\): unsupported layer/);
  assert.equal(existsSync(join(tmp, "never-tfjs")), false);
});
