// The PyTorch state_dict mapping on its own: "rnn." prefixes, the embedding fold, the Elman
// bias convention, and one-line refusals of missing, extra, mis-shaped and mixed-dtype tensors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportTorchStateDict, importTorchStateDict, type InTensor } from "../../src/formats/pytorch.ts";
import { predictBatchFirst } from "../../src/model/predict.ts";
import { RecurrentError } from "../../src/errors.ts";
import { Rng } from "../../src/rand.ts";
import { loadTorchFixtures, relError } from "./torch-fixture.ts";

const fixtures = loadTorchFixtures();
const weightsOf = (name: string, prefix = ""): Record<string, InTensor> => {
  const fx = fixtures.find((f) => f.name === name)!;
  return Object.fromEntries(Object.entries(fx.weights).map(([k, v]) => [k.startsWith("head.") ? k : prefix + k, { shape: v.shape, data: v.data, dtype: "F32" }]));
};

test("an embedding is folded into layer 0: one-hot inputs give what embedding + RNN gives", () => {
  const rng = new Rng(5);
  const V = 7;
  const base = importTorchStateDict(weightsOf("lstm_2l_head"), { cell: "lstm", dtype: "float64" }); // I = 4
  const sd = weightsOf("lstm_2l_head", "rnn.");
  const E4 = 4, emb4 = Float32Array.from({ length: V * E4 }, () => Math.fround(rng.normal()));
  sd["embedding.weight"] = { shape: [V, E4], data: emb4, dtype: "F32" };
  const folded = importTorchStateDict(sd, { cell: "lstm", dtype: "float64" });
  assert.equal(folded.config.input, V);
  const B = 2, T = 5;
  const tokens = Array.from({ length: B * T }, () => rng.int(V));
  const onehot = new Float64Array(B * T * V), embedded = new Float64Array(B * T * E4);
  tokens.forEach((id, k) => { onehot[k * V + id] = 1; for (let e = 0; e < E4; e++) embedded[k * E4 + e] = emb4[id * E4 + e]!; });
  const a = predictBatchFirst(folded, onehot, B, T), b = predictBatchFirst(base, embedded, B, T);
  assert.ok(relError(a.output, b.output) < 1e-12, `${relError(a.output, b.output)}`);
  assert.ok(relError(a.states.c!.data, b.states.c!.data) < 1e-12);
});

test("Elman imports b_h = b_ih + b_hh and exports b_ih = b_h, b_hh = 0, under an optional prefix", () => {
  const sd = weightsOf("rnn_tanh_1l");
  const m = importTorchStateDict(sd, { cell: "elman" });
  const out = exportTorchStateDict(m, "rnn.");
  assert.deepEqual(Object.keys(out).sort(), ["rnn.bias_hh_l0", "rnn.bias_ih_l0", "rnn.weight_hh_l0", "rnn.weight_ih_l0"]);
  assert.ok(out["rnn.bias_hh_l0"]!.data.every((v) => v === 0));
  out["rnn.bias_ih_l0"]!.data.forEach((v, i) => assert.equal(v, Math.fround(sd.bias_ih_l0!.data[i]! + sd.bias_hh_l0!.data[i]!)));
  assert.deepEqual([...out["rnn.weight_hh_l0"]!.data], [...Float32Array.from(sd.weight_hh_l0!.data)]);
});

test("LSTM and GRU state_dicts survive import then export unchanged", () => {
  for (const [name, cell] of [["lstm_2l_head", "lstm"], ["gru_2l_head", "gru"]] as const) {
    const sd = weightsOf(name);
    const out = exportTorchStateDict(importTorchStateDict(sd, { cell }));
    assert.deepEqual(Object.keys(out).sort(), Object.keys(sd).sort());
    for (const [k, v] of Object.entries(out)) {
      assert.deepEqual(v.shape, sd[k]!.shape, k);
      assert.deepEqual([...v.data], [...Float32Array.from(sd[k]!.data)], k);
    }
  }
});

test("bad state_dicts are refused with one line naming the tensor", () => {
  const cases: Array<[string, (sd: Record<string, InTensor>) => void, RegExp]> = [
    ["missing", (sd) => { delete sd.weight_hh_l1; }, /missing tensor "weight_hh_l1" \(expected shape \(9, 3\)\)/],
    ["extra", (sd) => { sd.stray = { shape: [2], data: [0, 0], dtype: "F32" }; }, /unexpected tensor "stray" \(2\)/],
    ["gap", (sd) => { sd.weight_ih_l3 = sd.weight_ih_l1!; }, /unexpected tensor "weight_ih_l3" .*numbered 0\.\.1/],
    ["mis-shaped", (sd) => { sd["head.bias"] = { shape: [4], data: [0, 0, 0, 0], dtype: "F32" }; }, /tensor "head.bias": expected shape \(3\), got \(4\)/],
    ["wrong cell", (sd) => { sd.weight_ih_l0 = { shape: [10, 4], data: new Array(40).fill(0), dtype: "F32" }; }, /tensor "weight_ih_l0": expected shape \(3·H, I\) for gru, got \(10, 4\)/],
    ["mixed dtypes", (sd) => { sd.bias_ih_l0 = { ...sd.bias_ih_l0!, dtype: "F64" }; }, /mixed dtypes: .*F32 .* and F64 \("bias_ih_l0"\)/],
    ["integer", (sd) => { for (const v of Object.values(sd)) v.dtype = "I64"; }, /dtype: expected F32, F64, F16 or BF16 weights, got I64/],
    ["non-finite", (sd) => { sd.weight_hh_l0 = { ...sd.weight_hh_l0!, data: Array.from(sd.weight_hh_l0!.data, (v, i) => (i === 5 ? NaN : v)) }; }, /tensor "weight_hh_l0": expected finite values, got NaN at index 5/],
    ["prefix twice", (sd) => { sd["rnn.bias_ih_l0"] = sd.bias_ih_l0!; }, /"rnn.bias_ih_l0": appears both bare and under "rnn."/],
  ];
  for (const [what, edit, re] of cases) {
    const sd = weightsOf("gru_2l_head");
    edit(sd);
    assert.throws(() => importTorchStateDict(sd, { cell: "gru", source: "w.safetensors" }),
      (e: Error) => e instanceof RecurrentError && re.test(e.message) && !e.message.includes("\n"), what);
  }
});
