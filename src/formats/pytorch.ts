// PyTorch interop for the Sequence model: maps a `state_dict` of nn.RNN / nn.LSTM / nn.GRU
// (keys weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, bare or under "rnn.",
// with bidirectional=True also the same keys ending in "_reverse"; optionally
// head.weight/head.bias of an nn.Linear on every step and embedding.weight of an
// nn.Embedding) to a model and back, and describes a model for the ONNX graph builder.
// Dropout has no tensor: a state_dict imports as dropout 0 and a model's dropout exports as
// nothing (PyTorch's `dropout` argument, like the toolkit's, acts only in training).
// Conventions (DESIGN §1): LSTM/GRU tensors are PyTorch's verbatim; an Elman layer has one
// bias, so it imports b_h = b_ih + b_hh and exports b_ih = b_h, b_hh = 0.
// An embedding is folded into layer 0 (W_ih' = W_ih · Eᵀ, (G·H, V)): the model then takes
// one-hot inputs of size V and computes exactly what embedding + RNN computes; the export
// does not split it out again. Not here: file I/O (callers read/write safetensors bytes),
// Jordan networks (PyTorch has none). Browser-safe: no node: imports.
import { cellSpec, cellsWhere } from "../cells/registry.ts";
import { gateBlocks, reads, type CellSpec } from "../cells/spec.ts";
import { RecurrentError } from "../errors.ts";
import { Sequence } from "../train/sequence.ts";
import type { CellKind, OutputActivation } from "../model/config.ts";
import type { DType, Vec } from "../tensor/types.ts";

/** A cell with a PyTorch counterpart (its description's `torch`): elman, lstm, gru. */
export type TorchCell = CellKind;

/** A tensor as read from a file: shape, data, and the file's dtype name (e.g. "F32"). */
export interface InTensor { shape: number[]; data: ArrayLike<number>; dtype?: string }
/** A tensor for a state_dict file. */
export interface OutTensor { shape: number[]; data: Vec }

function err(msg: string): never { throw new RecurrentError(msg); }
/** "elman|lstm|gru": the registered cells with a PyTorch counterpart. */
const torchCells = () => cellsWhere((s) => s.torch !== undefined).map((s) => s.name).join("|");
/** The description of a cell PyTorch has, or undefined. */
function torchSpec(cell: unknown): (CellSpec & { torch: NonNullable<CellSpec["torch"]> }) | undefined {
  const spec = cellsWhere((s) => s.name === cell)[0];
  return spec?.torch ? (spec as CellSpec & { torch: NonNullable<CellSpec["torch"]> }) : undefined;
}
const shapeStr = (s: readonly number[]) => `(${s.join(", ")})`;

export interface ImportOptions {
  cell: TorchCell;
  /** Elman σ_h (nn.RNN's nonlinearity); default tanh. (sigmoid: for tfjs SimpleRNN.) */
  nonlinearity?: "tanh" | "relu" | "sigmoid";
  /** σ_y applied after the head (a state_dict cannot say; default linear). */
  outputActivation?: OutputActivation;
  /** LSTM/GRU gate activation (tfjs's default is hard_sigmoid); default sigmoid as PyTorch. */
  gateActivation?: "sigmoid" | "hard_sigmoid";
  /** GRU reset gate after (PyTorch, default) or before (tfjs's default) the recurrent product. */
  resetAfter?: boolean;
  /** Where the tensors came from, for error messages. */
  source?: string;
  /** Model precision; default: float64 for F64 files, else float32. */
  dtype?: DType;
}

/** Builds a model holding the weights of a PyTorch state_dict. Throws one clear line on any mismatch. */
export function importTorchStateDict(input: Record<string, InTensor>, opts: ImportOptions): Sequence {
  const src = opts.source ?? "state_dict";
  const { cell } = opts;
  const spec = torchSpec(cell) ?? err(`${src}: --cell: expected one of ${torchCells()}, got ${JSON.stringify(cell)}`);
  const G = gateBlocks(spec);
  // Strip an "rnn." prefix (a module holding `self.rnn = nn.LSTM(...)`), only from the RNN's keys.
  const t: Record<string, InTensor> = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === "__metadata__") continue;
    const name = k.startsWith("rnn.") ? k.slice(4) : k;
    if (name in t) err(`${src}: tensor "${k}": appears both bare and under "rnn."`);
    t[name] = v;
  }
  const dtypes = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) if (v.dtype) dtypes.set(v.dtype, dtypes.get(v.dtype) ?? k);
  if (dtypes.size > 1) {
    err(`${src}: mixed dtypes: expected one dtype for all tensors, got ${[...dtypes].map(([d, k]) => `${d} ("${k}")`).join(" and ")}`);
  }
  const fileDtype = [...dtypes.keys()][0];
  if (fileDtype && !["F32", "F64", "F16", "BF16"].includes(fileDtype)) err(`${src}: dtype: expected F32, F64, F16 or BF16 weights, got ${fileDtype}`);
  const w0 = t.weight_ih_l0 ?? err(`${src}: missing tensor "weight_ih_l0" (expected an ${spec.torch.module} state_dict, bare or under "rnn."); found ${Object.keys(input).slice(0, 8).join(", ") || "no tensors"}`);
  if (w0.shape.length !== 2 || w0.shape[0]! % G !== 0 || w0.shape[0]! === 0) {
    err(`${src}: tensor "weight_ih_l0": expected shape (${G}·H, I) for ${cell}, got ${shapeStr(w0.shape)}`);
  }
  const H = w0.shape[0]! / G;
  let L = 0;
  while (`weight_ih_l${L}` in t) L++;
  // bidirectional=True: every layer has a second set of tensors named *_reverse, and every layer
  // after the first (and the head) reads both directions' h: 2H.
  const bidirectional = "weight_ih_l0_reverse" in t;
  const dirs = bidirectional ? ["", "_reverse"] : [""];
  const D = dirs.length;

  // Every tensor we expect, with its shape; then anything left over is an error.
  const expected = new Map<string, number[]>();
  let I = w0.shape[1]!;
  const emb = t["embedding.weight"];
  if (emb) {
    if (emb.shape.length !== 2 || emb.shape[1] !== I) err(`${src}: tensor "embedding.weight": expected shape (V, ${I}) to feed weight_ih_l0 ${shapeStr(w0.shape)}, got ${shapeStr(emb.shape)}`);
    expected.set("embedding.weight", emb.shape);
  }
  for (let l = 0; l < L; l++) {
    const inSize = l === 0 ? I : D * H;
    for (const sfx of dirs) {
      expected.set(`weight_ih_l${l}${sfx}`, [G * H, inSize]);
      expected.set(`weight_hh_l${l}${sfx}`, [G * H, H]);
      expected.set(`bias_ih_l${l}${sfx}`, [G * H]);
      expected.set(`bias_hh_l${l}${sfx}`, [G * H]);
    }
  }
  const head = t["head.weight"] ?? t["head.bias"];
  let O = 0;
  if (head) {
    const hw = t["head.weight"] ?? err(`${src}: missing tensor "head.weight": expected it beside head.bias, got none`);
    if (hw.shape.length !== 2) err(`${src}: tensor "head.weight": expected shape (O, ${D * H}), got ${shapeStr(hw.shape)}`);
    O = hw.shape[0]!;
    expected.set("head.weight", [O, D * H]);
    expected.set("head.bias", [O]);
  }
  for (const [name, shape] of expected) {
    const v = t[name] ?? err(`${src}: missing tensor "${name}" (expected shape ${shapeStr(shape)}), got none`);
    if (v.shape.length !== shape.length || v.shape.some((d, i) => d !== shape[i])) {
      err(`${src}: tensor "${name}": expected shape ${shapeStr(shape)}, got ${shapeStr(v.shape)}`);
    }
    const n = shape.reduce((a, b) => a * b, 1);
    if (v.data.length !== n) err(`${src}: tensor "${name}": expected ${n} values for shape ${shapeStr(shape)}, got ${v.data.length}`);
    for (let i = 0; i < n; i++) if (!Number.isFinite(v.data[i])) err(`${src}: tensor "${name}": expected finite values, got ${v.data[i]} at index ${i}`);
  }
  for (const name of Object.keys(t)) {
    if (expected.has(name)) continue;
    const why = /^weight_hr_l/.test(name) ? " (LSTM proj_size is not supported)"
      : /_reverse$/.test(name) && !bidirectional ? " (a bidirectional state_dict has weight_ih_l0_reverse)"
      : /^(weight|bias)_(ih|hh)_l\d+(_reverse)?$/.test(name) ? ` (layers must be numbered 0..${L - 1} without gaps)` : "";
    err(`${src}: unexpected tensor "${name}" ${shapeStr(t[name]!.shape)}${why}: expected only the ${expected.size} tensors of the model, got it too`);
  }

  const dtype: DType = opts.dtype ?? (fileDtype === "F64" ? "float64" : "float32");
  // Layer 0's input weights per direction; with an embedding, folded into it.
  const wih0: Record<string, ArrayLike<number>> = {};
  for (const sfx of dirs) wih0[sfx] = t[`weight_ih_l0${sfx}`]!.data;
  if (emb) { // fold: W'(G·H, V) = W_ih (G·H, E) · Eᵀ (E, V), accumulated in float64
    const V = emb.shape[0]!, E = I;
    for (const sfx of dirs) {
      const w = wih0[sfx]!, folded = new Float64Array(G * H * V);
      for (let r = 0; r < G * H; r++) for (let v = 0; v < V; v++) {
        let s = 0;
        for (let e = 0; e < E; e++) s += w[r * E + e]! * emb.data[v * E + e]!;
        folded[r * V + v] = s;
      }
      wih0[sfx] = folded;
    }
    I = V;
  }
  const model = new Sequence({
    cell, input: I, hidden: H, layers: L, output: O,
    ...(O && opts.outputActivation ? { outputActivation: opts.outputActivation } : {}),
    ...(reads(spec, "hiddenActivation") ? { hiddenActivation: opts.nonlinearity ?? "tanh" } : {}),
    ...(reads(spec, "gateActivation") && opts.gateActivation ? { gateActivation: opts.gateActivation } : {}),
    ...(reads(spec, "resetAfter") && opts.resetAfter === false ? { resetAfter: false } : {}),
    ...(bidirectional ? { bidirectional: true } : {}),
  }, dtype);
  for (let l = 0; l < L; l++) for (const sfx of dirs) {
    const n = `_l${l}${sfx}`;   // the model's names are PyTorch's: weight_ih_l0_reverse ...
    model.get(`weight_ih${n}`).set(l === 0 ? wih0[sfx]! : t[`weight_ih${n}`]!.data);
    model.get(`weight_hh${n}`).set(t[`weight_hh${n}`]!.data);
    const bih = t[`bias_ih${n}`]!.data, bhh = t[`bias_hh${n}`]!.data;
    if (spec.torch.bias) {
      const b = model.get(`${spec.torch.bias}${n}`);
      for (let i = 0; i < H; i++) b[i] = bih[i]! + bhh[i]!; // b_h = b_ih + b_hh
    } else {
      model.get(`bias_ih${n}`).set(bih);
      model.get(`bias_hh${n}`).set(bhh);
    }
  }
  if (O) {
    model.get("head.weight").set(t["head.weight"]!.data);
    model.get("head.bias").set(t["head.bias"]!.data);
  }
  return model;
}

/** The model's weights as a PyTorch state_dict (optionally under a prefix such as "rnn."). */
export function exportTorchStateDict(model: Sequence, prefix = ""): Record<string, OutTensor> {
  const c = model.config, spec = cellSpec(c.cell);
  if (!spec.torch) err(`export: cell ${c.cell}: expected ${torchCells()} (PyTorch has no ${spec.title} network)`);
  const out: Record<string, OutTensor> = {};
  const copy = (name: string) => { const e = model.entry(name); return { shape: [...e.shape], data: model.get(name).slice() }; };
  if (c.embedding > 0) out["embedding.weight"] = copy("embedding.weight");   // an nn.Embedding called `embedding`
  // PyTorch's order: per layer, the forward direction's four tensors, then the reverse's.
  for (let l = 0; l < c.layers; l++) for (const sfx of c.bidirectional ? ["", "_reverse"] : [""]) {
    const n = `_l${l}${sfx}`;
    out[`${prefix}weight_ih${n}`] = copy(`weight_ih${n}`);
    out[`${prefix}weight_hh${n}`] = copy(`weight_hh${n}`);
    if (spec.torch.bias) {
      const b = copy(`${spec.torch.bias}${n}`);
      out[`${prefix}bias_ih${n}`] = b; // b_ih = b_h, b_hh = 0
      out[`${prefix}bias_hh${n}`] = { shape: b.shape, data: b.data.map(() => 0) };
    } else {
      out[`${prefix}bias_ih${n}`] = copy(`bias_ih${n}`);
      out[`${prefix}bias_hh${n}`] = copy(`bias_hh${n}`);
    }
  }
  if (model.head) {
    out["head.weight"] = copy("head.weight");
    out["head.bias"] = copy("head.bias");
  }
  return out;
}
