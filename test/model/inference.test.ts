// An inference forward (SequenceForwardOptions.inference: what predict, eval, generate and
// forecast run) gives the training forward's outputs and final states bit for bit, keeps no
// cache for a backward, and holds LSTM and GRU gates for a block of steps instead of all T
// (the whole-sequence WebAssembly job then runs block by block).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { LstmLayer } from "../../src/cells/lstm.ts";
import { GruLayer } from "../../src/cells/gru.ts";
import { INFERENCE_STEPS, type Layer } from "../../src/cells/layer.ts";
import { useFastBackend, useReferenceBackend } from "../../src/tensor/fast.ts";
import { setF32Allocator, type Vec } from "../../src/tensor/types.ts";
import type { ModelConfig } from "../../src/model/config.ts";
import { Rng } from "../../src/rand.ts";

const configs: Array<Partial<ModelConfig>> = [
  { cell: "elman", input: 5, hidden: 9, layers: 2, output: 3 },
  { cell: "elman", input: 5, hidden: 9, output: 3, hiddenActivation: "sigmoid" },
  { cell: "jordan", input: 5, hidden: 9, state: 4, output: 3, outputActivation: "softmax" },
  { cell: "jordan", input: 5, hidden: 9, state: 4, output: 3, feedback: "teacher" },
  { cell: "lstm", input: 5, hidden: 9, layers: 2, output: 3 },
  { cell: "lstm", input: 5, hidden: 9, output: 3, gateActivation: "hard_sigmoid" },
  { cell: "gru", input: 5, hidden: 9, layers: 2, output: 3 },
  { cell: "gru", input: 5, hidden: 9, output: 3, resetAfter: false, gateActivation: "hard_sigmoid" },
  { cell: "lstm", input: 5, hidden: 9, output: 3, bidirectional: true },
  { cell: "gru", input: 7, embedding: 4, hidden: 9, layers: 2, output: 7, bidirectional: true },
];

/** The bytes of a vector, so that equality is bit for bit (−0 ≠ +0). */
const bytes = (v: Vec): Uint8Array => new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();

function check(cfg: Partial<ModelConfig>, dtype: "float32" | "float64", masked: boolean): void {
  const rng = new Rng(17);
  const m = new Sequence(cfg, dtype);
  initialize(m, rng, "glorot");
  // Over two blocks of steps and a part of a third.
  const T = 2 * INFERENCE_STEPS + 5, B = 4, I = m.inputWidth, O = m.config.output;
  const x = (dtype === "float32" ? new Float32Array(T * B * I) : new Float64Array(T * B * I))
    .map(() => (m.config.embedding > 0 ? rng.int(m.config.input) : rng.normal()));
  const mask = masked ? new Uint8Array(T * B).map((_, k) => (Math.floor(k / B) < T - 3 * (k % B) ? 1 : 0)) : null;
  const teacher = cfg.feedback === "teacher" ? (dtype === "float32" ? new Float32Array(T * B * O) : new Float64Array(T * B * O)).map(() => rng.uniform()) : null;
  const state0 = m.zeroState(B).map((s) => s.map((v) => v.map(() => rng.normal() * 0.5)));
  const train = m.forward(x, T, B, { state0, mask, teacher });
  const out = bytes(train.out), state = train.state.map((s) => s.map(bytes));
  const inf = m.forward(x, T, B, { state0, mask, teacher, inference: true });
  assert.deepEqual(bytes(inf.out), out, "outputs");
  assert.deepEqual(inf.state.map((s) => s.map(bytes)), state, "final states");
  assert.throws(() => m.backward(train.out), /no cached forward pass/);
}

for (const cfg of configs) {
  const name = `${cfg.cell}${cfg.bidirectional ? " bidirectional" : ""} ${JSON.stringify(cfg)}`;
  test(`${name}: an inference forward gives the training forward's outputs and states bit for bit, and keeps no cache`, () => {
    for (const dtype of ["float32", "float64"] as const) for (const masked of [false, true]) check(cfg, dtype, masked);
  });
  if (cfg.cell === "jordan") continue;
  test(`${name}: the same on the WebAssembly backend (whole-sequence jobs against per-step kernels)`, () => {
    try {
      useFastBackend();
      for (const masked of [false, true]) check(cfg, "float32", masked);
    } finally {
      useReferenceBackend();
    }
  });
}

/** Float32 values a layer allocates over one forward (fresh layer, so every buffer is new). */
function allocated(make: () => Layer, T: number, B: number, inference: boolean): number {
  const layer = make(), n = layer.tensors.reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
  layer.bind(new Float32Array(n), new Float32Array(n));
  const x = new Float32Array(T * B * layer.inputSize);
  let count = 0;
  setF32Allocator((k) => { count += k; return new Float32Array(k); });
  try {
    layer.forward(x, T, B, null, { inference });
  } finally {
    useReferenceBackend();   // reinstalls the reference allocator
  }
  return count;
}

test("an inference forward holds LSTM and GRU gates for a block of steps, not (T, B, ·) caches", () => {
  const T = 8 * INFERENCE_STEPS, B = 4, I = 5, H = 16;
  const lstm = (): Layer => new LstmLayer(I, H, "float32"), gru = (): Layer => new GruLayer(I, H, "float32");
  const Tc = INFERENCE_STEPS;
  // Training: gates (T, B, 4H), h and c (T+1, B, H). Inference: gates (Tc, B, 4H), h (T+1, B, H), c (Tc+1, B, H).
  assert.equal(allocated(lstm, T, B, false), T * B * 4 * H + 2 * (T + 1) * B * H);
  assert.equal(allocated(lstm, T, B, true), Tc * B * 4 * H + (T + 1) * B * H + (Tc + 1) * B * H);
  // Training: W_ih x (T, B, 3H), hn (T, B, H), hw (B, 3H), h (T+1, B, H). Inference: W_ih x (Tc, B, 3H), hn (Tc, B, H).
  assert.equal(allocated(gru, T, B, false), T * B * 3 * H + T * B * H + B * 3 * H + (T + 1) * B * H);
  assert.equal(allocated(gru, T, B, true), Tc * B * 3 * H + Tc * B * H + B * 3 * H + (T + 1) * B * H);
});
