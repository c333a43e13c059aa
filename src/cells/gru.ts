// GRU layer in PyTorch's parameterisation and gate order (r, z, n), so weights move to and
// from torch.nn.GRU and ONNX (GRU with linear_before_reset=1) unchanged.
//
//   r = σ(W_ir x + b_ir + W_hr h + b_hr),   z = σ(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),   h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}
//
// With resetAfter = false (Keras/tfjs's default, ONNX linear_before_reset=0, Cho et al. 2014)
// the reset gate acts before the product: n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn).
// σ is the logistic sigmoid, or tfjs's hard sigmoid with gate "hard_sigmoid".
//
// Parameters (PyTorch names): weight_ih (3H, I), weight_hh (3H, H), bias_ih (3H), bias_hh (3H);
// 3H(I + H + 2) per layer. State: h (B, H).
// Each form's step and its backward are plain functions below (`gruStep`/`gruStepBackward`,
// `gruStepResetBefore`/`gruStepBackwardResetBefore`: the reference); the WebAssembly paths
// (reset after only) are in gru-fast.ts, chosen in one line by the layer.
import { gemm } from "../tensor/gemm.ts";
import { addBias, addBiasBackward, gateSlope, hardSigmoid, sigmoid, type GateActivation } from "../tensor/ops.ts";
import type { DType, Vec } from "../tensor/types.ts";
import { gruBackwardFast, gruForwardFast } from "./gru-fast.ts";
import { gatedTensors, INFERENCE_STEPS, noCache, viewsOf, type ForwardOptions, type Layer, type TensorSpec } from "./layer.ts";
import { headedFormula, type CellSpec } from "./spec.ts";
import { copyPadded } from "./padding.ts";
import { Workspace } from "./workspace.ts";

/**
 * One GRU step over a (B, H) block in PyTorch's form (reset after the product), the lecture's
 * equations with the input terms xw = W_ih x_t + b_ih precomputed:
 *   hw = W_hh h_{t-1} + b_hh                          (B, 3H), blocks r|z|n
 *   r = σ(xw_r + hw_r),   z = σ(xw_z + hw_z),   n = tanh(xw_n + r ⊙ hw_n)
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}
 * xw (·, B, 3H) at go: in, the activated r|z|n out. hs (·, B, H): h_{t-1} at prev, h_t written
 * at cur. hn (·, B, H) at prev: hw_n, kept for the backward. hw (B, 3H): scratch. Whh (3H, H).
 */
export function gruStep(Whh: Vec, bhh: Vec, hard: boolean, xw: Vec, go: number, hw: Vec, hn: Vec, hs: Vec,
  prev: number, cur: number, B: number, H: number): void {
  const G = 3 * H;
  hw.fill(0);
  addBias(hw, 0, B, bhh, G);
  gemm(false, true, B, G, H, hs, prev, Whh, 0, hw, 0, true);
  for (let b = 0; b < B; b++) {
    const gr = go + b * G, wr = b * G, hr = b * H;
    for (let j = 0; j < H; j++) {
      const ar = xw[gr + j] + hw[wr + j], az = xw[gr + H + j] + hw[wr + H + j];
      const r = hard ? hardSigmoid(ar) : sigmoid(ar);
      const z = hard ? hardSigmoid(az) : sigmoid(az);
      const hnj = hw[wr + 2 * H + j];
      const n = Math.tanh(xw[gr + 2 * H + j] + r * hnj);
      xw[gr + j] = r; xw[gr + H + j] = z; xw[gr + 2 * H + j] = n;
      hn[prev + hr + j] = hnj;
      hs[cur + hr + j] = (1 - z) * n + z * hs[prev + hr + j];
    }
  }
}

/**
 * Its backward at step t, given dh (B, H) = ∂L/∂h_t (this step's output gradient included);
 * dn is the gradient wrt n's pre-activation, σ' from the gate's output (gateSlope):
 *   dn = dh ⊙ (1 − z) ⊙ (1 − n²),   dz = dh ⊙ (h_{t-1} − n) ⊙ σ'(z),   dr = dn ⊙ hw_n ⊙ σ'(r)
 *   d(W_ih x + b_ih) = [dr dz dn],   d(W_hh h + b_hh) = [dr dz dn ⊙ r]
 *   dh_{t-1} = dh ⊙ z + d(W_hh h + b_hh) W_hh
 * The first overwrites step t's activations in act (T, B, 3H) (read only here); the second is
 * written to dhw (T, B, 3H) at step t; dh becomes dh_{t-1}. Padding rows (mask (T, B) is 0)
 * get zero gradients in both and pass dh through.
 */
export function gruStepBackward(Whh: Vec, hard: boolean, act: Vec, hn: Vec, hs: Vec, dh: Vec, dhw: Vec,
  t: number, B: number, H: number, mask: Uint8Array | null): void {
  const G = 3 * H, go = t * B * G, prev = t * B * H, dxw = act;
  for (let b = 0; b < B; b++) {
    const gr = go + b * G, hr = b * H;
    if (mask && !mask[t * B + b]) { dxw.fill(0, gr, gr + G); dhw.fill(0, gr, gr + G); continue; }
    updateBackward(hard, act, gr, hs, prev + hr, dh, hr, dhw, H);
    for (let j = 0; j < H; j++) {
      const r = act[gr + j], dnPre = dxw[gr + 2 * H + j];
      dxw[gr + j] = dhw[gr + j] = dnPre * hn[prev + hr + j] * gateSlope(hard, r);
      dhw[gr + 2 * H + j] = dnPre * r;
    }
  }
  gemm(false, false, B, H, G, dhw, go, Whh, 0, dh, 0, true);   // dh_{t-1} += dhw_t W_hh
}

/**
 * One GRU step with the reset gate before the product (resetAfter = false: Cho et al. 2014,
 * Keras/tfjs's default, ONNX linear_before_reset=0):
 *   r = σ(xw_r + W_hr h_{t-1} + b_hr),   z = σ(xw_z + W_hz h_{t-1} + b_hz)
 *   n = tanh(xw_n + W_hn (r ⊙ h_{t-1}) + b_hn),   h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}
 * hn (·, B, H) at prev: r ⊙ h_{t-1}, kept for the backward; the rest as gruStep.
 */
export function gruStepResetBefore(Whh: Vec, bhh: Vec, hard: boolean, xw: Vec, go: number, hw: Vec, hn: Vec, hs: Vec,
  prev: number, cur: number, B: number, H: number): void {
  const G = 3 * H;
  hw.fill(0);
  addBias(hw, 0, B, bhh, G);
  // r and z see h_{t-1}; the n block sees r ⊙ h_{t-1}, so it waits for r.
  for (let b = 0; b < B; b++) gemm(false, true, 1, 2 * H, H, hs, prev + b * H, Whh, 0, hw, b * G, true);
  for (let b = 0; b < B; b++) {
    const gr = go + b * G, wr = b * G, hr = b * H;
    for (let j = 0; j < H; j++) {
      const a = xw[gr + j] + hw[wr + j];
      hn[prev + hr + j] = (hard ? hardSigmoid(a) : sigmoid(a)) * hs[prev + hr + j];
    }
    gemm(false, true, 1, H, H, hn, prev + hr, Whh, 2 * H * H, hw, wr + 2 * H, true);
  }
  for (let b = 0; b < B; b++) {
    const gr = go + b * G, wr = b * G, hr = b * H;
    for (let j = 0; j < H; j++) {
      const ar = xw[gr + j] + hw[wr + j], az = xw[gr + H + j] + hw[wr + H + j];
      const r = hard ? hardSigmoid(ar) : sigmoid(ar);
      const z = hard ? hardSigmoid(az) : sigmoid(az);
      const n = Math.tanh(xw[gr + 2 * H + j] + hw[wr + 2 * H + j]);
      xw[gr + j] = r; xw[gr + H + j] = z; xw[gr + 2 * H + j] = n;
      hs[cur + hr + j] = (1 - z) * n + z * hs[prev + hr + j];
    }
  }
}

/**
 * Its backward at step t: dz, dn and dh ⊙ z as gruStepBackward's, then through r ⊙ h_{t-1}:
 *   d(r ⊙ h) = dn W_hn,   dr = d(r ⊙ h) ⊙ h_{t-1} ⊙ σ'(r),   d(W_hh · + b_hh) = [dr dz dn]
 *   dh_{t-1} = dh ⊙ z + d(r ⊙ h) ⊙ r + [dr dz] W_h{r,z}
 * drh (B, H): scratch for d(r ⊙ h). Arrays and padding as gruStepBackward.
 */
export function gruStepBackwardResetBefore(Whh: Vec, hard: boolean, act: Vec, hs: Vec, dh: Vec, dhw: Vec, drh: Vec,
  t: number, B: number, H: number, mask: Uint8Array | null): void {
  const G = 3 * H, go = t * B * G, prev = t * B * H, dxw = act;
  for (let b = 0; b < B; b++) {
    const gr = go + b * G, hr = b * H;
    if (mask && !mask[t * B + b]) { dxw.fill(0, gr, gr + G); dhw.fill(0, gr, gr + G); continue; }
    updateBackward(hard, act, gr, hs, prev + hr, dh, hr, dhw, H);
    for (let j = 0; j < H; j++) dhw[gr + 2 * H + j] = dxw[gr + 2 * H + j];
    gemm(false, false, 1, H, H, dhw, gr + 2 * H, Whh, 2 * H * H, drh, hr, false);
    for (let j = 0; j < H; j++) {
      const r = act[gr + j];
      dxw[gr + j] = dhw[gr + j] = drh[hr + j] * hs[prev + hr + j] * gateSlope(hard, r);
      dh[hr + j] += drh[hr + j] * r;
    }
  }
  for (let b = 0; b < B; b++) {
    if (mask && !mask[t * B + b]) continue;
    gemm(false, false, 1, H, 2 * H, dhw, go + b * G, Whh, 0, dh, b * H, true);   // r, z blocks only
  }
}

/** Both forms' backward through z and n for one row (act at gr: r|z|n, overwritten from z on):
 *  dn into act's n block, dz into act's and dhw's z blocks, and dh ← dh ⊙ z (the direct path). */
function updateBackward(hard: boolean, act: Vec, gr: number, hs: Vec, hp: number, dh: Vec, hr: number, dhw: Vec, H: number): void {
  const dxw = act;
  for (let j = 0; j < H; j++) {
    const z = act[gr + H + j], n = act[gr + 2 * H + j];
    const d = dh[hr + j], h = hs[hp + j];
    const dnPre = d * (1 - z) * (1 - n * n);
    dxw[gr + H + j] = dhw[gr + H + j] = d * (h - n) * gateSlope(hard, z);
    dxw[gr + 2 * H + j] = dnPre;
    dh[hr + j] = d * z;
  }
}

export class GruLayer implements Layer {
  readonly kind = "gru";
  readonly outputSize: number;
  readonly stateSizes: number[];
  readonly tensors: TensorSpec[];
  private Wih!: Vec; private Whh!: Vec; private bih!: Vec; private bhh!: Vec;
  private dWih!: Vec; private dWhh!: Vec; private dbih!: Vec; private dbhh!: Vec;
  private ws: Workspace;
  private cache: { x: Vec; T: number; B: number; mask: Uint8Array | null } | null = null;
  private readonly hard: boolean;

  constructor(readonly inputSize: number, readonly hidden: number, dtype: DType,
    gate: GateActivation = "sigmoid", readonly resetAfter = true) {
    const I = inputSize, H = hidden;
    this.hard = gate === "hard_sigmoid";
    this.outputSize = H;
    this.stateSizes = [H];
    this.tensors = gatedTensors(3, I, H);
    this.ws = new Workspace(dtype);
  }

  bind(p: Vec, g: Vec): void {
    [[this.Wih, this.dWih], [this.Whh, this.dWhh], [this.bih, this.dbih], [this.bhh, this.dbhh]] = viewsOf(p, g, this.tensors);
  }

  forward(x: Vec, T: number, B: number, state0: Vec[] | null, opts: ForwardOptions = {}): { out: Vec; state: Vec[] } {
    if (opts.inference) return this.infer(x, T, B, state0, opts.mask ?? null);
    const I = this.inputSize, H = this.hidden, G = 3 * H, mask = opts.mask ?? null, hard = this.hard;
    const xw = this.ws.get("xw", T * B * G);      // (T, B, 3H) W_ih x + b_ih, then activated r|z|n
    const hn = this.ws.get("hn", T * B * H);      // (T, B, H)  W_hn h_{t-1} + b_hn (reset after), or r ⊙ h_{t-1} (before)
    const hw = this.ws.get("hw", B * G);          // (B, 3H)    W_hh h_{t-1} + b_hh of this step (r|z|n blocks)
    const hs = this.ws.get("hs", (T + 1) * B * H);
    if (state0) hs.set(state0[0].subarray(0, B * H)); else hs.fill(0, 0, B * H);
    gemm(false, true, T * B, G, I, x, 0, this.Wih, 0, xw, 0, false);
    addBias(xw, 0, T * B, this.bih, G);
    // WebAssembly when installed (reset after only).
    const fast = this.resetAfter && gruForwardFast(this.Whh, this.bhh, hard, xw, hw, hn, hs, T, B, H, mask);
    const step = this.resetAfter ? gruStep : gruStepResetBefore;
    for (let t = 0; t < T && !fast; t++) {
      const prev = t * B * H, cur = (t + 1) * B * H;
      step(this.Whh, this.bhh, hard, xw, t * B * G, hw, hn, hs, prev, cur, B, H);
      if (mask) copyPadded(mask, t, B, H, hs, prev, hs, cur);
    }
    this.cache = { x, T, B, mask };
    return { out: hs.subarray(B * H), state: [hs.slice(T * B * H, (T + 1) * B * H)] };
  }

  /**
   * forward's outputs and states, bit for bit, without its cache: the time loop runs in blocks
   * of INFERENCE_STEPS steps, each with its own input projection, so that W_ih x + b_ih and hn
   * are (Tc, B, 3H) and (Tc, B, H) instead of (T, B, 3H) and (T, B, H). A block is a forward
   * from the previous block's last h (the fast paths run on it too).
   */
  private infer(x: Vec, T: number, B: number, state0: Vec[] | null, mask: Uint8Array | null): { out: Vec; state: Vec[] } {
    const I = this.inputSize, H = this.hidden, G = 3 * H, Tc = Math.min(T, INFERENCE_STEPS), hard = this.hard;
    const xw = this.ws.get("inferXw", Tc * B * G);   // (Tc, B, 3H) one block's W_ih x + b_ih
    const hn = this.ws.get("inferHn", Tc * B * H);   // (Tc, B, H) one block's hn
    const hw = this.ws.get("hw", B * G);             // (B, 3H) as forward's
    const hs = this.ws.get("hs", (T + 1) * B * H);   // (T+1, B, H) as forward's: the output
    if (state0) hs.set(state0[0].subarray(0, B * H)); else hs.fill(0, 0, B * H);
    const step = this.resetAfter ? gruStep : gruStepResetBefore;
    for (let t0 = 0; t0 < T; t0 += Tc) {
      const n = Math.min(Tc, T - t0);
      const h = hs.subarray(t0 * B * H, (t0 + n + 1) * B * H), m = mask ? mask.subarray(t0 * B, (t0 + n) * B) : null;
      gemm(false, true, n * B, G, I, x, t0 * B * I, this.Wih, 0, xw, 0, false);
      addBias(xw, 0, n * B, this.bih, G);
      const fast = this.resetAfter && gruForwardFast(this.Whh, this.bhh, hard, xw, hw, hn, h, n, B, H, m);
      for (let t = 0; t < n && !fast; t++) {
        const prev = t * B * H, cur = (t + 1) * B * H;
        step(this.Whh, this.bhh, hard, xw, t * B * G, hw, hn, h, prev, cur, B, H);
        if (m) copyPadded(m, t, B, H, h, prev, h, cur);
      }
    }
    this.cache = null;
    return { out: hs.subarray(B * H), state: [hs.slice(T * B * H, (T + 1) * B * H)] };
  }

  backward(dOut: Vec, dStateT: Vec[] | null, needDx = true): { dx: Vec; dState0: Vec[] } {
    if (!this.cache) noCache("gru");
    const { x, T, B, mask } = this.cache;
    const I = this.inputSize, H = this.hidden, G = 3 * H, hard = this.hard;
    const act = this.ws.get("xw", T * B * G), hn = this.ws.get("hn", T * B * H), hs = this.ws.get("hs", (T + 1) * B * H);
    // The gradient wrt W_ih x + b_ih overwrites the activations in place (step t's are read
    // only at step t), which saves a (T, B, 3H) buffer.
    const dxw = act;
    const dhw = this.ws.get("dhw", T * B * G);    // (T, B, 3H) gradient wrt W_hh (·) + b_hh
    const drh = this.ws.get("drh", B * H);        // (B, H) gradient wrt r ⊙ h_{t-1} (reset before)
    const dh = this.ws.get("dh", B * H);
    if (dStateT) dh.set(dStateT[0]); else dh.fill(0);
    // WebAssembly when installed (reset after only).
    const fast = this.resetAfter && gruBackwardFast(this.Whh, hard, act, hn, hs, dOut, dh, dhw, T, B, H, mask);
    for (let t = T - 1; t >= 0 && !fast; t--) {
      for (let q = 0, o = t * B * H; q < B * H; q++) dh[q] += dOut[o + q];   // ∂L/∂h_t: step t's output and step t+1
      if (this.resetAfter) gruStepBackward(this.Whh, hard, act, hn, hs, dh, dhw, t, B, H, mask);
      else gruStepBackwardResetBefore(this.Whh, hard, act, hs, dh, dhw, drh, t, B, H, mask);
    }
    if (this.resetAfter) gemm(true, false, G, H, T * B, dhw, 0, hs, 0, this.dWhh, 0, true);   // dW_hh += Σ dhwᵀ h_{t-1}
    else {
      // Row blocks of dW_hh: r and z against h_{t-1}, n against r ⊙ h_{t-1}; per row of (T·B).
      for (let row = 0; row < T * B; row++) {
        gemm(true, false, 2 * H, H, 1, dhw, row * G, hs, row * H, this.dWhh, 0, true);
        gemm(true, false, H, H, 1, dhw, row * G + 2 * H, hn, row * H, this.dWhh, 2 * H * H, true);
      }
    }
    gemm(true, false, G, I, T * B, dxw, 0, x, 0, this.dWih, 0, true);
    addBiasBackward(this.dbih, dxw, 0, T * B, G);
    addBiasBackward(this.dbhh, dhw, 0, T * B, G);
    // The input gradient costs a GEMM as large as the input projection: skip it when unused.
    const dx = this.ws.get("dx", needDx ? T * B * I : 0);
    if (needDx) gemm(false, false, T * B, I, G, dxw, 0, this.Wih, 0, dx, 0, false);
    this.cache = null;   // the activations are gone: a second backward needs a new forward
    return { dx, dState0: [dh.slice()] };
  }
}

// ---- The cell's description (./spec.ts): what the rest of the toolkit knows of GRU ----

/** GRU layer: 3h(d_in + h + 2). */
export const gruLayerCount = (I: number, H: number): number => 3 * H * (I + H + 2);

export const gruCell: CellSpec = {
  name: "gru",
  title: "GRU",
  tensors: { weight_ih: { role: "input" }, weight_hh: { role: "recurrent" }, bias_ih: { role: "bias" }, bias_hh: { role: "bias" } },
  gates: ["r", "z", "n"],
  states: ["h"],
  options: ["gateActivation", "resetAfter"],
  build: ({ input, config: c }, dtype) => new GruLayer(input, c.hidden, dtype, c.gateActivation, c.resetAfter),
  outputSize: ({ config: c }) => c.hidden,
  count: ({ input, config: c }) => gruLayerCount(input, c.hidden),
  formula: (s) => headedFormula(`3h(d_in + h + 2)${s.per}`, s),
  perStep: (c) => 2 * 6 * c.hidden,
  torchInit: "rnn",
  torch: { module: "nn.GRU" },
  // ONNX's gate order is z, r, h (h is PyTorch's n); its activations f, g.
  onnx: {
    graph: "rnn", op: "GRU", gates: ["z", "r", "n"],
    ints: (o) => ({ linear_before_reset: o.resetAfter === false ? 0 : 1 }),
    activations: (o) => (o.gateActivation === "hard_sigmoid" ? ["hard_sigmoid", "tanh"] : null),
  },
  tfjs: { className: "GRU", gates: ["z", "r", "n"] },   // Keras's z, r, h
};
