// What every recurrent layer provides. A layer is stateless between calls except for the
// cache of its last forward (STYLE §5–6): state goes in and out as explicit values, the
// loop over time is visible in each cell's file, and BPTT is that loop reversed.
//
// Shape letters (see src/tensor/types.ts): B batch, T time, I input, H hidden,
// S Jordan state, O output, G gates. All sequences are time-major (T, B, ·).
import type { Vec } from "../tensor/types.ts";

/** One named parameter tensor of a layer, in PyTorch's naming where one exists. */
export interface TensorSpec {
  name: string; shape: number[];
  /** After the layer index in the model's name: "_reverse" for a bidirectional layer's reverse direction. */
  suffix?: string;
}

/** Per-call options of a forward pass. */
export interface ForwardOptions {
  /** (T, B): 1 where step t of sequence b is real, 0 where it is padding. Padding
   *  steps carry the state through unchanged, as PyTorch's packed sequences do. */
  mask?: Uint8Array | null;
  /** (T, B, O) targets fed back instead of the layer's own outputs (Jordan teacher forcing). */
  teacher?: Vec | null;
  /** Inference: the same outputs and states, bit for bit, but no cache for a backward (which
   *  then throws), so that a layer need not hold (T, B, ·) values beyond its output: LSTM and
   *  GRU run in blocks of INFERENCE_STEPS steps, holding one block's gates (and c, hn). */
  inference?: boolean;
}

/** Steps an inference pass runs as one block (its input projection one GEMM, its time loop one
 *  whole-sequence job where the fast backend has one): big enough for both to run well, small
 *  against a long sequence. A row's bits do not depend on how many rows a GEMM has
 *  (tensor/gemm.ts), nor a step's on where its block starts, so any size gives forward's bits. */
export const INFERENCE_STEPS = 16;

export interface Layer {
  /** The cell's name in the registry (./registry.ts): "elman", "jordan", "lstm", "gru" or a registered one. */
  readonly kind: string;
  /** I: input size. */
  readonly inputSize: number;
  /** Size of what the layer emits per step (H; a Jordan layer emits its output, O). */
  readonly outputSize: number;
  /** Sizes of the state vectors carried across time, in order (Elman/GRU [H], LSTM [H, H] for
   *  h and c, Jordan [S, O] for s and the fed-back y). */
  readonly stateSizes: number[];
  /** The layer's parameter tensors, in layout order (the flat block is their concatenation). */
  readonly tensors: TensorSpec[];

  /** Points the layer at its parameter and gradient blocks (views into the model's flat arrays). */
  bind(params: Vec, grads: Vec): void;

  /**
   * Runs the layer over a sequence.
   * x: (T, B, I). state0: one (B, stateSize) array per state, or null for zeros.
   * Returns the emitted sequence (T, B, outputSize) and the final states (B, stateSize) each.
   * Keeps the cache for `backward`; the returned arrays belong to the layer until the next call.
   */
  forward(x: Vec, T: number, B: number, state0: Vec[] | null, opts?: ForwardOptions): { out: Vec; state: Vec[] };

  /**
   * BPTT through the last forward. dOut: (T, B, outputSize) gradient of the loss wrt the emitted
   * sequence; dStateT: gradient wrt the final states (or null). Adds (+=) into the bound gradient
   * block; returns dx (T, B, I) (empty when `needDx` is false) and the gradient wrt the
   * initial states.
   */
  backward(dOut: Vec, dStateT: Vec[] | null, needDx?: boolean): { dx: Vec; dState0: Vec[] };
}

/** Throws the same clear error from every cell when backward has no forward to reverse. */
export function noCache(kind: string): never {
  throw new Error(`${kind}.backward: no cached forward pass; call forward first (backward reverses the last forward)`);
}

/** Cuts a layer's parameter and gradient blocks into [param, grad] views, one per tensor in
 *  layout order (the blocks are the tensors' concatenation). */
export function viewsOf(p: Vec, g: Vec, tensors: TensorSpec[]): Array<[Vec, Vec]> {
  let o = 0;
  return tensors.map((t) => {
    const n = t.shape.reduce((a, b) => a * b, 1);
    const v: [Vec, Vec] = [p.subarray(o, o + n), g.subarray(o, o + n)];
    o += n;
    return v;
  });
}

/** The four tensors of a gated layer with G gates (LSTM 4, GRU 3), as PyTorch names them. */
export function gatedTensors(G: number, I: number, H: number): TensorSpec[] {
  return [
    { name: "weight_ih", shape: [G * H, I] },
    { name: "weight_hh", shape: [G * H, H] },
    { name: "bias_ih", shape: [G * H] },
    { name: "bias_hh", shape: [G * H] },
  ];
}
