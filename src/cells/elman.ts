// Elman layer (Elman 1990, "Finding structure in time"): the simple recurrent network.
//
//   h_t = σ_h(W_x x_t + U_h h_{t-1} + b_h)
//
// Parameters (PyTorch nn.RNN names; one bias, so the count is h(h + d_in + 1)):
//   weight_ih (H, I) = W_x,  weight_hh (H, H) = U_h,  bias (H) = b_h
// The output layer y_t = σ_y(W_y h_t + b_y) is the model's head (src/model/head.ts).
// The step and its backward are the plain functions `elmanStep`/`elmanStepBackward` below (the
// reference); the WebAssembly paths are in elman-fast.ts, chosen in one line by the layer.
// Not here: stacking, heads, losses (src/model), optimisation (src/train).
import { gemm } from "../tensor/gemm.ts";
import { activate, activateBackward, addBias, addBiasBackward, type Activation } from "../tensor/ops.ts";
import type { DType, Vec } from "../tensor/types.ts";
import { elmanBackwardFast, elmanForwardFast } from "./elman-fast.ts";
import { noCache, viewsOf, type ForwardOptions, type Layer, type TensorSpec } from "./layer.ts";
import { headedFormula, type CellSpec } from "./spec.ts";
import { copyPadded, recurrentBackward, zeroPadded } from "./padding.ts";
import { Workspace } from "./workspace.ts";

/**
 * One Elman step over a (B, H) block, the lecture's equation with the input term precomputed:
 *   h_t = σ_h(W_x x_t + b_h + U_h h_{t-1})
 * hs (·, B, H): h_{t-1} at prev; at cur W_x x_t + b_h, overwritten by h_t. U (H, H) = U_h.
 */
export function elmanStep(act: Activation, U: Vec, hs: Vec, prev: number, cur: number, B: number, H: number): void {
  gemm(false, true, B, H, H, hs, prev, U, 0, hs, cur, true);   // + h_{t-1} U_hᵀ
  activate(act, hs, hs, cur, B * H);
}

/**
 * Its backward at step t, given dh (B, H) = ∂L/∂h_t (this step's output gradient included):
 *   dpre_t = dh ⊙ σ_h'(h_t)          (B, H) at dpre[t·B·H], zero on padding rows
 *   dh_{t-1} = dpre_t U_h            written over dh; padding rows keep dh (their h_t was h_{t-1})
 * hs (T+1, B, H) as the forward left it; keep (B, H) scratch, needed only with a mask (T, B).
 */
export function elmanStepBackward(act: Activation, U: Vec, hs: Vec, dh: Vec, dpre: Vec, t: number, B: number, H: number,
  mask: Uint8Array | null, keep: Vec | null): void {
  const cur = (t + 1) * B * H, o = t * B * H;
  activateBackward(act, hs, cur, dh, 0, dpre, o, B * H);
  if (mask) zeroPadded(mask, t, B, H, dpre, o);
  recurrentBackward(dpre, o, U, dh, B, H, H, mask, t, keep);
}

export class ElmanLayer implements Layer {
  readonly kind = "elman";
  readonly outputSize: number;
  readonly stateSizes: number[];
  readonly tensors: TensorSpec[];
  private W!: Vec; private U!: Vec; private b!: Vec;      // (H, I), (H, H), (H)
  private dW!: Vec; private dU!: Vec; private db!: Vec;
  private ws: Workspace;
  private cache: { x: Vec; T: number; B: number; mask: Uint8Array | null } | null = null;

  constructor(readonly inputSize: number, readonly hidden: number, readonly activation: Activation, dtype: DType) {
    const I = inputSize, H = hidden;
    this.outputSize = H;
    this.stateSizes = [H];
    this.tensors = [
      { name: "weight_ih", shape: [H, I] },
      { name: "weight_hh", shape: [H, H] },
      { name: "bias", shape: [H] },
    ];
    this.ws = new Workspace(dtype);
  }

  bind(p: Vec, g: Vec): void {
    [[this.W, this.dW], [this.U, this.dU], [this.b, this.db]] = viewsOf(p, g, this.tensors);
  }

  forward(x: Vec, T: number, B: number, state0: Vec[] | null, opts: ForwardOptions = {}): { out: Vec; state: Vec[] } {
    const I = this.inputSize, H = this.hidden, mask = opts.mask ?? null, act = this.activation;
    const hs = this.ws.get("hs", (T + 1) * B * H);          // (T+1, B, H); hs[0] = h_0
    if (state0) hs.set(state0[0].subarray(0, B * H)); else hs.fill(0, 0, B * H);
    // Input projection for all steps at once: (T·B, I) · W_xᵀ → (T·B, H), written at hs[1..].
    gemm(false, true, T * B, H, I, x, 0, this.W, 0, hs, B * H, false);
    addBias(hs, B * H, T * B, this.b, H);                    // + b_h, every step at once
    const fast = elmanForwardFast(act, this.U, hs, T, B, H, mask);   // WebAssembly when installed
    for (let t = 0; t < T && !fast; t++) {
      elmanStep(act, this.U, hs, t * B * H, (t + 1) * B * H, B, H);
      if (mask) copyPadded(mask, t, B, H, hs, t * B * H, hs, (t + 1) * B * H);
    }
    // hs is the output itself: an inference pass only keeps no cache (the backward throws).
    this.cache = opts.inference ? null : { x, T, B, mask };
    const out = hs.subarray(B * H);                           // (T, B, H)
    const state = [hs.slice(T * B * H, (T + 1) * B * H)];
    return { out, state };
  }

  backward(dOut: Vec, dStateT: Vec[] | null, needDx = true): { dx: Vec; dState0: Vec[] } {
    if (!this.cache) noCache("elman");
    const { x, T, B, mask } = this.cache;
    const I = this.inputSize, H = this.hidden;
    const hs = this.ws.get("hs", (T + 1) * B * H);
    const dpre = this.ws.get("dpre", T * B * H);              // (T, B, H) gradient wrt pre-activations
    const dh = this.ws.get("dh", B * H);                      // (B, H) carried gradient wrt h_t
    if (dStateT) dh.set(dStateT[0]); else dh.fill(0);
    const act = this.activation, keep = mask ? this.ws.get("keep", B * H) : null;
    const fast = elmanBackwardFast(act, this.U, hs, dOut, dh, dpre, T, B, H, mask, keep);   // WebAssembly when installed
    for (let t = T - 1; t >= 0 && !fast; t--) {
      for (let i = 0, o = t * B * H; i < B * H; i++) dh[i] += dOut[o + i];   // ∂L/∂h_t: step t's output and step t+1
      elmanStepBackward(act, this.U, hs, dh, dpre, t, B, H, mask, keep);
    }
    // Weight gradients as one GEMM each over all steps (cuDNN's trick).
    gemm(true, false, H, H, T * B, dpre, 0, hs, 0, this.dU, 0, true);   // dU += Σ_t dpre_tᵀ h_{t-1}
    gemm(true, false, H, I, T * B, dpre, 0, x, 0, this.dW, 0, true);    // dW += Σ_t dpre_tᵀ x_t
    addBiasBackward(this.db, dpre, 0, T * B, H);
    // The input gradient costs a GEMM as large as the input projection: skip it when unused.
    const dx = this.ws.get("dx", needDx ? T * B * I : 0);
    if (needDx) gemm(false, false, T * B, I, H, dpre, 0, this.W, 0, dx, 0, false);
    return { dx, dState0: [dh.slice()] };
  }
}

// ---- The cell's description (./spec.ts): what the rest of the toolkit knows of Elman ----

/** Elman: h(h + d_in + 1) + d_out(h + 1), one layer (the head's part only when O > 0). */
export const elmanCount = (I: number, H: number, O: number): number => H * (H + I + 1) + (O > 0 ? O * (H + 1) : 0);

export const elmanCell: CellSpec = {
  name: "elman",
  title: "Elman",
  tensors: { weight_ih: { role: "input" }, weight_hh: { role: "recurrent", blocks: ["U"] }, bias: { role: "bias" } },
  gates: [],
  states: ["h"],
  options: ["hiddenActivation"],
  build: ({ input, config: c }, dtype) => new ElmanLayer(input, c.hidden, c.hiddenActivation, dtype),
  outputSize: ({ config: c }) => c.hidden,
  count: ({ input, config: c }) => elmanCount(input, c.hidden, 0),
  formula: (s) => headedFormula(`${s.bidirectional ? "2·" : ""}h(h + d_in + 1)`, s),
  perStep: (c) => 2 * 2 * c.hidden,
  torchInit: "rnn",
  torch: { module: "nn.RNN", bias: "bias" },
  onnx: { graph: "rnn", op: "RNN", gates: [], activations: (o) => [o.nonlinearity ?? "tanh"] },
  tfjs: { className: "SimpleRNN", gates: [] },
};
