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

export class JordanLayer implements Layer {
  readonly kind = "jordan";
  readonly inputSize: number;
  readonly outputSize: number;
  readonly stateSizes: number[];
  readonly tensors: TensorSpec[];
  private Wh!: Vec; private Uh!: Vec; private bh!: Vec; private Wy!: Vec; private by!: Vec;
  private Wss!: Vec; private Wsy!: Vec; private bs!: Vec;
  private dWh!: Vec; private dUh!: Vec; private dbh!: Vec; private dWy!: Vec; private dby!: Vec;
  private dWss!: Vec; private dWsy!: Vec; private dbs!: Vec;
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
    [[this.Wh, this.dWh], [this.Uh, this.dUh], [this.bh, this.dbh], [this.Wy, this.dWy], [this.by, this.dby],
      [this.Wss, this.dWss], [this.Wsy, this.dWsy], [this.bs, this.dbs]] = viewsOf(p, g, this.tensors);
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
    gemm(false, true, T * B, H, I, x, 0, this.Wh, 0, hs, 0, false);   // W_h x_t for all t
    for (let t = 0; t < T; t++) {
      const sp = t * B * S, sc = (t + 1) * B * S, yp = t * B * O, yc = (t + 1) * B * O, ho = t * B * H, zo = t * B * O;
      // s_t = σ_s(W_ss s_{t-1} + W_sy y_{t-1} + b_s)
      ss.fill(0, sc, sc + B * S);
      addBias(ss, sc, B, this.bs, S);
      gemm(false, true, B, S, S, ss, sp, this.Wss, 0, ss, sc, true);
      gemm(false, true, B, S, O, fb, yp, this.Wsy, 0, ss, sc, true);
      activate(this.o.stateActivation, ss, ss, sc, B * S);
      // h_t = σ_h(W_h x_t + U_h s_t + b_h)
      addBias(hs, ho, B, this.bh, H);
      gemm(false, true, B, H, S, ss, sc, this.Uh, 0, hs, ho, true);
      activate(this.o.hiddenActivation, hs, hs, ho, B * H);
      // z_t = W_y h_t + b_y, y_t = σ_y(z_t)
      zs.fill(0, zo, zo + B * O);
      addBias(zs, zo, B, this.by, O);
      gemm(false, true, B, O, H, hs, ho, this.Wy, 0, zs, zo, true);
      if (this.o.outputActivation === "softmax") softmaxRows(zs, ys, zo, B, O);
      else activate(this.o.outputActivation, zs, ys, zo, B * O);
      copyRow(teacher ?? ys, zo, fb, yc, B * O);      // the fed-back output for step t+1
      if (mask) for (let b = 0; b < B; b++) if (!mask[t * B + b]) {
        copyRow(ss, sp + b * S, ss, sc + b * S, S);
        copyRow(fb, yp + b * O, fb, yc + b * O, O);
      }
    }
    this.cache = { x, T, B, mask, teacher: teacher !== null };
    return {
      out: this.o.emit === "logits" ? zs : ys,
      state: [ss.slice(T * B * S, (T + 1) * B * S), fb.slice(T * B * O, (T + 1) * B * O)],
    };
  }

  backward(dOut: Vec, dStateT: Vec[] | null, needDx = true): { dx: Vec; dState0: Vec[] } {
    if (!this.cache) noCache("jordan");
    const { x, T, B, mask, teacher } = this.cache;
    const { input: I, hidden: H, state: S, output: O } = this.o;
    const ss = this.ws.get("ss", (T + 1) * B * S), fb = this.ws.get("fb", (T + 1) * B * O);
    const hs = this.ws.get("hs", T * B * H), ys = this.ws.get("ys", T * B * O);
    const dz = this.ws.get("dz", T * B * O);         // (T, B, O) gradient wrt z_t
    const dhp = this.ws.get("dhp", T * B * H);       // (T, B, H) gradient wrt h's pre-activation
    const dsp = this.ws.get("dsp", T * B * S);       // (T, B, S) gradient wrt s's pre-activation
    const dyo = this.ws.get("dyo", B * O);           // (B, O) gradient wrt y_t as emitted or fed back
    const dh = this.ws.get("dh", B * H);
    const ds = this.ws.get("ds", B * S);             // carried gradient wrt s_t
    const dfb = this.ws.get("dfb", B * O);           // carried gradient wrt the fed-back y_t
    const keepS = this.ws.get("keepS", B * S), keepY = this.ws.get("keepY", B * O);
    if (dStateT) { ds.set(dStateT[0]); dfb.set(dStateT[1]); } else { ds.fill(0); dfb.fill(0); }
    for (let t = T - 1; t >= 0; t--) {
      const sc = (t + 1) * B * S, ho = t * B * H, zo = t * B * O;
      // Gradient wrt y_t: from what was emitted (if it was y) and from the feedback into s_{t+1}.
      dyo.fill(0);
      if (!teacher) dyo.set(dfb);
      if (this.o.emit === "output") for (let k = 0; k < B * O; k++) dyo[k] += dOut[zo + k];
      // dz_t = J_σy(z_t)ᵀ dy_t (+ dOut_t when the layer emitted the logits).
      if (this.o.emit === "logits") copyRow(dOut, zo, dz, zo, B * O); else dz.fill(0, zo, zo + B * O);
      if (this.o.outputActivation === "softmax") softmaxRowsBackwardAdd(ys, zo, dyo, 0, dz, zo, B, O);
      else {
        activateBackward(this.o.outputActivation, ys, zo, dyo, 0, dyo, 0, B * O);
        for (let k = 0; k < B * O; k++) dz[zo + k] += dyo[k];
      }
      if (mask) {
        keepS.set(ds); keepY.set(dfb);
        for (let b = 0; b < B; b++) if (!mask[t * B + b]) dz.fill(0, zo + b * O, zo + (b + 1) * O);
      }
      // h: dh = dz W_y, dhpre = dh σ_h'(h)
      gemm(false, false, B, H, O, dz, zo, this.Wy, 0, dh, 0, false);
      activateBackward(this.o.hiddenActivation, hs, ho, dh, 0, dhp, ho, B * H);
      // s_t: ds += dhpre U_h, dspre = ds σ_s'(s_t)
      gemm(false, false, B, S, H, dhp, ho, this.Uh, 0, ds, 0, true);
      activateBackward(this.o.stateActivation, ss, sc, ds, 0, dsp, t * B * S, B * S);
      if (mask) for (let b = 0; b < B; b++) if (!mask[t * B + b]) dsp.fill(0, t * B * S + b * S, t * B * S + (b + 1) * S);
      // to step t-1: ds_{t-1} = dspre W_ss, dy_{t-1} = dspre W_sy
      gemm(false, false, B, S, S, dsp, t * B * S, this.Wss, 0, ds, 0, false);
      gemm(false, false, B, O, S, dsp, t * B * S, this.Wsy, 0, dfb, 0, false);
      if (mask) for (let b = 0; b < B; b++) if (!mask[t * B + b]) {
        // Padding: s_t and y_t were copies of step t-1, so their gradients pass straight through.
        copyRow(keepS, b * S, ds, b * S, S);
        copyRow(keepY, b * O, dfb, b * O, O);
      }
    }
    const TB = T * B;
    gemm(true, false, O, H, TB, dz, 0, hs, 0, this.dWy, 0, true);
    addBiasBackward(this.dby, dz, 0, TB, O);
    gemm(true, false, H, S, TB, dhp, 0, ss, B * S, this.dUh, 0, true);   // with s_t (t = 1..T)
    gemm(true, false, H, I, TB, dhp, 0, x, 0, this.dWh, 0, true);
    addBiasBackward(this.dbh, dhp, 0, TB, H);
    gemm(true, false, S, S, TB, dsp, 0, ss, 0, this.dWss, 0, true);      // with s_{t-1}
    gemm(true, false, S, O, TB, dsp, 0, fb, 0, this.dWsy, 0, true);      // with y_{t-1}
    addBiasBackward(this.dbs, dsp, 0, TB, S);
    // The input gradient costs a GEMM as large as the input projection: skip it when unused.
    const dx = this.ws.get("dx", needDx ? TB * I : 0);
    if (needDx) gemm(false, false, TB, I, H, dhp, 0, this.Wh, 0, dx, 0, false);
    // In both modes y_0 feeds s_1, so the gradient wrt the initial fed-back output is dfb.
    return { dx, dState0: [ds.slice(), dfb.slice()] };
  }
}
