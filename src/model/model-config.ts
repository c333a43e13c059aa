// What `config.json`'s "model" holds: the configuration's types and the names they allow.
// Validation (defaults, one error per field, the memory check) is ./config.ts's normaliseConfig.
import type { Activation, GateActivation } from "../tensor/ops.ts";
import { CELL_NAMES, type CellNames } from "../cells/registry.ts";

/** The cells' names: the registry's list (../cells/registry.ts), registered cells included. */
export const CELLS = CELL_NAMES;
/** A cell's name: a built-in one, or one added with registerCell (and to the registry's CellNames). */
export type CellKind = keyof CellNames;
export const OUTPUT_ACTIVATIONS = ["linear", "softmax", "sigmoid"] as const;
export type OutputActivation = (typeof OUTPUT_ACTIVATIONS)[number];

export interface ModelConfig {
  cell: CellKind;
  /** I: input features per step; with an embedding, the vocabulary size V (inputs are token ids). */
  input: number;
  /** E: embedding size. 0 (default) = inputs are feature vectors (T, B, I); E > 0 = inputs are
   *  token ids (T, B) looked up in `embedding.weight` (V, E), as nn.Embedding. */
  embedding?: number;
  /** H: hidden units per layer. */
  hidden: number;
  /** Stacked recurrent layers (default 1). */
  layers: number;
  /** O: outputs per step of the head; 0 = no head (the model emits the top layer's h). Jordan needs O ≥ 1. */
  output: number;
  /** S: Jordan state size (default O). */
  state?: number;
  /** σ_h for Elman and Jordan (default tanh). LSTM and GRU have fixed activations. */
  hiddenActivation?: Activation;
  /** σ_s for Jordan (default tanh). */
  stateActivation?: Activation;
  /** σ_y of the head (default linear). Softmax pairs with cross-entropy, sigmoid with BCE. */
  outputActivation?: OutputActivation;
  /** Jordan feedback: the network's own y_{t-1} ("output", default) or the target ("teacher"). */
  feedback?: "output" | "teacher";
  /** LSTM/GRU gate activation: PyTorch's "sigmoid" (default) or tfjs's "hard_sigmoid". */
  gateActivation?: GateActivation;
  /** GRU: reset gate after the recurrent product (PyTorch, default true) or before it (Keras/tfjs). */
  resetAfter?: boolean;
  /** Dropout p in training on the non-recurrent connections (Zaremba et al. 2014: the embedding's
   *  output, between layers, before the head); 0 (default) = none. Inference never drops. */
  dropout?: number;
  /** Every layer also reads each sequence backwards (PyTorch's bidirectional=True): 2H per step. */
  bidirectional?: boolean;
}
