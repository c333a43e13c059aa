// Builds an ONNX graph for a stack of recurrent layers given in PyTorch's layout and names
// (weight_ih_l{k} (G·H, I), weight_hh_l{k} (G·H, H), bias_ih_l{k}, bias_hh_l{k} (G·H)), with
// an optional per-step Linear head (+ Softmax/Sigmoid).
// Each cell's description (src/cells/*.ts, `onnx`) names its operator, gate order and
// attributes: Elman → ONNX RNN, LSTM → LSTM (gates i,f,g,o → i,o,f,c), GRU → GRU (r,z,n →
// z,r,h, linear_before_reset=1); the op's states are the cell's (h, and c for LSTM).
// Batch and sequence length are dynamic dims "B" and "T".
// Bidirectional layers (each layer's `reverse` weights, PyTorch's *_reverse tensors) become one
// node with direction="bidirectional" (W, R, B stacked forward then reverse); its Y
// (T, 2, B, H) is transposed and reshaped to (T, B, 2H) = [h→ ; h←] as PyTorch concatenates,
// and its Y_h (2, B, H) stacks into h_n (2L, B, H) in PyTorch's (layers × directions) order.
// With a head, a bidirectional graph also outputs y_summary (B, O): the head over the top
// layer's final h of both directions, the per-sequence readout of Sequence.forwardSummary.
// It knows nothing of the toolkit's model objects (src/formats/pytorch.ts maps those to this spec)
// and does not cover Jordan networks (no ONNX op; see jordan-graph.ts). Pure TS, browser-safe.
import { cellSpec } from "../../cells/registry.ts";
import { gateBlocks, gatePermutation, type CellSpec, type OnnxActivation, type OnnxRnnOp } from "../../cells/spec.ts";
import { RecurrentError } from "../../errors.ts";
import type { OutputActivation } from "../../model/config.ts";
import { DataType, encodeModel, type Graph, type Node, type Tensor, type ValueInfo } from "./proto.ts";

/** A cell exported as an ONNX recurrent operator (its description's `onnx.graph` is "rnn"): elman, lstm, gru. */
export type OnnxCell = string;

/** One layer's tensors in PyTorch's layout (row-major, gate blocks stacked along rows). */
export interface TorchLayerWeights {
  weight_ih: ArrayLike<number>; // (G·H, I_l)
  weight_hh: ArrayLike<number>; // (G·H, H)
  bias_ih: ArrayLike<number>; // (G·H)
  bias_hh: ArrayLike<number>; // (G·H)
  /** The reverse direction's tensors (*_l{k}_reverse) of a bidirectional layer: all layers or none. */
  reverse?: Omit<TorchLayerWeights, "reverse">;
}

export interface OnnxRnnSpec {
  cell: OnnxCell;
  nonlinearity?: "tanh" | "relu" | "sigmoid"; // Elman only (default tanh)
  gateActivation?: "sigmoid" | "hard_sigmoid"; // LSTM/GRU gates (default sigmoid)
  resetAfter?: boolean; // GRU: linear_before_reset = 1 when true (default, PyTorch), 0 when false
  inputSize: number; // I (with an embedding: its size E)
  hiddenSize: number; // H
  /** nn.Embedding before the first layer: weight (V, E); the graph then takes int64 "tokens" (T, B). */
  embedding?: { weight: ArrayLike<number>; vocab: number };
  layers: TorchLayerWeights[];
  /** nn.Linear on every step: weight (O, H) (bidirectional: (O, 2H)), bias (O). */
  head?: { weight: ArrayLike<number>; bias: ArrayLike<number>; outputSize: number; activation?: OutputActivation };
  /** Add graph inputs "h0" (L·D, B, H) (and "c0" for LSTM; D = 2 directions when
   *  bidirectional); otherwise states start at zero. */
  initialState?: boolean;
  opset?: number;
  doc?: string;
}

const ONNX_ACT: Record<OnnxActivation, string> = { tanh: "Tanh", relu: "Relu", sigmoid: "Sigmoid", hard_sigmoid: "HardSigmoid" };

/** The cell's description and its ONNX operator, or a one-line error for a cell without one. */
function onnxOp(cell: OnnxCell): { spec: CellSpec; onnx: OnnxRnnOp } {
  const spec = cellSpec(cell, "onnx export: cell"), onnx = spec.onnx;
  if (onnx?.graph !== "rnn") throw new RecurrentError(`onnx export: cell ${cell}: expected a cell with an ONNX recurrent operator, got ${spec.title}, which has none`);
  return { spec, onnx };
}

/** Reorders the row blocks (each `rows`×`cols`) of a (G·rows, cols) matrix. */
export function permuteBlocks(a: ArrayLike<number>, rows: number, cols: number, fromTorch: number[]): Float32Array {
  const block = rows * cols;
  const out = new Float32Array(block * fromTorch.length);
  fromTorch.forEach((src, dst) => {
    for (let k = 0; k < block; k++) out[dst * block + k] = a[src * block + k]!;
  });
  return out;
}

function checkLen(a: ArrayLike<number>, n: number, what: string): void {
  if (a.length !== n) throw new RecurrentError(`onnx export: ${what}: expected ${n} values, got ${a.length}`);
}

/** The ONNX graph (not yet encoded) for `spec`. */
export function buildRnnGraph(spec: OnnxRnnSpec): Graph {
  const { cell, hiddenSize: H, layers } = spec;
  const { spec: cs, onnx } = onnxOp(cell);
  // Gate blocks, and where ONNX's k-th block comes from in PyTorch's order.
  const G = gateBlocks(cs), fromTorch = gatePermutation(cs.gates, onnx.gates), op = onnx.op;
  // The op's states are the cell's, h first: graph inputs h0 (c0 ...), outputs h_n (c_n ...).
  const states = cs.states;
  if (layers.length === 0) throw new RecurrentError("onnx export: layers: expected at least 1 layer, got 0");
  const L = layers.length;
  const bidirectional = layers[0]!.reverse !== undefined;
  if (layers.some((lw) => (lw.reverse !== undefined) !== bidirectional)) throw new RecurrentError("onnx export: layers: expected reverse weights on every layer or on none (bidirectional), got a mix");
  const D = bidirectional ? 2 : 1;   // directions
  const dirWeights = (lw: TorchLayerWeights) => (lw.reverse ? [lw, lw.reverse] : [lw]);
  const nodes: Node[] = [];
  const inits: Tensor[] = [];
  const inputs: ValueInfo[] = [];
  const outputs: ValueInfo[] = [];
  const f32 = DataType.FLOAT;
  const int64 = (name: string, data: number[]): string => {
    inits.push({ name, dims: [data.length], dataType: DataType.INT64, data });
    return name;
  };
  const axes0 = int64("axes_0", [0]);
  const axes1 = int64("axes_1", [1]);

  let x = "x";
  if (spec.embedding) {
    // Token ids (T, B) → Gather rows of the (V, E) table → (T, B, E).
    checkLen(spec.embedding.weight, spec.embedding.vocab * spec.inputSize, "embedding.weight");
    inputs.push({ name: "tokens", dataType: DataType.INT64, dims: ["T", "B"] });
    inits.push({ name: "embedding_weight", dims: [spec.embedding.vocab, spec.inputSize], dataType: f32, data: spec.embedding.weight });
    nodes.push({ opType: "Gather", inputs: ["embedding_weight", "tokens"], outputs: [x], attributes: { axis: { kind: "int", value: 0 } } });
  } else {
    inputs.push({ name: "x", dataType: f32, dims: ["T", "B", spec.inputSize] });
  }
  if (spec.initialState) for (const s of states) inputs.push({ name: `${s}0`, dataType: f32, dims: [L * D, "B", H] });

  const finals: string[][] = states.map(() => []);   // per state, each layer's final value
  layers.forEach((lw, l) => {
    const I = l === 0 ? spec.inputSize : D * H;
    const dw = dirWeights(lw);
    dw.forEach((w, d) => {
      const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
      checkLen(w.weight_ih, G * H * I, `weight_ih${sfx}`);
      checkLen(w.weight_hh, G * H * H, `weight_hh${sfx}`);
      checkLen(w.bias_ih, G * H, `bias_ih${sfx}`);
      checkLen(w.bias_hh, G * H, `bias_hh${sfx}`);
    });
    // One block per direction, forward first (ONNX's num_directions axis).
    const W = `W_l${l}`, R = `R_l${l}`, B = `B_l${l}`;
    const w = new Float32Array(D * G * H * I), r = new Float32Array(D * G * H * H);
    const b = new Float32Array(D * 2 * G * H); // ONNX B = [Wb | Rb] per direction
    dw.forEach((dir, d) => {
      w.set(permuteBlocks(dir.weight_ih, H, I, fromTorch), d * G * H * I);
      r.set(permuteBlocks(dir.weight_hh, H, H, fromTorch), d * G * H * H);
      b.set(permuteBlocks(dir.bias_ih, H, 1, fromTorch), d * 2 * G * H);
      b.set(permuteBlocks(dir.bias_hh, H, 1, fromTorch), d * 2 * G * H + G * H);
    });
    inits.push({ name: W, dims: [D, G * H, I], dataType: f32, data: w });
    inits.push({ name: R, dims: [D, G * H, H], dataType: f32, data: r });
    inits.push({ name: B, dims: [D, 2 * G * H], dataType: f32, data: b });

    const init = states.map(() => "");   // this layer's initial states, (D, B, H) each
    if (spec.initialState) {
      const starts = int64(`start_l${l}`, [l * D]), ends = int64(`end_l${l}`, [(l + 1) * D]);
      states.forEach((s, k) => {
        init[k] = `${s}0_l${l}`;
        nodes.push({ opType: "Slice", inputs: [`${s}0`, starts, ends, axes0], outputs: [init[k]!] });
      });
    }
    const attributes: Node["attributes"] = { hidden_size: { kind: "int", value: H } };
    if (bidirectional) attributes.direction = { kind: "string", value: "bidirectional" };
    // Activation lists name one set per direction.
    const perDir = <T,>(a: T[]): T[] => (bidirectional ? [...a, ...a] : a);
    for (const [k, v] of Object.entries(onnx.ints?.(spec) ?? {})) attributes[k] = { kind: "int", value: v };
    const acts = onnx.activations(spec);
    if (acts) {
      attributes.activations = { kind: "strings", value: perDir(acts.map((a) => ONNX_ACT[a])) };
      if (acts.includes("hard_sigmoid")) {
        // tfjs's hard sigmoid is ONNX HardSigmoid(alpha 0.2, beta 0.5); alpha/beta are read in
        // the order of the activations (f, g[, h]), and ignored by Tanh.
        attributes.activation_alpha = { kind: "floats", value: perDir(acts.map((a) => (a === "hard_sigmoid" ? 0.2 : 0))) };
        attributes.activation_beta = { kind: "floats", value: perDir(acts.map((a) => (a === "hard_sigmoid" ? 0.5 : 0))) };
      }
    }
    const rnnInputs = [x, W, R, B, "", ...init];
    while (rnnInputs[rnnInputs.length - 1] === "") rnnInputs.pop();
    const Y = `Y_l${l}`; // (T, D, B, H)
    const outs = [Y, ...states.map((s) => `${s}_n_l${l}`)];
    nodes.push({ opType: op, name: `${op}_l${l}`, inputs: rnnInputs, outputs: outs, attributes });
    states.forEach((s, k) => finals[k]!.push(`${s}_n_l${l}`));
    x = `seq_l${l}`; // (T, B, D·H)
    if (bidirectional) {
      // (T, 2, B, H) → (T, B, 2, H) → (T, B, 2H): each step's [h→ ; h←], as PyTorch's output.
      nodes.push({ opType: "Transpose", inputs: [Y], outputs: [`${Y}_tbdh`], attributes: { perm: { kind: "ints", value: [0, 2, 1, 3] } } });
      nodes.push({ opType: "Reshape", inputs: [`${Y}_tbdh`, int64(`shape_l${l}`, [0, 0, -1])], outputs: [x] });
    } else {
      nodes.push({ opType: "Squeeze", inputs: [Y, axes1], outputs: [x] });
    }
  });

  let width = D * H;
  if (spec.head) {
    const { weight, bias, outputSize: O, activation = "linear" } = spec.head;
    const K = D * H;   // the head reads both directions' h
    checkLen(weight, O * K, "head.weight");
    checkLen(bias, O, "head.bias");
    const wt = new Float32Array(K * O); // (K, O) = head.weight^T
    for (let o = 0; o < O; o++) for (let h = 0; h < K; h++) wt[h * O + o] = weight[o * K + h]!;
    inits.push({ name: "head.weight_t", dims: [K, O], dataType: f32, data: wt });
    inits.push({ name: "head.bias", dims: [O], dataType: f32, data: bias });
    nodes.push({ opType: "MatMul", inputs: [x, "head.weight_t"], outputs: ["head_mm"] });
    const lin = activation === "linear" ? "y" : "head_logits";
    nodes.push({ opType: "Add", inputs: ["head_mm", "head.bias"], outputs: [lin] });
    if (activation === "softmax") nodes.push({ opType: "Softmax", inputs: [lin], outputs: ["y"], attributes: { axis: { kind: "int", value: -1 } } });
    if (activation === "sigmoid") nodes.push({ opType: "Sigmoid", inputs: [lin], outputs: ["y"] });
    width = O;
    if (bidirectional) {
      // y_summary (B, O): the head over the top layer's final h of both directions (B, 2H), what a
      // bidirectional classifier or forecaster reads (PyTorch: head(cat(h_n[-2], h_n[-1]))).
      const top = `h_n_l${L - 1}`;   // (2, B, H)
      nodes.push({ opType: "Transpose", inputs: [top], outputs: ["summary_bdh"], attributes: { perm: { kind: "ints", value: [1, 0, 2] } } });
      nodes.push({ opType: "Reshape", inputs: ["summary_bdh", int64("shape_summary", [0, -1])], outputs: ["summary"] });
      nodes.push({ opType: "MatMul", inputs: ["summary", "head.weight_t"], outputs: ["summary_mm"] });
      const slin = activation === "linear" ? "y_summary" : "summary_logits";
      nodes.push({ opType: "Add", inputs: ["summary_mm", "head.bias"], outputs: [slin] });
      if (activation === "softmax") nodes.push({ opType: "Softmax", inputs: [slin], outputs: ["y_summary"], attributes: { axis: { kind: "int", value: -1 } } });
      if (activation === "sigmoid") nodes.push({ opType: "Sigmoid", inputs: [slin], outputs: ["y_summary"] });
    }
  } else {
    nodes.push({ opType: "Identity", inputs: [x], outputs: ["y"] });
  }
  outputs.push({ name: "y", dataType: f32, dims: ["T", "B", width] });
  if (bidirectional && spec.head) outputs.push({ name: "y_summary", dataType: f32, dims: ["B", width] });
  const stack = (names: string[], out: string) =>
    nodes.push(names.length === 1
      ? { opType: "Identity", inputs: names, outputs: [out] }
      : { opType: "Concat", inputs: names, outputs: [out], attributes: { axis: { kind: "int", value: 0 } } });
  states.forEach((s, k) => {
    stack(finals[k]!, `${s}_n`);
    outputs.push({ name: `${s}_n`, dataType: f32, dims: [L * D, "B", H] });
  });
  return { name: `recurrent_${cell}`, nodes, initializers: inits, inputs, outputs, doc: spec.doc };
}

/** The .onnx file bytes for `spec` (opset 17 unless given). */
export function encodeRnnModel(spec: OnnxRnnSpec): Uint8Array {
  return encodeModel({ graph: buildRnnGraph(spec), opset: spec.opset ?? 17, doc: spec.doc });
}
