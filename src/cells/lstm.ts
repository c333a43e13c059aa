// LSTM layer in PyTorch's parameterisation and gate order (i, f, g, o), so weights move to
// and from torch.nn.LSTM and ONNX unchanged.
//
//   [i f g o] = [σ σ tanh σ](W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
//   (σ is the logistic sigmoid, or with gate "hard_sigmoid" tfjs's clip(0.2x + 0.5, 0, 1))
//   c_t = f ⊙ c_{t-1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
//
// Parameters (PyTorch names): weight_ih (4H, I), weight_hh (4H, H), bias_ih (4H), bias_hh (4H);
// 4H(I + H + 2) per layer. State: h (B, H) and c (B, H).
// The step and its backward are the plain functions `lstmStep`/`lstmStepBackward` below (the
// reference); the WebAssembly paths are in lstm-fast.ts, chosen in one line by the layer.
import { gemm } from "../tensor/gemm.ts";
import { addBias, addBiasBackward, gateSlope, hardSigmoid, sigmoid, type GateActivation } from "../tensor/ops.ts";
import type { DType, Vec } from "../tensor/types.ts";
import { gatedTensors, INFERENCE_STEPS, noCache, viewsOf, type ForwardOptions, type Layer, type TensorSpec } from "./layer.ts";
import { headedFormula, type CellSpec } from "./spec.ts";
import { lstmBackwardFast, lstmForwardFast } from "./lstm-fast.ts";
import { copyPadded, recurrentBackward } from "./padding.ts";
import { Workspace } from "./workspace.ts";

/**
 * One LSTM step over a (B, H) block, the lecture's equations with the input terms precomputed:
 *   [i f g o] = [σ σ tanh σ](W_ih x_t + b_ih + b_hh + W_hh h_{t-1})
 *   c_t = f ⊙ c_{t-1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
 * gates (·, B, 4H) at go: W_ih x_t + b_ih + b_hh in, the activated gates out (kept for the
 * backward). hs, cs (·, B, H): h_{t-1}, c_{t-1} at prev; h_t, c_t written at cur. Whh (4H, H).
 */
export function lstmStep(Whh: Vec, hard: boolean, gates: Vec, go: number, hs: Vec, cs: Vec,
  prev: number, cur: number, B: number, H: number): void {
  const G = 4 * H;
  gemm(false, true, B, G, H, hs, prev, Whh, 0, gates, go, true);  // + h_{t-1} W_hhᵀ
  for (let b = 0; b < B; b++) {
    const gr = go + b * G, hr = b * H;
    for (let j = 0; j < H; j++) {
      const i = hard ? hardSigmoid(gates[gr + j]) : sigmoid(gates[gr + j]);
      const f = hard ? hardSigmoid(gates[gr + H + j]) : sigmoid(gates[gr + H + j]);
      const g = Math.tanh(gates[gr + 2 * H + j]);
      const o = hard ? hardSigmoid(gates[gr + 3 * H + j]) : sigmoid(gates[gr + 3 * H + j]);
      gates[gr + j] = i; gates[gr + H + j] = f; gates[gr + 2 * H + j] = g; gates[gr + 3 * H + j] = o;
      cs[cur + hr + j] = f * cs[prev + hr + j] + i * g;
      // tanh of c_t as stored (rounded to the dtype), so the backward can recompute it
      // from cs instead of caching a (T, B, H) array of it.
      hs[cur + hr + j] = o * Math.tanh(cs[cur + hr + j]);
    }
  }
}

/**
 * Its backward at step t, given dh = ∂L/∂h_t (this step's output gradient included) and
 * dc = ∂L/∂c_t from step t+1, both (B, H); σ' from the gate's output (gateSlope):
 *   dc_t = dc + dh ⊙ o ⊙ (1 − tanh² c_t)
 *   di = dc_t ⊙ g ⊙ σ'(i),  df = dc_t ⊙ c_{t-1} ⊙ σ'(f),  dg = dc_t ⊙ i ⊙ (1 − g²),  do = dh ⊙ tanh c_t ⊙ σ'(o)
 *   dc_{t-1} = dc_t ⊙ f,    dh_{t-1} = [di df dg do] W_hh
 * The gate gradients overwrite step t's gates (T, B, 4H) in place (they are read only here);
 * dc and dh become dc_{t-1} and dh_{t-1}. Padding rows (mask (T, B) is 0) get zero gate
 * gradients and pass dh and dc through; keep (B, H) is scratch, needed only with a mask.
 */
export function lstmStepBackward(Whh: Vec, hard: boolean, gates: Vec, cs: Vec, dh: Vec, dc: Vec,
  t: number, B: number, H: number, mask: Uint8Array | null, keep: Vec | null): void {
  const G = 4 * H, go = t * B * G, prev = t * B * H, dg = gates;
  for (let b = 0; b < B; b++) {
    const gr = go + b * G, hr = b * H;
    if (mask && !mask[t * B + b]) { dg.fill(0, gr, gr + G); continue; }  // padding: state passes through
    for (let j = 0; j < H; j++) {
      const i = gates[gr + j], f = gates[gr + H + j], g = gates[gr + 2 * H + j], o = gates[gr + 3 * H + j];
      const th = Math.tanh(cs[prev + B * H + hr + j]), dhj = dh[hr + j];
      const dcj = dc[hr + j] + dhj * o * (1 - th * th);
      dg[gr + j] = dcj * g * gateSlope(hard, i);
      dg[gr + H + j] = dcj * cs[prev + hr + j] * gateSlope(hard, f);
      dg[gr + 2 * H + j] = dcj * i * (1 - g * g);
      dg[gr + 3 * H + j] = dhj * th * gateSlope(hard, o);
      dc[hr + j] = dcj * f;                       // dc_{t-1}
    }
  }
  recurrentBackward(dg, go, Whh, dh, B, H, G, mask, t, keep);   // dh_{t-1} = dgates_t W_hh
}

export class LstmLayer implements Layer {
  readonly kind = "lstm";
  readonly outputSize: number;
  readonly stateSizes: number[];
  readonly tensors: TensorSpec[];
  private Wih!: Vec; private Whh!: Vec; private bih!: Vec; private bhh!: Vec;
  private dWih!: Vec; private dWhh!: Vec; private dbih!: Vec; private dbhh!: Vec;
  private ws: Workspace;
  private cache: { x: Vec; T: number; B: number; mask: Uint8Array | null } | null = null;

  private readonly hard: boolean;

  constructor(readonly inputSize: number, readonly hidden: number, dtype: DType, gate: GateActivation = "sigmoid") {
    this.hard = gate === "hard_sigmoid";
    const I = inputSize, H = hidden;
    this.outputSize = H;
    this.stateSizes = [H, H];
    this.tensors = gatedTensors(4, I, H);
    this.ws = new Workspace(dtype);
  }

  bind(p: Vec, g: Vec): void {
    [[this.Wih, this.dWih], [this.Whh, this.dWhh], [this.bih, this.dbih], [this.bhh, this.dbhh]] = viewsOf(p, g, this.tensors);
  }

  forward(x: Vec, T: number, B: number, state0: Vec[] | null, opts: ForwardOptions = {}): { out: Vec; state: Vec[] } {
    if (opts.inference) return this.infer(x, T, B, state0, opts.mask ?? null);
    const I = this.inputSize, H = this.hidden, G = 4 * H, mask = opts.mask ?? null;
    const gates = this.ws.get("gates", T * B * G);   // (T, B, 4H) activated gates i|f|g|o
    const hs = this.ws.get("hs", (T + 1) * B * H);   // (T+1, B, H), hs[0] = h_0
    const cs = this.ws.get("cs", (T + 1) * B * H);   // (T+1, B, H), cs[0] = c_0
    if (state0) { hs.set(state0[0].subarray(0, B * H)); cs.set(state0[1].subarray(0, B * H)); }
    else { hs.fill(0, 0, B * H); cs.fill(0, 0, B * H); }
    // Input projection of every step in one GEMM, then both biases.
    gemm(false, true, T * B, G, I, x, 0, this.Wih, 0, gates, 0, false);
    addBias(gates, 0, T * B, this.bih, G);
    addBias(gates, 0, T * B, this.bhh, G);
    const fast = lstmForwardFast(this.Whh, this.hard, gates, hs, cs, T, B, H, mask);   // WebAssembly when installed
    for (let t = 0; t < T && !fast; t++) {
      const prev = t * B * H, cur = (t + 1) * B * H;
      lstmStep(this.Whh, this.hard, gates, t * B * G, hs, cs, prev, cur, B, H);
      if (mask) {
        copyPadded(mask, t, B, H, hs, prev, hs, cur);
        copyPadded(mask, t, B, H, cs, prev, cs, cur);
      }
    }
    this.cache = { x, T, B, mask };
    return {
      out: hs.subarray(B * H),
      state: [hs.slice(T * B * H, (T + 1) * B * H), cs.slice(T * B * H, (T + 1) * B * H)],
    };
  }

  /**
   * forward's outputs and states, bit for bit, without its cache: the time loop runs in blocks
   * of INFERENCE_STEPS steps, each with its own input projection, so that the gates and c are
   * (Tc, B, 4H) and (Tc+1, B, H) instead of (T, B, 4H) and (T+1, B, H). A block is a forward
   * from the previous block's last h and c (the fast paths run on it too).
   */
  private infer(x: Vec, T: number, B: number, state0: Vec[] | null, mask: Uint8Array | null): { out: Vec; state: Vec[] } {
    const I = this.inputSize, H = this.hidden, G = 4 * H, Tc = Math.min(T, INFERENCE_STEPS), hard = this.hard;
    const gates = this.ws.get("inferGates", Tc * B * G);   // (Tc, B, 4H) one block's gates
    const hs = this.ws.get("hs", (T + 1) * B * H);         // (T+1, B, H) as forward's: the output
    const cs = this.ws.get("inferC", (Tc + 1) * B * H);    // (Tc+1, B, H) one block's c, its c_0 first
    if (state0) { hs.set(state0[0].subarray(0, B * H)); cs.set(state0[1].subarray(0, B * H)); }
    else { hs.fill(0, 0, B * H); cs.fill(0, 0, B * H); }
    for (let t0 = 0; t0 < T; t0 += Tc) {
      const n = Math.min(Tc, T - t0);
      const h = hs.subarray(t0 * B * H, (t0 + n + 1) * B * H), m = mask ? mask.subarray(t0 * B, (t0 + n) * B) : null;
      gemm(false, true, n * B, G, I, x, t0 * B * I, this.Wih, 0, gates, 0, false);
      addBias(gates, 0, n * B, this.bih, G);
      addBias(gates, 0, n * B, this.bhh, G);
      const fast = lstmForwardFast(this.Whh, hard, gates, h, cs, n, B, H, m);
      for (let t = 0; t < n && !fast; t++) {
        const prev = t * B * H, cur = (t + 1) * B * H;
        lstmStep(this.Whh, hard, gates, t * B * G, h, cs, prev, cur, B, H);
        if (m) {
          copyPadded(m, t, B, H, h, prev, h, cur);
          copyPadded(m, t, B, H, cs, prev, cs, cur);
        }
      }
      cs.copyWithin(0, n * B * H, (n + 1) * B * H);   // the block's last c starts the next
    }
    this.cache = null;
    return { out: hs.subarray(B * H), state: [hs.slice(T * B * H, (T + 1) * B * H), cs.slice(0, B * H)] };
  }

  backward(dOut: Vec, dStateT: Vec[] | null, needDx = true): { dx: Vec; dState0: Vec[] } {
    if (!this.cache) noCache("lstm");
    const { x, T, B, mask } = this.cache;
    const I = this.inputSize, H = this.hidden, G = 4 * H;
    const gates = this.ws.get("gates", T * B * G), hs = this.ws.get("hs", (T + 1) * B * H);
    const cs = this.ws.get("cs", (T + 1) * B * H);
    // The gradient wrt the gate pre-activations overwrites the gates in place: step t's gates
    // are read only at step t, and this saves a (T, B, 4H) buffer (a third of the cache).
    const dg = gates;
    const dh = this.ws.get("dh", B * H), dc = this.ws.get("dc", B * H);
    if (dStateT) { dh.set(dStateT[0]); dc.set(dStateT[1]); } else { dh.fill(0); dc.fill(0); }
    const keep = mask ? this.ws.get("keep", B * H) : null;
    const fast = lstmBackwardFast(this.Whh, this.hard, gates, cs, dOut, dh, dc, T, B, H, mask, keep);   // WebAssembly when installed
    for (let t = T - 1; t >= 0 && !fast; t--) {
      for (let q = 0, o = t * B * H; q < B * H; q++) dh[q] += dOut[o + q];   // ∂L/∂h_t: step t's output and step t+1
      lstmStepBackward(this.Whh, this.hard, gates, cs, dh, dc, t, B, H, mask, keep);
    }
    gemm(true, false, G, H, T * B, dg, 0, hs, 0, this.dWhh, 0, true);   // dW_hh += Σ dgᵀ h_{t-1}
    gemm(true, false, G, I, T * B, dg, 0, x, 0, this.dWih, 0, true);    // dW_ih += Σ dgᵀ x_t
    addBiasBackward(this.dbih, dg, 0, T * B, G);
    addBiasBackward(this.dbhh, dg, 0, T * B, G);
    // The input gradient costs a GEMM as large as the input projection: skip it when unused.
    const dx = this.ws.get("dx", needDx ? T * B * I : 0);
    if (needDx) gemm(false, false, T * B, I, G, dg, 0, this.Wih, 0, dx, 0, false);
    this.cache = null;   // the gates are gone: a second backward needs a new forward
    return { dx, dState0: [dh.slice(), dc.slice()] };
  }
}

// ---- The cell's description (./spec.ts): what the rest of the toolkit knows of LSTM ----

/** LSTM layer: 4h(d_in + h + 2). */
export const lstmLayerCount = (I: number, H: number): number => 4 * H * (I + H + 2);

export const lstmCell: CellSpec = {
  name: "lstm",
  title: "LSTM",
  tensors: {
    weight_ih: { role: "input" }, weight_hh: { role: "recurrent" },
    bias_ih: { role: "bias", gateBias: { f: 1 } }, bias_hh: { role: "bias" },   // one forget-gate 1 (the biases add up)
  },
  gates: ["i", "f", "g", "o"],
  states: ["h", "c"],
  options: ["gateActivation"],
  build: ({ input, config: c }, dtype) => new LstmLayer(input, c.hidden, dtype, c.gateActivation),
  outputSize: ({ config: c }) => c.hidden,
  count: ({ input, config: c }) => lstmLayerCount(input, c.hidden),
  formula: (s) => headedFormula(`4h(d_in + h + 2)${s.per}`, s),
  perStep: (c) => 2 * 7 * c.hidden,
  torchInit: "rnn",
  torch: { module: "nn.LSTM" },
  // ONNX's gate order is i, o, f, c (c is PyTorch's g); its activations f, g, h.
  onnx: { graph: "rnn", op: "LSTM", gates: ["i", "o", "f", "g"], activations: (o) => (o.gateActivation === "hard_sigmoid" ? ["hard_sigmoid", "tanh", "tanh"] : null) },
  tfjs: { className: "LSTM", gates: ["i", "f", "g", "o"] },   // Keras's i, f, c, o
};
