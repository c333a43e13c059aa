// The cell registry (src/cells/registry.ts) is the only place a cell is known by name:
// (a) a toy fifth cell, defined here and registered through the registry alone, is built into
//     a model, trained, gradient-checked, counted, summarised, initialised, saved and refused
//     by the codecs it has no counterpart in, with no edit outside this file;
// (b) no file under src/ outside src/cells/ branches on a cell's name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { viewsOf, type ForwardOptions, type Layer, type TensorSpec } from "../../src/cells/layer.ts";
import { CELL_NAMES, cellSpec, registerCell } from "../../src/cells/registry.ts";
import { headedFormula, type CellSpec } from "../../src/cells/spec.ts";
import { normaliseConfig } from "../../src/model/config.ts";
import { paramCount } from "../../src/model/count.ts";
import { initialize } from "../../src/model/initialize.ts";
import { predictBatchFirst } from "../../src/model/predict.ts";
import { Sequence } from "../../src/train/sequence.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { exportTorchStateDict } from "../../src/formats/pytorch.ts";
import { modelToOnnx } from "../../src/formats/onnx/model-export.ts";
import { modelFromBytes, weightsToBytes } from "../../src/formats/model-bytes.ts";
import { stateGradients } from "../../src/analysis/gradients/state-grads.ts";
import { recurrentSpectra } from "../../src/analysis/gradients/spectral.ts";
import { Rng } from "../../src/rand.ts";
import type { DType, Vec } from "../../src/tensor/types.ts";
import { gradCheck } from "../helpers/gradcheck.ts";
import { tsFiles } from "../helpers/source-files.ts";

// ---- (a) A toy cell: a minimal gated unit, in plain loops ----
//
//   z = σ(W_z x_t + U_z h_{t-1} + b_z),   c = tanh(W_c x_t + U_c h_{t-1} + b_c)
//   h_t = z ⊙ h_{t-1} + (1 − z) ⊙ c
//
// Parameters: weight_ih (2H, I) = [W_z; W_c], weight_hh (2H, H) = [U_z; U_c], bias (2H): 2h(d_in + h + 1).
// Padding steps (mask 0) carry h_{t-1} through, as every cell does.

// The names join the CellKind type as a registering module's do (a misspelt cell stays a type error).
declare module "../../src/cells/registry.ts" {
  interface CellNames { toy: true; "toy-unroled": true }
}

const sigmoid = (a: number) => 1 / (1 + Math.exp(-a));

class ToyLayer implements Layer {
  readonly kind = "toy";
  readonly outputSize: number;
  readonly stateSizes: number[];
  readonly tensors: TensorSpec[];
  private W!: Vec; private U!: Vec; private b!: Vec;
  private dW!: Vec; private dU!: Vec; private db!: Vec;
  private cache: { x: Vec; T: number; B: number; mask: Uint8Array | null; hs: Float64Array; zs: Float64Array; cs: Float64Array } | null = null;

  constructor(readonly inputSize: number, readonly hidden: number, private readonly dtype: DType) {
    const I = inputSize, H = hidden;
    this.outputSize = H;
    this.stateSizes = [H];
    this.tensors = [{ name: "weight_ih", shape: [2 * H, I] }, { name: "weight_hh", shape: [2 * H, H] }, { name: "bias", shape: [2 * H] }];
  }

  bind(p: Vec, g: Vec): void {
    [[this.W, this.dW], [this.U, this.dU], [this.b, this.db]] = viewsOf(p, g, this.tensors);
  }

  private vec(n: number): Vec { return this.dtype === "float64" ? new Float64Array(n) : new Float32Array(n); }

  forward(x: Vec, T: number, B: number, state0: Vec[] | null, opts: ForwardOptions = {}): { out: Vec; state: Vec[] } {
    const I = this.inputSize, H = this.hidden, mask = opts.mask ?? null;
    const hs = new Float64Array((T + 1) * B * H), zs = new Float64Array(T * B * H), cs = new Float64Array(T * B * H);
    if (state0) hs.set(state0[0].subarray(0, B * H));
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
      const prev = (t * B + b) * H, cur = ((t + 1) * B + b) * H, xo = (t * B + b) * I, o = (t * B + b) * H;
      for (let j = 0; j < H; j++) {
        if (mask && !mask[t * B + b]) { hs[cur + j] = hs[prev + j]; continue; }
        let az = this.b[j], ac = this.b[H + j];
        for (let i = 0; i < I; i++) { az += this.W[j * I + i] * x[xo + i]; ac += this.W[(H + j) * I + i] * x[xo + i]; }
        for (let k = 0; k < H; k++) { az += this.U[j * H + k] * hs[prev + k]; ac += this.U[(H + j) * H + k] * hs[prev + k]; }
        const z = sigmoid(az), c = Math.tanh(ac);
        zs[o + j] = z; cs[o + j] = c;
        hs[cur + j] = z * hs[prev + j] + (1 - z) * c;
      }
    }
    this.cache = { x, T, B, mask, hs, zs, cs };
    const out = this.vec(T * B * H);
    out.set(hs.subarray(B * H));
    const last = this.vec(B * H);
    last.set(hs.subarray(T * B * H));
    return { out, state: [last] };
  }

  backward(dOut: Vec, dStateT: Vec[] | null, needDx = true): { dx: Vec; dState0: Vec[] } {
    if (!this.cache) throw new Error("toy.backward: no cached forward pass; call forward first");
    const { x, T, B, mask, hs, zs, cs } = this.cache;
    const I = this.inputSize, H = this.hidden;
    const dx = this.vec(needDx ? T * B * I : 0);
    const dh = new Float64Array(B * H), dprev = new Float64Array(H), dz = new Float64Array(H), dc = new Float64Array(H);
    if (dStateT) dh.set(dStateT[0]);
    for (let t = T - 1; t >= 0; t--) for (let b = 0; b < B; b++) {
      const prev = (t * B + b) * H, xo = (t * B + b) * I, o = (t * B + b) * H, d = dh.subarray(b * H, (b + 1) * H);
      for (let j = 0; j < H; j++) d[j] += dOut[o + j];
      if (mask && !mask[t * B + b]) continue;   // h_t was h_{t-1}: its gradient passes through
      for (let j = 0; j < H; j++) {
        const z = zs[o + j], c = cs[o + j];
        dz[j] = d[j] * (hs[prev + j] - c) * z * (1 - z);   // through σ
        dc[j] = d[j] * (1 - z) * (1 - c * c);              // through tanh
        dprev[j] = d[j] * z;                               // the direct path to h_{t-1}
      }
      for (let j = 0; j < H; j++) {
        this.db[j] += dz[j]; this.db[H + j] += dc[j];
        for (let i = 0; i < I; i++) {
          this.dW[j * I + i] += dz[j] * x[xo + i]; this.dW[(H + j) * I + i] += dc[j] * x[xo + i];
          if (needDx) dx[xo + i] += dz[j] * this.W[j * I + i] + dc[j] * this.W[(H + j) * I + i];
        }
        for (let k = 0; k < H; k++) {
          this.dU[j * H + k] += dz[j] * hs[prev + k]; this.dU[(H + j) * H + k] += dc[j] * hs[prev + k];
          dprev[k] += dz[j] * this.U[j * H + k] + dc[j] * this.U[(H + j) * H + k];
        }
      }
      d.set(dprev);
    }
    this.cache = null;
    const dState0 = this.vec(B * H);
    dState0.set(dh);
    return { dx, dState0: [dState0] };
  }
}

const toyCell: CellSpec = {
  name: "toy",
  title: "Toy",
  tensors: { weight_ih: { role: "input" }, weight_hh: { role: "recurrent" }, bias: { role: "bias", gateBias: { z: 1 } } },
  gates: ["z", "c"],
  states: ["h"],
  options: [],
  build: ({ input, config }, dtype) => new ToyLayer(input, config.hidden, dtype),
  outputSize: ({ config }) => config.hidden,
  count: ({ input, config }) => 2 * config.hidden * (input + config.hidden + 1),
  formula: (s) => headedFormula(`2h(d_in + h + 1)${s.per}`, s),
  perStep: (c) => 2 * 3 * c.hidden,
  torchInit: "linear",
};

registerCell(toyCell);

const config = { cell: "toy", input: 3, hidden: 4, layers: 2, output: 2 } as const;

test("a registered toy cell is listed and described by the registry", () => {
  assert.deepEqual(CELL_NAMES, ["elman", "jordan", "lstm", "gru", "toy"]);
  assert.equal(cellSpec("toy"), toyCell);
  assert.throws(() => registerCell(toyCell), /registerCell: expected a new name, got "toy", which is already registered/);
  assert.throws(() => cellSpec("tyo", "config.cell"), /^RecurrentError: config\.cell: expected one of elman\|jordan\|lstm\|gru\|toy, got "tyo"$/);
});

test("a toy cell builds into a model whose parameter count is the cell's formula, summarised with its text", () => {
  const m = new Sequence(config);
  assert.deepEqual(m.tensors.map((t) => [t.name, t.shape, t.role]), [
    ["weight_ih_l0", [8, 3], "input"], ["weight_hh_l0", [8, 4], "recurrent"], ["bias_l0", [8], "bias"],
    ["weight_ih_l1", [8, 4], "input"], ["weight_hh_l1", [8, 4], "recurrent"], ["bias_l1", [8], "bias"],
    ["head.weight", [2, 4], "head"], ["head.bias", [2], "bias"],
  ]);
  // 2h(d_in + h + 1) per layer + d_out(h + 1): 8·8 + 8·9 + 2·5 = 146
  assert.equal(m.paramCount, 146);
  assert.equal(paramCount(normaliseConfig(config)), 146);
  for (const c of [{ ...config, bidirectional: true }, { ...config, embedding: 5, input: 7, layers: 3 }]) {
    assert.equal(new Sequence(c).paramCount, paramCount(normaliseConfig(c)), JSON.stringify(c));
  }
  assert.equal(m.toString(), "Toy(3 => 4 ×2) => 2 linear  # 146 parameters");
  assert.match(m.summary(), /^formula: 2h\(d_in \+ h \+ 1\) per layer \+ d_out\(h \+ 1\) with h=4, d_in=3, d_out=2 \(first layer; 1 more with d_in = h\)$/m);
});

test("a description that gives a layer's tensor no role is refused when the model is built", () => {
  registerCell({ ...toyCell, name: "toy-unroled", tensors: { weight_ih: { role: "input" }, weight_hh: { role: "recurrent" } } });
  assert.throws(() => new Sequence({ ...config, cell: "toy-unroled" }), /^RecurrentError: model: cell toy-unroled: tensor "bias": expected a role in the cell's description \(its tensors: weight_ih, weight_hh\), got none$/);
});

test("a toy cell's configuration refuses the options it does not read, naming the cell", () => {
  assert.throws(() => new Sequence({ ...config, hiddenActivation: "relu" }), /config\.hiddenActivation: expected tanh \(Toy gates have fixed activations\), got "relu"/);
  assert.throws(() => new Sequence({ ...config, state: 3 }), /config\.state: expected no state size \(only Jordan has a state s\), got 3/);
  assert.throws(() => new Sequence({ ...config, resetAfter: false }), /config\.resetAfter: expected no reset-gate placement \(only GRU has a reset gate\)/);
});

test("initialisation follows the toy cell's tensor roles: orthogonal recurrent blocks and its gate bias (glorot), nn.Linear's bounds (pytorch)", () => {
  const m = new Sequence(config);
  initialize(m, new Rng(2), "glorot");
  const U = m.get("weight_hh_l0"), H = 4;
  for (let g = 0; g < 2; g++) for (let a = 0; a < H; a++) for (let b = 0; b < H; b++) {
    let dot = 0;
    for (let k = 0; k < H; k++) dot += U[g * H * H + a * H + k] * U[g * H * H + b * H + k];
    assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-5, `block ${g} rows ${a}, ${b}: ${dot}`);
  }
  assert.deepEqual(Array.from(m.get("bias_l1")), [1, 1, 1, 1, 0, 0, 0, 0]);   // z block 1, c block 0
  initialize(m, new Rng(2), "pytorch");
  const bound = 1 / Math.sqrt(3);
  assert.ok(m.get("weight_ih_l0").every((w) => Math.abs(w) <= bound));
});

test("toy cell: backward matches central differences for every parameter and initial state", () => {
  for (const c of [
    { config, masked: false, manyToOne: false },
    { config, masked: true, manyToOne: true },
    { config: { ...config, bidirectional: true }, masked: true, manyToOne: true },
    { config: { ...config, embedding: 3, input: 6, outputActivation: "softmax" as const }, masked: true, manyToOne: false },
  ]) {
    const r = gradCheck({ ...c, T: 5, B: 3, seed: 4 });
    assert.ok(r.checked > 100, `checked ${r.checked}`);
    assert.ok(r.maxRel < 1e-6, `${JSON.stringify(c)}: max relative error ${r.maxRel.toExponential(2)} at ${r.worst}`);
  }
});

test("a toy cell model trains: a few Adam steps lower the loss on a fixed batch", () => {
  const m = new Sequence(config);
  initialize(m, new Rng(1), "glorot");
  const trainer = new Trainer(m, { loss: "mse", optimizer: makeOptimizer("adam", { lr: 0.05 }) });
  const T = 6, B = 4;
  const batch = { x: new Float32Array(T * B * 3).map((_, i) => Math.sin(i)), T, B, targets: new Float32Array(T * B * 2).map((_, i) => Math.cos(0.3 * i)) };
  const first = trainer.trainStep(batch).loss;
  let last = first;
  for (let s = 0; s < 30; s++) last = trainer.trainStep(batch).loss;
  assert.ok(Number.isFinite(last) && last < 0.75 * first, `loss ${first} → ${last}`);
});

test("the diagnostics, prediction and model files read the toy cell's description", () => {
  const m = new Sequence(config);
  initialize(m, new Rng(3), "glorot");
  assert.deepEqual(recurrentSpectra(m).map((s) => [s.tensor, s.block]), [["weight_hh_l0", "z"], ["weight_hh_l0", "c"], ["weight_hh_l1", "z"], ["weight_hh_l1", "c"]]);
  const T = 4, B = 2;
  const x = new Float32Array(T * B * 3).map((_, i) => Math.sin(i));
  const g = stateGradients(m, { x, T, B, targets: new Float32Array(T * B * 2) }, { loss: "mse" });
  assert.deepEqual(g.series.map((s) => [s.layer, s.cell, s.state]), [[0, "toy", "h"], [1, "toy", "h"]]);
  const p = predictBatchFirst(m, x, B, T);
  assert.deepEqual(Object.keys(p.states), ["h"]);
  const back = modelFromBytes(config, weightsToBytes(m), "toy.safetensors");
  assert.deepEqual(Array.from(back.params), Array.from(m.params));
});

test("the codecs refuse a toy cell they have no counterpart for, in one line", () => {
  const m = new Sequence(config);
  assert.throws(() => exportTorchStateDict(m), /^RecurrentError: export: cell toy: expected elman\|lstm\|gru \(PyTorch has no Toy network\)$/);
  assert.throws(() => modelToOnnx(m), /^RecurrentError: export --onnx: cell toy: ONNX has no Toy operator; export elman\|lstm\|gru models$/);
});

// ---- (b) No branching on a cell's name outside src/cells/ ----

const CELL = "(?:elman|jordan|lstm|gru)";
/** What counts as branching on a cell's name: a comparison with one, a switch case, a table keyed by them. */
const BRANCHES = [
  new RegExp(`[!=]==?\\s*["'\`]${CELL}["'\`]`),            // x === "lstm", x !== "jordan"
  new RegExp(`["'\`]${CELL}["'\`]\\s*[!=]==?`),            // "lstm" === x
  new RegExp(`\\bcase\\s+["'\`]${CELL}["'\`]`),            // case "gru":
  new RegExp(`[{,]\\s*${CELL}\\s*:`),                       // { elman: ..., lstm: ... }
  new RegExp(`\\[\\s*["'\`]${CELL}["'\`]\\s*\\]\\s*[:=]`), // { ["lstm"]: ... }, t["gru"] = ...
];

/** The code of a file without its comments (line and block), so prose may name cells. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

test("no file under src/ outside src/cells/ branches on a cell's name (the registry and the cells own that)", () => {
  const found: string[] = [];
  for (const file of tsFiles("src")) {
    if (file.startsWith(join("src", "cells") + "/") || file.startsWith(join("src", "tensor", "wasm", "assembly"))) continue;
    code(readFileSync(file, "utf8")).split("\n").forEach((line, i) => {
      if (BRANCHES.some((re) => re.test(line))) found.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  assert.deepEqual(found, [], `branches on a cell's name (read the cell's description from src/cells/registry.ts instead):\n${found.join("\n")}`);
});

test("the branch finder catches the forms it is meant to", () => {
  const hits = ['if (c.cell === "lstm") {', 'cell !== "jordan" ? a : b', 'case "gru": return 3;', 'const G = { elman: 1, lstm: 4 };', '"elman" === cell']
    .filter((l) => BRANCHES.some((re) => re.test(code(l))));
  assert.equal(hits.length, 5);
  assert.ok(!BRANCHES.some((re) => re.test(code('// a Jordan network: cell === "jordan" in prose'))));
  assert.ok(!BRANCHES.some((re) => re.test('const firms = { cell: "gru", hidden: 16 };')));
});
