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
import { gemm } from "../tensor/gemm.ts";
import { addBias, addBiasBackward, copyRow, gateSlope, hardSigmoid, sigmoid, type GateActivation } from "../tensor/ops.ts";
import { gateKernelsFor } from "../tensor/gate-kernels.ts";
import type { DType, Vec } from "../tensor/types.ts";
import { gatedTensors, noCache, viewsOf, type ForwardOptions, type Layer, type TensorSpec } from "./layer.ts";
import { Workspace } from "./workspace.ts";

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
    const I = this.inputSize, H = this.hidden, G = 3 * H, mask = opts.mask ?? null, hard = this.hard;
    const xw = this.ws.get("xw", T * B * G);      // (T, B, 3H) W_ih x + b_ih, then activated r|z|n
    const hn = this.ws.get("hn", T * B * H);      // (T, B, H)  W_hn h_{t-1} + b_hn (reset after), or r ⊙ h_{t-1} (before)
    const hw = this.ws.get("hw", B * G);          // (B, 3H)    W_hh h_{t-1} + b_hh of this step (r|z|n blocks)
    const hs = this.ws.get("hs", (T + 1) * B * H);
    if (state0) hs.set(state0[0].subarray(0, B * H)); else hs.fill(0, 0, B * H);
    gemm(false, true, T * B, G, I, x, 0, this.Wih, 0, xw, 0, false);
    addBias(xw, 0, T * B, this.bih, G);
    // WebAssembly SIMD gates when installed (reset-after only); they add b_hh themselves.
    const k = this.resetAfter ? gateKernelsFor(xw, hn, hw, hs, this.bhh) : null;
    // Without masks the whole loop may run in WebAssembly (same bits; batch rows over threads).
    const done = k !== null && !mask && k.has(this.Whh) && k.sequence("gruForward", T, B, H, +hard, [xw, hw, hs, hn, this.Whh, this.bhh]);
    for (let t = 0; t < T && !done; t++) {
      const go = t * B * G, prev = t * B * H, cur = (t + 1) * B * H;
      if (k) {
        gemm(false, true, B, G, H, hs, prev, this.Whh, 0, hw, 0, false);
        k.gruForward(xw, go, hw, 0, this.bhh, hs, prev, cur, hn, prev, B, H, hard);
      } else this.gatesForward(xw, hn, hw, hs, go, prev, cur, B);
      if (mask) for (let b = 0; b < B; b++) if (!mask[t * B + b]) copyRow(hs, prev + b * H, hs, cur + b * H, H);
    }
    this.cache = { x, T, B, mask };
    return { out: hs.subarray(B * H), state: [hs.slice(T * B * H, (T + 1) * B * H)] };
  }

  /** The JavaScript reference of one forward step's gates (and, reset before, the n block's GEMMs). */
  private gatesForward(xw: Vec, hn: Vec, hw: Vec, hs: Vec, go: number, prev: number, cur: number, B: number): void {
    const H = this.hidden, G = 3 * H, hard = this.hard;
    hw.fill(0);
    addBias(hw, 0, B, this.bhh, G);
    if (this.resetAfter) {
      gemm(false, true, B, G, H, hs, prev, this.Whh, 0, hw, 0, true);
    } else {
      // r and z see h_{t-1}; the n block sees r ⊙ h_{t-1}, so it waits for r.
      for (let b = 0; b < B; b++) gemm(false, true, 1, 2 * H, H, hs, prev + b * H, this.Whh, 0, hw, b * G, true);
      for (let b = 0; b < B; b++) {
        const gr = go + b * G, wr = b * G, hr = b * H;
        for (let j = 0; j < H; j++) {
          const a = xw[gr + j] + hw[wr + j];
          hn[prev + hr + j] = (hard ? hardSigmoid(a) : sigmoid(a)) * hs[prev + hr + j];
        }
        gemm(false, true, 1, H, H, hn, prev + hr, this.Whh, 2 * H * H, hw, wr + 2 * H, true);
      }
    }
    for (let b = 0; b < B; b++) {
      const gr = go + b * G, wr = b * G, hr = b * H;
      for (let j = 0; j < H; j++) {
        const ar = xw[gr + j] + hw[wr + j], az = xw[gr + H + j] + hw[wr + H + j];
        const r = hard ? hardSigmoid(ar) : sigmoid(ar);
        const z = hard ? hardSigmoid(az) : sigmoid(az);
        const hnj = hw[wr + 2 * H + j];
        const n = Math.tanh(xw[gr + 2 * H + j] + (this.resetAfter ? r * hnj : hnj));
        xw[gr + j] = r; xw[gr + H + j] = z; xw[gr + 2 * H + j] = n;
        if (this.resetAfter) hn[prev + hr + j] = hnj;
        hs[cur + hr + j] = (1 - z) * n + z * hs[prev + hr + j];
      }
    }
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
    const k = this.resetAfter ? gateKernelsFor(act, hn, hs, dh, dhw) : null;
    const fuseOut = k !== null && !mask && k.has(dOut);  // the kernel adds dOut itself
    const done = fuseOut && k.has(this.Whh) && k.sequence("gruBackward", T, B, H, +hard, [act, hn, hs, dh, dOut, dhw, this.Whh]);
    for (let t = T - 1; t >= 0 && !done; t--) {
      const go = t * B * G, prev = t * B * H, o0 = t * B * H;
      if (!fuseOut) for (let q = 0; q < B * H; q++) dh[q] += dOut[o0 + q];
      if (k && !mask) k.gruBackward(act, go, hn, prev, hs, prev, dh, 0, fuseOut ? dOut : null, o0, dhw, go, B, H, hard);
      else for (let b = 0; b < B; b++) {
        const gr = go + b * G, hr = b * H;
        if (mask && !mask[t * B + b]) { dxw.fill(0, gr, gr + G); dhw.fill(0, gr, gr + G); continue; }
        if (k) { k.gruBackward(act, gr, hn, prev + hr, hs, prev + hr, dh, hr, null, 0, dhw, gr, 1, H, hard); continue; }
        for (let j = 0; j < H; j++) {
          const z = act[gr + H + j], n = act[gr + 2 * H + j];
          const d = dh[hr + j], hp = hs[prev + hr + j];
          const dnPre = d * (1 - z) * (1 - n * n);
          dxw[gr + H + j] = dhw[gr + H + j] = d * (hp - n) * gateSlope(hard, z);
          dxw[gr + 2 * H + j] = dnPre;
          dh[hr + j] = d * z;                         // direct path to h_{t-1}; padded rows keep d
        }
        if (this.resetAfter) {
          for (let j = 0; j < H; j++) {
            const r = act[gr + j], dnPre = dxw[gr + 2 * H + j];
            dxw[gr + j] = dhw[gr + j] = dnPre * hn[prev + hr + j] * gateSlope(hard, r);
            dhw[gr + 2 * H + j] = dnPre * r;
          }
        } else {
          // n = tanh(... + W_hn (r ⊙ h) + b_hn): d(r ⊙ h) = dn W_hn, then split to r and h.
          for (let j = 0; j < H; j++) dhw[gr + 2 * H + j] = dxw[gr + 2 * H + j];
          gemm(false, false, 1, H, H, dhw, gr + 2 * H, this.Whh, 2 * H * H, drh, hr, false);
          for (let j = 0; j < H; j++) {
            const r = act[gr + j];
            dxw[gr + j] = dhw[gr + j] = drh[hr + j] * hs[prev + hr + j] * gateSlope(hard, r);
            dh[hr + j] += drh[hr + j] * r;
          }
        }
      }
      if (this.resetAfter) {
        gemm(false, false, B, H, G, dhw, go, this.Whh, 0, dh, 0, true);   // dh_{t-1} += dhw_t W_hh
      } else {
        for (let b = 0; b < B; b++) {
          if (mask && !mask[t * B + b]) continue;
          gemm(false, false, 1, H, 2 * H, dhw, go + b * G, this.Whh, 0, dh, b * H, true);   // r, z blocks only
        }
      }
    }
    if (this.resetAfter) {
      gemm(true, false, G, H, T * B, dhw, 0, hs, 0, this.dWhh, 0, true);
    } else {
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
