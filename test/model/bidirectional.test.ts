// Bidirectional layers (src/cells/bidirectional.ts): BPTT against float64 central differences
// for every parameter tensor (both directions') and every initial state; the reverse direction
// is the forward recurrence run over each sequence reversed, from its own last real step (the
// padding of a masked batch never enters it); PyTorch's names, order and parameter counts; the
// WebAssembly backend against the reference; and the one-line refusals (step, TBPTT, streams,
// Jordan). PyTorch's numbers themselves are in test/interop/torch-parity.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { gradCheck, type Case } from "../helpers/gradcheck.ts";
import { Sequence } from "../../src/train/sequence.ts";
import { normaliseConfig, type ModelConfig } from "../../src/model/config.ts";
import { paramCount } from "../../src/model/count.ts";
import { initialize } from "../../src/model/initialize.ts";
import { lossAndGrad } from "../../src/train/loss.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { fit } from "../../src/train/fit.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { useFastBackend, useReferenceBackend } from "../../src/tensor/fast.ts";
import { Rng } from "../../src/rand.ts";
import { importTorchStateDict, type InTensor } from "../../src/formats/pytorch.ts";
import { sequenceOutputs } from "../../src/train/readout.ts";
import { loadTorchFixtures, modelState, relError } from "../interop/torch-fixture.ts";

const cells: Array<Partial<ModelConfig>> = [
  { cell: "elman", hiddenActivation: "tanh" },
  { cell: "elman", hiddenActivation: "relu" },
  { cell: "lstm" },
  { cell: "gru" },
  { cell: "gru", resetAfter: false },   // (hard-sigmoid gates: unidirectional gradcheck.test.ts; their kinks blur differences)
];
const heads: Array<Partial<ModelConfig>> = [{ output: 3, outputActivation: "softmax" }, { output: 2, outputActivation: "linear" }];

let worst = 0;
for (const cell of cells) {
  for (const [h, head] of heads.entries()) {
    for (const [manyToOne, masked, layers] of [[false, false, 1], [true, true, 2], [false, true, 2]] as const) {
      const c: Case = { config: { ...cell, ...head, input: 3, hidden: 4, layers, bidirectional: true }, T: 5, B: 3, manyToOne, masked, seed: 5 + h };
      const name = `${cell.cell}${cell.hiddenActivation ? `/${cell.hiddenActivation}` : ""}${cell.resetAfter === false ? "/reset before" : ""} ` +
        `head ${head.outputActivation} ${manyToOne ? "many-to-one" : "many-to-many"}${masked ? " masked" : ""} ×${layers}`;
      test(`bidirectional ${name}: backward matches central differences for every parameter (both directions) and initial state`, () => {
        const r = gradCheck(c);
        worst = Math.max(worst, r.maxRel);
        assert.ok(r.checked > 100, `checked ${r.checked}`);
        assert.ok(r.maxRel < 1e-6, `max relative error ${r.maxRel.toExponential(2)} at ${r.worst}`);
      });
    }
  }
}

test("bidirectional without a head (the output is both directions' h, 2H) and with an embedding: exact gradients", () => {
  for (const cell of ["elman", "lstm", "gru"] as const) {
    for (const config of [
      { cell, input: 2, hidden: 3, layers: 2, output: 0, bidirectional: true },
      { cell, input: 6, embedding: 3, hidden: 3, layers: 2, output: 6, outputActivation: "softmax" as const, bidirectional: true },
    ]) {
      const r = gradCheck({ config, T: 4, B: 3, masked: true });
      worst = Math.max(worst, r.maxRel);
      assert.ok(r.maxRel < 1e-6, `${cell} ${JSON.stringify(config)}: ${r.maxRel} at ${r.worst}`);
    }
  }
});

test("report the worst bidirectional gradient-check error", () => {
  console.log(`# worst bidirectional gradient-check relative error: ${worst.toExponential(2)}`);
  assert.ok(worst > 0 && worst < 1e-6);
});

test("the reverse direction reads each sequence backwards from its own last real step; padding never enters either direction", () => {
  for (const cell of ["elman", "lstm", "gru"] as const) {
    const I = 3, H = 4, T = 6, B = 3, lengths = [6, 2, 4];
    const rng = new Rng(9);
    const bi = new Sequence({ cell, input: I, hidden: H, bidirectional: true }, "float64");
    for (let i = 0; i < bi.params.length; i++) bi.params[i] = rng.normal() * 0.5;
    // Two unidirectional models holding each direction's weights.
    const fwd = new Sequence({ cell, input: I, hidden: H }, "float64"), rev = new Sequence({ cell, input: I, hidden: H }, "float64");
    for (const t of fwd.tensors) { fwd.get(t.name).set(bi.get(t.name)); rev.get(t.name).set(bi.get(`${t.name}_reverse`)); }
    const x = new Float64Array(T * B * I).map(() => rng.normal());
    // Padding holds garbage: it must not matter.
    const mask = new Uint8Array(T * B).map((_, k) => (Math.floor(k / B) < lengths[k % B]! ? 1 : 0));
    for (let k = 0; k < T * B; k++) if (!mask[k]) for (let i = 0; i < I; i++) x[k * I + i] = 1e3 * (i + 1);
    const { out, state } = bi.forward(x, T, B, { mask });
    const K = cell === "lstm" ? 2 : 1;
    lengths.forEach((n, b) => {
      // Sequence b alone (B = 1), forwards and reversed.
      const seq = new Float64Array(n * I), back = new Float64Array(n * I);
      for (let t = 0; t < n; t++) for (let i = 0; i < I; i++) { seq[t * I + i] = x[(t * B + b) * I + i]!; back[(n - 1 - t) * I + i] = x[(t * B + b) * I + i]!; }
      const f = fwd.forward(seq, n, 1), fo = f.out.slice(), fs = f.state.map((s) => s.map((v) => v.slice()));
      const r = rev.forward(back, n, 1);
      for (let t = 0; t < n; t++) {
        for (let j = 0; j < H; j++) {
          assert.equal(out[(t * B + b) * 2 * H + j], fo[t * H + j], `${cell} b=${b} t=${t}: forward half`);
          assert.equal(out[(t * B + b) * 2 * H + H + j], r.out[(n - 1 - t) * H + j], `${cell} b=${b} t=${t}: reverse half is step ${n - 1 - t} of the reversed sequence`);
        }
      }
      // Final states: the forward direction's at the last real step, the reverse's after step 0.
      for (let k = 0; k < K; k++) {
        assert.deepEqual([...state[0]![k]!.subarray(b * H, (b + 1) * H)], [...fs[0]![k]!], `${cell} b=${b} forward state ${k}`);
        assert.deepEqual([...state[0]![K + k]!.subarray(b * H, (b + 1) * H)], [...r.state[0]![k]!], `${cell} b=${b} reverse state ${k}`);
      }
    });
  }
});

test("names, order and shapes are PyTorch's (bidirectional=True), and parameter counts equal the formula over many sizes", () => {
  const m = new Sequence({ cell: "gru", input: 5, hidden: 7, layers: 2, output: 3, bidirectional: true });
  assert.deepEqual(m.tensors.map((t) => [t.name, t.shape]), [
    ["weight_ih_l0", [21, 5]], ["weight_hh_l0", [21, 7]], ["bias_ih_l0", [21]], ["bias_hh_l0", [21]],
    ["weight_ih_l0_reverse", [21, 5]], ["weight_hh_l0_reverse", [21, 7]], ["bias_ih_l0_reverse", [21]], ["bias_hh_l0_reverse", [21]],
    ["weight_ih_l1", [21, 14]], ["weight_hh_l1", [21, 7]], ["bias_ih_l1", [21]], ["bias_hh_l1", [21]],
    ["weight_ih_l1_reverse", [21, 14]], ["weight_hh_l1_reverse", [21, 7]], ["bias_ih_l1_reverse", [21]], ["bias_hh_l1_reverse", [21]],
    ["head.weight", [3, 14]], ["head.bias", [3]],
  ]);
  // 2·(21·5 + 21·7 + 42) + 2·(21·14 + 21·7 + 42) + 3·14 + 3 = 588 + 966 + 45
  assert.equal(m.toString(), "GRU(5 => 7 ×2, bidirectional) => 3 linear  # 1,599 parameters");
  // nn.LSTM(3, 5, bidirectional=True) has 2·4·5·(3 + 5 + 2) = 400 parameters.
  assert.equal(new Sequence({ cell: "lstm", input: 3, hidden: 5, bidirectional: true }).paramCount, 400);
  const rng = new Rng(4);
  for (let k = 0; k < 60; k++) {
    const cell = (["elman", "lstm", "gru"] as const)[k % 3];
    const cfg = { cell, input: 1 + rng.int(9), embedding: k % 4 === 0 ? 1 + rng.int(5) : 0, hidden: 1 + rng.int(12), output: rng.int(5), layers: 1 + rng.int(3), bidirectional: true };
    assert.equal(new Sequence(cfg).paramCount, paramCount(normaliseConfig(cfg)), JSON.stringify(cfg));
  }
  assert.match(new Sequence({ cell: "lstm", input: 2, hidden: 3, output: 1, layers: 2, bidirectional: true }).summary(),
    /formula: 4h\(d_in \+ h \+ 2\) per layer and direction \+ d_out\(2h \+ 1\) with h=3, d_in=2, d_out=1 \(first layer; 1 more with d_in = 2h\)/);
});

test("glorot initialises each direction's recurrent matrix orthogonally (the reverse one too)", () => {
  const m = new Sequence({ cell: "elman", input: 3, hidden: 6, bidirectional: true }, "float64");
  initialize(m, new Rng(3), "glorot");
  for (const name of ["weight_hh_l0", "weight_hh_l0_reverse"]) {
    const U = m.get(name);   // (6, 6): UᵀU = I
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) {
      let s = 0;
      for (let k = 0; k < 6; k++) s += U[k * 6 + i]! * U[k * 6 + j]!;
      assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-9, `${name}: (UᵀU)[${i}][${j}] = ${s}`);
    }
  }
});

test("the wasm SIMD backend equals the reference for bidirectional stacks, masked and not", () => {
  for (const cell of ["elman", "lstm", "gru"] as const) {
    for (const masked of [false, true]) {
      const run = () => {
        const rng = new Rng(21);
        const m = new Sequence({ cell, input: 7, hidden: 19, layers: 2, output: 3, bidirectional: true });
        initialize(m, rng, "glorot");
        const T = 9, B = 5;
        const x = new Float32Array(T * B * 7).map(() => rng.normal());
        const y = new Float32Array(T * B * 3).map(() => rng.normal());
        const mask = masked ? new Uint8Array(T * B).map((_, k) => (Math.floor(k / B) < T - (k % B) ? 1 : 0)) : null;
        const out = m.forward(x, T, B, { mask }).out.slice();
        const d = new Float32Array(T * B * 3);
        lossAndGrad("mse", out, T * B, 3, y, mask, d);
        m.zeroGrads();
        m.backward(d);
        return { out, grads: m.grads.slice() };
      };
      useReferenceBackend();
      const ref = run();
      useFastBackend();
      try {
        const fast = run();
        const rel = (a: Float32Array, b: Float32Array) => { let s = 0, e = 0; for (let i = 0; i < a.length; i++) { s = Math.max(s, Math.abs(b[i]!)); e = Math.max(e, Math.abs(a[i]! - b[i]!)); } return e / s; };
        assert.ok(rel(fast.out as Float32Array, ref.out as Float32Array) < 1e-5, `${cell} masked=${masked} outputs`);
        assert.ok(rel(fast.grads as Float32Array, ref.grads as Float32Array) < 1e-4, `${cell} masked=${masked} grads`);
      } finally { useReferenceBackend(); }
    }
  }
});

test("a bidirectional model refuses, in one line, what needs the future before it comes: step, TBPTT, streams; Jordan refuses bidirectional", async () => {
  const m = new Sequence({ cell: "lstm", input: 2, hidden: 3, output: 1, bidirectional: true });
  assert.throws(() => m.step(new Float32Array(2)), /^RecurrentError: step: a bidirectional model reads each sequence whole/);
  assert.throws(() => new Trainer(m, { loss: "mse", optimizer: makeOptimizer("sgd"), tbptt: { k1: 2, k2: 2 } }), /tbptt: a bidirectional model reads each sequence whole/);
  const stream = { batchesPerEpoch: 1, carry: true, batch: () => ({ x: new Float32Array(4), T: 2, B: 1, targets: new Float32Array(2) }) };
  await assert.rejects(fit(m, stream, { epochs: 1 }), /fit: a bidirectional model reads each sequence whole; expected data of whole sequences, got a stream/);
  assert.throws(() => new Sequence({ cell: "jordan", input: 2, hidden: 3, output: 1, bidirectional: true }),
    /^RecurrentError: config\.bidirectional: expected false for a Jordan network \(it feeds its own output back in time; PyTorch has no counterpart\), got true$/);
  assert.throws(() => new Sequence({ cell: "gru", input: 2, hidden: 3, bidirectional: "yes" as never }), /config\.bidirectional: expected true or false, got "yes"/);
});

test("many-to-one reads both directions' whole reading: the head over [h→ at the last real step ; h← after step 0], PyTorch's head(cat(h_n[-2], h_n[-1]))", () => {
  const fx = loadTorchFixtures().find((f) => f.name === "lstm_bidir_packed_head")!;
  const weights: Record<string, InTensor> = {};
  for (const [k, v] of Object.entries(fx.weights)) weights[k] = { shape: v.shape, data: v.data, dtype: "F64" };
  const model = importTorchStateDict(weights, { cell: "lstm" });
  const H = fx.hidden_size, O = fx.head_size, L = fx.num_layers, W = fx.weights["head.weight"]!.data, bias = fx.weights["head.bias"]!.data;
  for (const run of fx.runs) {
    const { T, B } = run;
    const mask = new Uint8Array(T * B);
    run.lengths!.forEach((n, b) => { for (let t = 0; t < n; t++) mask[t * B + b] = 1; });
    const x = Float64Array.from(run.x.data), state0 = modelState(run.h0, run.c0, 2, (a) => Float64Array.from(a));
    const got = model.forwardSummary(x, T, B, { state0, mask }).out;
    // From PyTorch's own h_n (2L, B, H): rows 2L − 2 (top layer, forward) and 2L − 1 (reverse).
    const hn = run.f64.h_n.data, want = new Float64Array(B * O);
    for (let b = 0; b < B; b++) for (let o = 0; o < O; o++) {
      let s = bias[o]!;
      for (let j = 0; j < H; j++) s += W[o * 2 * H + j]! * hn[((2 * L - 2) * B + b) * H + j]! + W[o * 2 * H + H + j]! * hn[((2 * L - 1) * B + b) * H + j]!;
      want[b * O + o] = s;
    }
    assert.ok(relError(got, want) < 1e-12, `T=${T}: ${relError(got, want)}`);
    // The last step's output is another thing: there the reverse direction has read one step.
    const lastStep = model.forward(x, T, B, { state0, mask }).out;
    assert.ok(relError(Array.from({ length: B * O }, (_, k) => lastStep[((run.lengths![Math.floor(k / O)]! - 1) * B + Math.floor(k / O)) * O + (k % O)]!), want) > 1e-3);
  }
  // sequenceOutputs (classifiers, forecasts, model.evaluate; zero initial states) reads the summary;
  // a unidirectional model its last real step's output, unchanged.
  const r1 = fx.runs[1]!, m1 = new Uint8Array(r1.T * r1.B);
  r1.lengths!.forEach((n, b) => { for (let t = 0; t < n; t++) m1[t * r1.B + b] = 1; });
  const x1 = Float64Array.from(r1.x.data);
  assert.deepEqual([...sequenceOutputs(model, x1, r1.T, r1.B, { mask: m1 })], [...model.forwardSummary(x1, r1.T, r1.B, { mask: m1 }).out]);
  const uni = new Sequence({ cell: "gru", input: 2, hidden: 3, output: 2 }, "float64");
  initialize(uni, new Rng(1));
  const x = new Float64Array(4 * 3 * 2).map((_, i) => Math.sin(i)), mask = new Uint8Array(12).map((_, k) => (Math.floor(k / 3) < 4 - (k % 3) ? 1 : 0));
  const out = uni.forward(x, 4, 3, { mask }).out;
  assert.deepEqual([...sequenceOutputs(uni, x, 4, 3, { mask, lengths: [4, 3, 2] })], [...[4, 3, 2].flatMap((n, b) => [...out.subarray(((n - 1) * 3 + b) * 2, ((n - 1) * 3 + b + 1) * 2)])]);
});
