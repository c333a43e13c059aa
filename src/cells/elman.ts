// Elman layer (Elman 1990, "Finding structure in time"): the simple recurrent network.
//
//   h_t = σ_h(W_x x_t + U_h h_{t-1} + b_h)
//
// Parameters (PyTorch nn.RNN names; one bias, so the count is h(h + d_in + 1)):
//   weight_ih (H, I) = W_x,  weight_hh (H, H) = U_h,  bias (H) = b_h
// The output layer y_t = σ_y(W_y h_t + b_y) is the model's head (src/model/head.ts).
// Not here: stacking, heads, losses (src/model), optimisation (src/train).
import { gemm } from "../tensor/gemm.ts";
import { activate, activateBackward, addBias, addBiasBackward, copyRow, type Activation } from "../tensor/ops.ts";
import { gateKernelsFor } from "../tensor/gate-kernels.ts";
import type { DType, Vec } from "../tensor/types.ts";
import { noCache, viewsOf, type ForwardOptions, type Layer, type TensorSpec } from "./layer.ts";
import { Workspace } from "./workspace.ts";

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
    const I = this.inputSize, H = this.hidden, mask = opts.mask ?? null;
    const hs = this.ws.get("hs", (T + 1) * B * H);          // (T+1, B, H); hs[0] = h_0
    if (state0) hs.set(state0[0].subarray(0, B * H)); else hs.fill(0, 0, B * H);
    // Input projection for all steps at once: (T·B, I) · W_xᵀ → (T·B, H), written at hs[1..].
    gemm(false, true, T * B, H, I, x, 0, this.W, 0, hs, B * H, false);
    addBias(hs, B * H, T * B, this.b, H);                    // + b_h, every step at once
    const act = this.activation;
    const k = act === "tanh" || act === "sigmoid" ? gateKernelsFor(hs) : null;  // WebAssembly SIMD when installed
    // Without masks the whole loop may run in WebAssembly (same bits; batch rows over threads).
    const done = k !== null && !mask && k.has(this.U) && k.sequence("elmanForward", T, B, H, act === "tanh" ? 0 : 1, [hs, this.U]);
    for (let t = 0; t < T && !done; t++) {
      const prev = t * B * H, cur = (t + 1) * B * H;
      gemm(false, true, B, H, H, hs, prev, this.U, 0, hs, cur, true);   // + h_{t-1} U_hᵀ
      if (k) k.activate(hs, cur, hs, cur, B * H, act as "tanh" | "sigmoid");
      else activate(act, hs, hs, cur, B * H);
      if (mask) for (let b = 0; b < B; b++) if (!mask[t * B + b]) copyRow(hs, prev + b * H, hs, cur + b * H, H);
    }
    this.cache = { x, T, B, mask };
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
    const act = this.activation;
    const k = act === "tanh" || act === "sigmoid" ? gateKernelsFor(hs, dpre, dh) : null;
    const fuseOut = k !== null && !mask && k.has(dOut);  // the kernel adds dOut itself
    const done = fuseOut && k.has(this.U) && k.sequence("elmanBackward", T, B, H, act === "tanh" ? 0 : 1, [hs, dh, dOut, dpre, this.U]);
    for (let t = T - 1; t >= 0 && !done; t--) {
      const cur = (t + 1) * B * H, o = t * B * H;
      if (!fuseOut) for (let i = 0; i < B * H; i++) dh[i] += dOut[o + i];
      if (k) k.activateBackward(hs, cur, dh, 0, fuseOut ? dOut : null, o, dpre, o, B * H, act as "tanh" | "sigmoid");
      else activateBackward(act, hs, cur, dh, 0, dpre, o, B * H);
      if (mask) for (let b = 0; b < B; b++) if (!mask[t * B + b]) dpre.fill(0, o + b * H, o + (b + 1) * H);
      // dh_{t-1} = dpre_t U_h, except padded rows, whose h_t was h_{t-1}: their gradient passes through.
      const keep = mask ? this.ws.get("keep", B * H) : null;
      if (keep) keep.set(dh);
      gemm(false, false, B, H, H, dpre, o, this.U, 0, dh, 0, false);
      if (keep && mask) for (let b = 0; b < B; b++) if (!mask[t * B + b]) copyRow(keep, b * H, dh, b * H, H);
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
