// Builds an ONNX graph for a (stacked) Jordan network. ONNX has no Jordan operator, so each
// layer is a `Scan` over time whose body graph is one step of DESIGN §1's equations:
//   s_t = σ_s(s_{t-1} W_ssᵀ + y_{t-1} W_syᵀ + b_s)
//   h_t = σ_h(x_t W_hᵀ + s_t U_hᵀ + b_h)
//   y_t = σ_y(h_t W_yᵀ + b_y)           (y_t is also the value fed back)
// Length and batch stay dynamic ("T", "B"). The fed-back value is always the network's own
// y_{t-1}: a model trained with teacher forcing runs free here, as it does in `predict`.
// Initial states: inputs s0_l{k} (B, S) and y0_l{k} (B, O) with `initialState`, else zeros.
// Outputs: y (T, B, O) and per layer s_n_l{k} (B, S), y_n_l{k} (B, O). Pure TS, browser-safe.
import { RecurrentError } from "../../errors.ts";
import type { YActivation } from "../../cells/jordan.ts";
import { DataType, encodeModel, type Graph, type Node, type Tensor, type ValueInfo } from "./proto.ts";

/** One Jordan layer's tensors (the toolkit's names and layout; see src/cells/jordan.ts). */
export interface JordanLayerSpec {
  input: number; hidden: number; state: number; output: number; // I, H, S, O
  weight_ih: ArrayLike<number>; weight_sh: ArrayLike<number>; bias_h: ArrayLike<number>; // (H, I), (H, S), (H)
  weight_ho: ArrayLike<number>; bias_o: ArrayLike<number>; // (O, H), (O)
  weight_ss: ArrayLike<number>; weight_so: ArrayLike<number>; bias_s: ArrayLike<number>; // (S, S), (S, O), (S)
  hiddenActivation: YActivation; stateActivation: YActivation; outputActivation: YActivation;
}

export interface OnnxJordanSpec {
  layers: JordanLayerSpec[];
  initialState?: boolean;
  opset?: number;
  doc?: string;
}

const ACT: Record<YActivation, string> = { tanh: "Tanh", sigmoid: "Sigmoid", relu: "Relu", linear: "Identity", softmax: "Softmax" };

/** (rows, cols) row-major → its transpose (cols, rows). */
function transposed(a: ArrayLike<number>, rows: number, cols: number, what: string): Float32Array {
  if (a.length !== rows * cols) throw new RecurrentError(`onnx export: ${what}: expected ${rows * cols} values, got ${a.length}`);
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c]!;
  return out;
}

/** The Scan body: one time step of layer `k`. */
function stepGraph(l: JordanLayerSpec, k: number): Graph {
  const { input: I, hidden: H, state: S, output: O } = l;
  const f32 = DataType.FLOAT;
  const inits: Tensor[] = [
    { name: "WssT", dims: [S, S], dataType: f32, data: transposed(l.weight_ss, S, S, `weight_ss_l${k}`) },
    { name: "WsoT", dims: [O, S], dataType: f32, data: transposed(l.weight_so, S, O, `weight_so_l${k}`) },
    { name: "bs", dims: [S], dataType: f32, data: l.bias_s },
    { name: "WihT", dims: [I, H], dataType: f32, data: transposed(l.weight_ih, H, I, `weight_ih_l${k}`) },
    { name: "WshT", dims: [S, H], dataType: f32, data: transposed(l.weight_sh, H, S, `weight_sh_l${k}`) },
    { name: "bh", dims: [H], dataType: f32, data: l.bias_h },
    { name: "WhoT", dims: [H, O], dataType: f32, data: transposed(l.weight_ho, O, H, `weight_ho_l${k}`) },
    { name: "bo", dims: [O], dataType: f32, data: l.bias_o },
  ];
  const act = (a: YActivation, x: string, y: string): Node =>
    ({ opType: ACT[a], inputs: [x], outputs: [y], ...(a === "softmax" ? { attributes: { axis: { kind: "int", value: -1 } } } : {}) });
  const nodes: Node[] = [
    { opType: "MatMul", inputs: ["s_prev", "WssT"], outputs: ["ss"] },
    { opType: "MatMul", inputs: ["y_prev", "WsoT"], outputs: ["sy"] },
    { opType: "Add", inputs: ["ss", "sy"], outputs: ["s_sum"] },
    { opType: "Add", inputs: ["s_sum", "bs"], outputs: ["s_pre"] },
    act(l.stateActivation, "s_pre", "s_t"),
    { opType: "MatMul", inputs: ["x_t", "WihT"], outputs: ["hx"] },
    { opType: "MatMul", inputs: ["s_t", "WshT"], outputs: ["hs"] },
    { opType: "Add", inputs: ["hx", "hs"], outputs: ["h_sum"] },
    { opType: "Add", inputs: ["h_sum", "bh"], outputs: ["h_pre"] },
    act(l.hiddenActivation, "h_pre", "h_t"),
    { opType: "MatMul", inputs: ["h_t", "WhoT"], outputs: ["z_mm"] },
    { opType: "Add", inputs: ["z_mm", "bo"], outputs: ["z_t"] },
    act(l.outputActivation, "z_t", "y_t"),
    { opType: "Identity", inputs: ["s_t"], outputs: ["s_out"] },
    { opType: "Identity", inputs: ["y_t"], outputs: ["y_out"] },
    { opType: "Identity", inputs: ["y_t"], outputs: ["y_scan"] },
  ];
  const vi = (name: string, n: number): ValueInfo => ({ name, dataType: f32, dims: ["B", n] });
  return {
    name: `jordan_step_l${k}`, nodes, initializers: inits,
    inputs: [vi("s_prev", S), vi("y_prev", O), vi("x_t", I)],
    outputs: [vi("s_out", S), vi("y_out", O), vi("y_scan", O)],
  };
}

export function buildJordanGraph(spec: OnnxJordanSpec): Graph {
  if (spec.layers.length === 0) throw new RecurrentError("onnx export: layers: expected at least 1 Jordan layer, got 0");
  const f32 = DataType.FLOAT;
  const nodes: Node[] = [];
  const inits: Tensor[] = [{ name: "t0", dims: [], dataType: DataType.INT64, data: [0] }];
  const inputs: ValueInfo[] = [{ name: "x", dataType: f32, dims: ["T", "B", spec.layers[0]!.input] }];
  const outputs: ValueInfo[] = [];
  let x = "x";
  spec.layers.forEach((l, k) => {
    let s0 = `s0_l${k}`, y0 = `y0_l${k}`;
    if (spec.initialState) {
      inputs.push({ name: s0, dataType: f32, dims: ["B", l.state] }, { name: y0, dataType: f32, dims: ["B", l.output] });
    } else {
      // Zeros of a dynamic batch size: x_0 (B, I) times a zero matrix (I, S) or (I, O).
      s0 = `zero_s_l${k}`; y0 = `zero_y_l${k}`;
      inits.push({ name: `Z_s_l${k}`, dims: [l.input, l.state], dataType: f32, data: new Float32Array(l.input * l.state) });
      inits.push({ name: `Z_y_l${k}`, dims: [l.input, l.output], dataType: f32, data: new Float32Array(l.input * l.output) });
      nodes.push({ opType: "Gather", inputs: [x, "t0"], outputs: [`x0_l${k}`], attributes: { axis: { kind: "int", value: 0 } } });
      nodes.push({ opType: "MatMul", inputs: [`x0_l${k}`, `Z_s_l${k}`], outputs: [s0] });
      nodes.push({ opType: "MatMul", inputs: [`x0_l${k}`, `Z_y_l${k}`], outputs: [y0] });
    }
    const seq = k === spec.layers.length - 1 ? "y" : `seq_l${k}`;
    nodes.push({
      opType: "Scan", name: `Jordan_l${k}`, inputs: [s0, y0, x], outputs: [`s_n_l${k}`, `y_n_l${k}`, seq],
      attributes: { body: { kind: "graph", value: stepGraph(l, k) }, num_scan_inputs: { kind: "int", value: 1 } },
    });
    outputs.push({ name: `s_n_l${k}`, dataType: f32, dims: ["B", l.state] }, { name: `y_n_l${k}`, dataType: f32, dims: ["B", l.output] });
    x = seq;
  });
  const top = spec.layers[spec.layers.length - 1]!;
  outputs.unshift({ name: "y", dataType: f32, dims: ["T", "B", top.output] });
  return { name: "recurrent_jordan", nodes, initializers: inits, inputs, outputs, doc: spec.doc };
}

/** The .onnx file bytes for a Jordan network (opset 17 unless given). */
export function encodeJordanModel(spec: OnnxJordanSpec): Uint8Array {
  return encodeModel({ graph: buildJordanGraph(spec), opset: spec.opset ?? 17, doc: spec.doc });
}
