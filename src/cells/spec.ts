// What a cell is to everything outside its layer class: one `CellSpec` per cell, exported at
// the end of the cell's own file and listed in ./registry.ts. The network builds its layers
// through it; the configuration, parameter counts and formula, memory budget, initialisation,
// gradient diagnostics, prediction and the PyTorch, ONNX and TF.js codecs read it instead of
// branching on the cell's name. Adding a cell: its file (layer + spec) and the registry's list.
// Not here: the list itself (./registry.ts) and any arithmetic of a layer (each cell's file).
//
// Shape letters as in ./layer.ts: I input, H hidden, S Jordan state, O output, G gate blocks.
import type { Activation, GateActivation } from "../tensor/ops.ts";
import type { DType } from "../tensor/types.ts";
import type { Layer } from "./layer.ts";

/**
 * What a parameter tensor is, which decides its initialisation (model/initialize.ts) and what
 * the diagnostics read:
 *   input      a weight matrix into the step's pre-activations (W_ih; Jordan's W_h, U_h, W_sy)
 *   recurrent  a state's square-blocked weight onto itself one step later (W_hh, Jordan's
 *              W_ss): (G·n, n), one (n, n) block per gate; orthogonal under the glorot scheme
 *   bias       a vector added to pre-activations
 *   head       an output layer's weight (the model's head.weight; Jordan's W_y)
 *   embedding  the (V, E) table looked up by token id
 */
export type TensorRole = "input" | "recurrent" | "bias" | "head" | "embedding";

/** One of a cell's tensors, by the name its layer gives it (TensorSpec.name). */
export interface CellTensor {
  role: TensorRole;
  /** A recurrent matrix's row blocks, in order (default: the cell's gates): what the spectral
   *  diagnostics name each (n, n) block. */
  blocks?: readonly string[];
  /** Under the glorot scheme, the gate blocks of this bias that start at a value other than 0
   *  (LSTM: the forget gate at 1, Jozefowicz et al. 2015). */
  gateBias?: Readonly<Record<string, number>>;
}

/** The options a cell may read beyond the sizes; a configuration that gives one to a cell that
 *  does not read it (with a value other than its default) is refused (model/config.ts). */
export type CellOption = "hiddenActivation" | "gateActivation" | "resetAfter" | "state";

/** The (normalised) configuration a cell sees: model/config.ts's ModelConfig satisfies it. */
export interface CellConfig {
  cell: string;
  /** H: hidden units per layer; O: outputs per step; S: a Jordan state's size. */
  hidden: number; output: number; state: number;
  hiddenActivation: Activation; stateActivation: Activation; outputActivation: "softmax" | Activation;
  feedback: "output" | "teacher";
  gateActivation: GateActivation; resetAfter: boolean;
}

/** Where a layer sits in its stack: its input size and whether it is the top layer. */
export interface LayerPlace {
  /** I of this layer: the model's input (or embedding) size for layer 0, else what the layer below emits (both directions'). */
  input: number;
  top: boolean;
  config: CellConfig;
}

/** The numbers a formula's text shows (model/summary.ts fills them in). */
export interface FormulaSizes {
  /** d_in of the first layer (the embedding's E when there is one), h, d_out, s, layers. */
  I: number; H: number; O: number; S: number; L: number;
  bidirectional: boolean;
  /** What later layers and the head read: "h", or "2h" when bidirectional. */
  dh: string;
  /** " per layer", or " per layer and direction". */
  per: string;
  /** The stack's remark: " (first layer; 2 more with d_in = h)", ", plus the embedding V·E = …". */
  layers: string;
}

/** The toolkit's names of the activations an ONNX RNN/LSTM/GRU node may list. */
export type OnnxActivation = "tanh" | "relu" | "sigmoid" | "hard_sigmoid";

/** The options an ONNX export carries (formats/onnx/rnn-graph.ts's OnnxRnnSpec). */
export interface OnnxCellOptions { nonlinearity?: "tanh" | "relu" | "sigmoid"; gateActivation?: GateActivation; resetAfter?: boolean }

/** A cell exported as one of ONNX's recurrent operators. */
export interface OnnxRnnOp {
  graph: "rnn";
  /** The ONNX operator: "RNN", "LSTM" or "GRU". Its states are the cell's (`initial_h`, `initial_c` ...). */
  op: string;
  /** The operator's gate order, by the cell's gate names (LSTM i,o,f,c = i,o,f,g). */
  gates: readonly string[];
  /** The node's `activations` for one direction, or null for the operator's defaults. */
  activations(o: OnnxCellOptions): readonly OnnxActivation[] | null;
  /** Integer attributes of the node (GRU's linear_before_reset). */
  ints?(o: OnnxCellOptions): Record<string, number>;
}

export interface CellSpec {
  /** The registry's key: config.cell, `--cell`, Layer.kind. */
  readonly name: string;
  /** For people: "LSTM", "Elman" (toString, messages). */
  readonly title: string;
  /** Every tensor a layer of the cell has, by name (PyTorch's where it has one). */
  readonly tensors: Readonly<Record<string, CellTensor>>;
  /** Gate names in layout (PyTorch) order, the row blocks of the gate weights; [] without gates. */
  readonly gates: readonly string[];
  /** Names of the carried states, in Layer.stateSizes order (PyTorch's h, c; Jordan's s, y). */
  readonly states: readonly string[];
  readonly options: readonly CellOption[];
  /** The layer computes the model's output y itself and feeds it back (Jordan): no separate
   *  head, O ≥ 1, one direction only, optional teacher forcing (config.feedback), and the
   *  output activation is applied to what the top layer emits. */
  readonly feedsBackOutput?: boolean;

  /** A new layer (parameters unbound) for its place in the stack. */
  build(place: LayerPlace, dtype: DType): Layer;
  /** What the layer emits per step and direction (Layer.outputSize), without building it. */
  outputSize(place: LayerPlace): number;
  /** One layer's parameters (one direction) by the lecture's formula, independent of the layout code. */
  count(place: LayerPlace): number;
  /** The lecture's formula for the whole model, with its numbers. */
  formula(s: FormulaSizes): string;
  /** Values one step of one sequence keeps per layer and direction for BPTT, cache and
   *  gradient (model/budget.ts): gates, pre-activations, states and their tanh. */
  perStep(c: CellConfig): number;

  /** PyTorch's default initialisation ("pytorch" scheme): nn.RNN/LSTM/GRU's U(−1/√H, 1/√H)
   *  for every tensor but the head's ("rnn"), or nn.Linear's U(−1/√fan_in, 1/√fan_in) per
   *  tensor ("linear": a cell PyTorch lacks, built from linear maps). */
  readonly torchInit: "rnn" | "linear";
  /** nn.RNN / nn.LSTM / nn.GRU: tensors weight_ih, weight_hh, bias_ih, bias_hh per layer, G·H rows each. */
  readonly torch?: {
    /** "nn.LSTM", for messages. */
    module: string;
    /** The cell's one bias tensor standing for nn.*'s bias_ih + bias_hh (Elman's "bias"): import
     *  adds them, export writes bias_ih = b, bias_hh = 0. Absent: the two biases are the cell's own. */
    bias?: string;
  };
  /** How ONNX expresses the cell: one of its RNN operators (formats/onnx/rnn-graph.ts), or a Scan
   *  loop per layer (Jordan: formats/onnx/jordan-graph.ts). Absent: no ONNX export. */
  readonly onnx?: OnnxRnnOp | { graph: "scan" };
  /** tfjs-layers' counterpart (formats/tfjs.ts): its class name and gate order by the cell's gate names. */
  readonly tfjs?: { className: string; gates: readonly string[] };
}

/** G: row blocks of the gate weights, (G·H, ·): the gates, or 1 for a cell without gates. */
export function gateBlocks(spec: CellSpec): number {
  return Math.max(1, spec.gates.length);
}

/** Whether the cell reads `option`. */
export function reads(spec: CellSpec, option: CellOption): boolean {
  return spec.options.includes(option);
}

/** Block k of a reordered matrix comes from block perm[k] of the original: `to` in `from`'s order
 *  (one block [0] for a cell without gates). */
export function gatePermutation(from: readonly string[], to: readonly string[]): number[] {
  return to.length ? to.map((g) => from.indexOf(g)) : [0];
}

/** The text of a stack of layers under a linear head: "<layer> + d_out(h + 1) with h=…". */
export function headedFormula(layer: string, s: FormulaSizes): string {
  return `${layer} + d_out(${s.dh} + 1) with h=${s.H}, d_in=${s.I}, d_out=${s.O}${s.layers}`;
}
