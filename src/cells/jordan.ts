// Jordan layer (Jordan 1986/1997, "Serial order"): the output is fed back through a state.
//
//   s_t = σ_s(W_ss s_{t-1} + W_sy y_{t-1} + b_s)
//   h_t = σ_h(U_h s_t + W_h x_t + b_h)
//   z_t = W_y h_t + b_y,   y_t = σ_y(z_t)
//
// Parameters (DESIGN.md §1; h(s + d_in + 1) + d_out(h + 1) + s(s + d_out + 1) in all):
//   weight_ih (H, I) = W_h, weight_sh (H, S) = U_h, bias_h (H),
//   weight_ho (O, H) = W_y, bias_o (O),
//   weight_ss (S, S), weight_so (S, O) = W_sy, bias_s (S).
// State: s (B, S) and the fed-back output y (B, O); both are zero unless given.
// Feedback "output" feeds the network's own y_{t-1} back and BPTT flows through it (Jordan's
// original); "teacher" feeds the target y*_{t-1} instead (teacher forcing), cutting that path.
// The layer emits z_t (the logits, for a loss fused with σ_y) or y_t (when stacked below
// another layer).
import { gemm } from "../tensor/gemm.ts";
import { activate, activateBackward, addBias, addBiasBackward, copyRow, softmaxRows, softmaxRowsBackwardAdd, type Activation } from "../tensor/ops.ts";
import type { DType, Vec } from "../tensor/types.ts";
import { noCache, viewsOf, type ForwardOptions, type Layer, type TensorSpec } from "./layer.ts";
import type { CellSpec } from "./spec.ts";
import { Workspace } from "./workspace.ts";

/** σ_y: a head's activation (linear, softmax, sigmoid: model/config.ts OutputActivation), or for a
 *  layer stacked below another a hidden one (tanh, relu...): a wider set, so a name of its own. */
export type YActivation = "softmax" | Activation;
export type Feedback = "output" | "teacher";

export interface JordanOptions {
  input: number; hidden: number; state: number; output: number;
  hiddenActivation: Activation; stateActivation: Activation; outputActivation: YActivation;
  feedback: Feedback; emit: "logits" | "output";
}

/** A Jordan layer's eight tensors (views into its parameter block), or their gradients. */
export interface JordanWeights { Wh: Vec; Uh: Vec; bh: Vec; Wy: Vec; by: Vec; Wss: Vec; Wsy: Vec; bs: Vec }

/** What the forward keeps for the backward: ss (T+1, B, S) with s_0 first; fb (T+1, B, O) the
 *  fed-back outputs with y_0 first; hs (T, B, H); zs, ys (T, B, O) the logits and σ_y(z). */
export interface JordanCache { ss: Vec; fb: Vec; hs: Vec; zs: Vec; ys: Vec }

/**
 * One Jordan step over a batch of B rows, the lecture's equations with W_h x_t precomputed:
 *   s_t = σ_s(W_ss s_{t-1} + W_sy y_{t-1} + b_s)
 *   h_t = σ_h(W_h x_t + U_h s_t + b_h)
 *   z_t = W_y h_t + b_y,   y_t = σ_y(z_t)
 * Reads s_{t-1} and y_{t-1} at step t of c.ss and c.fb, and W_h x_t at step t of c.hs; writes s_t
 * at step t+1 of c.ss, and h_t, z_t, y_t at step t. The layer's loop feeds y_t back.
 */
export function jordanStep(w: JordanWeights, o: JordanOptions, c: JordanCache, t: number, B: number): void {
  const { hidden: H, state: S, output: O } = o, { ss, fb, hs, zs, ys } = c;
  const sp = t * B * S, sc = (t + 1) * B * S, yp = t * B * O, ho = t * B * H, zo = t * B * O;
  // s_t = σ_s(W_ss s_{t-1} + W_sy y_{t-1} + b_s)
  ss.fill(0, sc, sc + B * S);
  addBias(ss, sc, B, w.bs, S);
  gemm(false, true, B, S, S, ss, sp, w.Wss, 0, ss, sc, true);
  gemm(false, true, B, S, O, fb, yp, w.Wsy, 0, ss, sc, true);
  activate(o.stateActivation, ss, ss, sc, B * S);
  // h_t = σ_h(W_h x_t + U_h s_t + b_h)
  addBias(hs, ho, B, w.bh, H);
  gemm(false, true, B, H, S, ss, sc, w.Uh, 0, hs, ho, true);
  activate(o.hiddenActivation, hs, hs, ho, B * H);
  // z_t = W_y h_t + b_y, y_t = σ_y(z_t)
  zs.fill(0, zo, zo + B * O);
  addBias(zs, zo, B, w.by, O);
  gemm(false, true, B, O, H, hs, ho, w.Wy, 0, zs, zo, true);
  if (o.outputActivation === "softmax") softmaxRows(zs, ys, zo, B, O);
  else activate(o.outputActivation, zs, ys, zo, B * O);
}

/** The backward's buffers. Kept for the weight gradients: dz (T, B, O), dhp (T, B, H), dsp
 *  (T, B, S), the gradients wrt z_t and h's and s's pre-activations. Carried across steps: ds
 *  (B, S) wrt s_t and dfb (B, O) wrt the fed-back y_t. Scratch: dyo (B, O), dh (B, H), and
 *  keepS (B, S), keepY (B, O) for padding rows. */
export interface JordanGrads { dz: Vec; dhp: Vec; dsp: Vec; ds: Vec; dfb: Vec; dyo: Vec; dh: Vec; keepS: Vec; keepY: Vec }

/**
 * Its backward at step t, given dOut (T, B, O), the gradient wrt what the layer emitted (z or y),
 * and ds, dfb as step t+1 left them (∂L/∂s_t through W_ss s_t, ∂L/∂y_t through W_sy y_t):
 *   dy_t = dfb (unless teacher forcing fed the target instead) + dOut_t (when y was emitted)
 *   dz_t = J_σy(z_t)ᵀ dy_t (+ dOut_t when z was emitted)
 *   dh_t = dz_t W_y,   dhpre_t = dh_t ⊙ σ_h'(h_t)
 *   ds_t = ds + dhpre_t U_h,   dspre_t = ds_t ⊙ σ_s'(s_t)
 *   ds ← dspre_t W_ss,   dfb ← dspre_t W_sy             (the gradients wrt s_{t-1}, y_{t-1})
 * Padding rows (mask (T, B) is 0) get zero dz and dspre and pass ds and dfb through.
 */
export function jordanStepBackward(w: JordanWeights, o: JordanOptions, c: JordanCache, g: JordanGrads, dOut: Vec,
  teacher: boolean, t: number, B: number, mask: Uint8Array | null): void {
  const { hidden: H, state: S, output: O } = o, { ss, hs, ys } = c;
  const { dz, dhp, dsp, ds, dfb, dyo, dh, keepS, keepY } = g;
  const sc = (t + 1) * B * S, ho = t * B * H, zo = t * B * O;
  // Gradient wrt y_t: from what was emitted (if it was y) and from the feedback into s_{t+1}.
  dyo.fill(0);
  if (!teacher) dyo.set(dfb);
  if (o.emit === "output") for (let k = 0; k < B * O; k++) dyo[k] += dOut[zo + k];
  // dz_t = J_σy(z_t)ᵀ dy_t (+ dOut_t when the layer emitted the logits).
  if (o.emit === "logits") copyRow(dOut, zo, dz, zo, B * O); else dz.fill(0, zo, zo + B * O);
  if (o.outputActivation === "softmax") softmaxRowsBackwardAdd(ys, zo, dyo, 0, dz, zo, B, O);
  else {
    activateBackward(o.outputActivation, ys, zo, dyo, 0, dyo, 0, B * O);
    for (let k = 0; k < B * O; k++) dz[zo + k] += dyo[k];
  }
  if (mask) {
    keepS.set(ds); keepY.set(dfb);
    for (let b = 0; b < B; b++) if (!mask[t * B + b]) dz.fill(0, zo + b * O, zo + (b + 1) * O);
  }
  // h: dh = dz W_y, dhpre = dh σ_h'(h)
  gemm(false, false, B, H, O, dz, zo, w.Wy, 0, dh, 0, false);
  activateBackward(o.hiddenActivation, hs, ho, dh, 0, dhp, ho, B * H);
  // s_t: ds += dhpre U_h, dspre = ds σ_s'(s_t)
  gemm(false, false, B, S, H, dhp, ho, w.Uh, 0, ds, 0, true);
  activateBackward(o.stateActivation, ss, sc, ds, 0, dsp, t * B * S, B * S);
  if (mask) for (let b = 0; b < B; b++) if (!mask[t * B + b]) dsp.fill(0, t * B * S + b * S, t * B * S + (b + 1) * S);
  // to step t-1: ds_{t-1} = dspre W_ss, dy_{t-1} = dspre W_sy
  gemm(false, false, B, S, S, dsp, t * B * S, w.Wss, 0, ds, 0, false);
  gemm(false, false, B, O, S, dsp, t * B * S, w.Wsy, 0, dfb, 0, false);
  if (mask) for (let b = 0; b < B; b++) if (!mask[t * B + b]) {
    // Padding: s_t and y_t were copies of step t-1, so their gradients pass straight through.
    copyRow(keepS, b * S, ds, b * S, S);
    copyRow(keepY, b * O, dfb, b * O, O);
  }
}

export class JordanLayer implements Layer {
  readonly kind = "jordan";
  readonly inputSize: number;
  readonly outputSize: number;
  readonly stateSizes: number[];
  readonly tensors: TensorSpec[];
  private w!: JordanWeights; private dw!: JordanWeights;   // the tensors and their gradients
  private ws: Workspace;
  private cache: { x: Vec; T: number; B: number; mask: Uint8Array | null; teacher: boolean } | null = null;

  constructor(readonly o: JordanOptions, dtype: DType) {
    const { input: I, hidden: H, state: S, output: O } = o;
    this.inputSize = I;
    this.outputSize = O;
    this.stateSizes = [S, O];
    this.tensors = [
      { name: "weight_ih", shape: [H, I] }, { name: "weight_sh", shape: [H, S] }, { name: "bias_h", shape: [H] },
      { name: "weight_ho", shape: [O, H] }, { name: "bias_o", shape: [O] },
      { name: "weight_ss", shape: [S, S] }, { name: "weight_so", shape: [S, O] }, { name: "bias_s", shape: [S] },
    ];
    this.ws = new Workspace(dtype);
  }

  bind(p: Vec, g: Vec): void {
    const [Wh, Uh, bh, Wy, by, Wss, Wsy, bs] = viewsOf(p, g, this.tensors);
    this.w = { Wh: Wh[0], Uh: Uh[0], bh: bh[0], Wy: Wy[0], by: by[0], Wss: Wss[0], Wsy: Wsy[0], bs: bs[0] };
    this.dw = { Wh: Wh[1], Uh: Uh[1], bh: bh[1], Wy: Wy[1], by: by[1], Wss: Wss[1], Wsy: Wsy[1], bs: bs[1] };
  }

  forward(x: Vec, T: number, B: number, state0: Vec[] | null, opts: ForwardOptions = {}): { out: Vec; state: Vec[] } {
    const { input: I, hidden: H, state: S, output: O } = this.o;
    const mask = opts.mask ?? null;
    const teacher = this.o.feedback === "teacher" ? opts.teacher ?? null : null;
    if (this.o.feedback === "teacher" && !teacher) {
      throw new Error("jordan.forward: feedback is 'teacher' but no teacher targets (T, B, O) were given");
    }
    const ss = this.ws.get("ss", (T + 1) * B * S);   // (T+1, B, S), ss[0] = s_0
    const fb = this.ws.get("fb", (T + 1) * B * O);   // (T+1, B, O) fed-back outputs, fb[0] = y_0
    const hs = this.ws.get("hs", T * B * H);         // (T, B, H)
    const zs = this.ws.get("zs", T * B * O);         // (T, B, O) logits
    const ys = this.ws.get("ys", T * B * O);         // (T, B, O) σ_y(z)
    if (state0) { ss.set(state0[0].subarray(0, B * S)); fb.set(state0[1].subarray(0, B * O)); }
    else { ss.fill(0, 0, B * S); fb.fill(0, 0, B * O); }
    gemm(false, true, T * B, H, I, x, 0, this.w.Wh, 0, hs, 0, false);   // W_h x_t for all t
    const c: JordanCache = { ss, fb, hs, zs, ys };
    for (let t = 0; t < T; t++) {
      jordanStep(this.w, this.o, c, t, B);
      const sp = t * B * S, sc = (t + 1) * B * S, yp = t * B * O, yc = (t + 1) * B * O;
      copyRow(teacher ?? ys, t * B * O, fb, yc, B * O);      // the fed-back output for step t+1
      if (mask) for (let b = 0; b < B; b++) if (!mask[t * B + b]) {
        copyRow(ss, sp + b * S, ss, sc + b * S, S);
        copyRow(fb, yp + b * O, fb, yc + b * O, O);
      }
    }
    // An inference pass keeps no cache (the backward throws); its (T, B, ·) buffers stay, as
    // the loop reads them by step (a Jordan cell's sizes are small).
    this.cache = opts.inference ? null : { x, T, B, mask, teacher: teacher !== null };
    return {
      out: this.o.emit === "logits" ? zs : ys,
      state: [ss.slice(T * B * S, (T + 1) * B * S), fb.slice(T * B * O, (T + 1) * B * O)],
    };
  }

  backward(dOut: Vec, dStateT: Vec[] | null, needDx = true): { dx: Vec; dState0: Vec[] } {
    if (!this.cache) noCache("jordan");
    const { x, T, B, mask, teacher } = this.cache;
    const { input: I, hidden: H, state: S, output: O } = this.o;
    const c: JordanCache = { ss: this.ws.get("ss", (T + 1) * B * S), fb: this.ws.get("fb", (T + 1) * B * O),
      hs: this.ws.get("hs", T * B * H), zs: this.ws.get("zs", T * B * O), ys: this.ws.get("ys", T * B * O) };
    const { ss, fb, hs } = c;
    const g: JordanGrads = {
      dz: this.ws.get("dz", T * B * O),         // (T, B, O) gradient wrt z_t
      dhp: this.ws.get("dhp", T * B * H),       // (T, B, H) gradient wrt h's pre-activation
      dsp: this.ws.get("dsp", T * B * S),       // (T, B, S) gradient wrt s's pre-activation
      dyo: this.ws.get("dyo", B * O),           // (B, O) gradient wrt y_t as emitted or fed back
      dh: this.ws.get("dh", B * H),
      ds: this.ws.get("ds", B * S),             // carried gradient wrt s_t
      dfb: this.ws.get("dfb", B * O),           // carried gradient wrt the fed-back y_t
      keepS: this.ws.get("keepS", B * S), keepY: this.ws.get("keepY", B * O),
    };
    const { dz, dhp, dsp, ds, dfb } = g, dw = this.dw;
    if (dStateT) { ds.set(dStateT[0]); dfb.set(dStateT[1]); } else { ds.fill(0); dfb.fill(0); }
    for (let t = T - 1; t >= 0; t--) jordanStepBackward(this.w, this.o, c, g, dOut, teacher, t, B, mask);
    const TB = T * B;
    gemm(true, false, O, H, TB, dz, 0, hs, 0, dw.Wy, 0, true);
    addBiasBackward(dw.by, dz, 0, TB, O);
    gemm(true, false, H, S, TB, dhp, 0, ss, B * S, dw.Uh, 0, true);   // with s_t (t = 1..T)
    gemm(true, false, H, I, TB, dhp, 0, x, 0, dw.Wh, 0, true);
    addBiasBackward(dw.bh, dhp, 0, TB, H);
    gemm(true, false, S, S, TB, dsp, 0, ss, 0, dw.Wss, 0, true);      // with s_{t-1}
    gemm(true, false, S, O, TB, dsp, 0, fb, 0, dw.Wsy, 0, true);      // with y_{t-1}
    addBiasBackward(dw.bs, dsp, 0, TB, S);
    // The input gradient costs a GEMM as large as the input projection: skip it when unused.
    const dx = this.ws.get("dx", needDx ? TB * I : 0);
    if (needDx) gemm(false, false, TB, I, H, dhp, 0, this.w.Wh, 0, dx, 0, false);
    // In both modes y_0 feeds s_1, so the gradient wrt the initial fed-back output is dfb.
    return { dx, dState0: [ds.slice(), dfb.slice()] };
  }
}

// ---- The cell's description (./spec.ts): what the rest of the toolkit knows of Jordan ----

/** Jordan: h(s + d_in + 1) + d_out(h + 1) + s(s + d_out + 1). */
export const jordanCount = (I: number, H: number, S: number, O: number): number => H * (S + I + 1) + O * (H + 1) + S * (S + O + 1);

export const jordanCell: CellSpec = {
  name: "jordan",
  title: "Jordan",
  tensors: {
    weight_ih: { role: "input" }, weight_sh: { role: "input" }, bias_h: { role: "bias" },
    weight_ho: { role: "head" }, bias_o: { role: "bias" },
    weight_ss: { role: "recurrent", blocks: ["ss"] }, weight_so: { role: "input" }, bias_s: { role: "bias" },
  },
  gates: [],
  states: ["s", "y"],
  options: ["hiddenActivation", "state"],
  feedsBackOutput: true,
  // A stacked Jordan network is a stack of whole Jordan networks: each lower layer's output y
  // (size H, activation σ_h) is the next layer's input; the top emits logits.
  build: ({ input, top, config: c }, dtype) => new JordanLayer({
    input, hidden: c.hidden, state: top ? c.state : c.hidden, output: top ? c.output : c.hidden,
    hiddenActivation: c.hiddenActivation, stateActivation: c.stateActivation,
    outputActivation: top ? c.outputActivation : c.hiddenActivation,
    feedback: top ? c.feedback : "output", emit: top ? "logits" : "output",
  }, dtype),
  outputSize: ({ top, config: c }) => (top ? c.output : c.hidden),
  count: ({ input, top, config: c }) => (top ? jordanCount(input, c.hidden, c.state, c.output) : jordanCount(input, c.hidden, c.hidden, c.hidden)),
  formula: (s) => `h(s + d_in + 1) + d_out(h + 1) + s(s + d_out + 1) with h=${s.H}, s=${s.S}, d_in=${s.I}, d_out=${s.O}${s.L > 1 ? ` (top layer; ${s.L - 1} lower Jordan layers with s = d_out = h)` : ""}`,
  perStep: (c) => 2 * (2 * c.hidden + 2 * Math.max(c.state, c.output)),
  torchInit: "linear",
  onnx: { graph: "scan" },   // no ONNX operator: a Scan loop per layer
};
