// The Elman layer's fast paths, beside its reference (elman.ts): the whole time loop in
// WebAssembly (k.sequence), else a per-step loop over the fused activation kernels. Each gives
// the same bits as the reference loop over `elmanStep`/`elmanStepBackward` (test/tensor/fast-*).
// Both return false when no kernels are installed or they cannot address an array (float64,
// float32 outside the wasm heap, or an activation they lack); the layer then runs its reference.
//
// Shapes: hs (T+1, B, H) with h_0 at 0 and W_x x_t + b_h at step t+1 on entry; dpre, dOut
// (T, B, H); dh (B, H); U (H, H).
import { gemm } from "../tensor/gemm.ts";
import { gateKernelsFor } from "../tensor/gate-kernels.ts";
import type { Activation } from "../tensor/ops.ts";
import type { Vec } from "../tensor/types.ts";
import { copyPadded, recurrentBackward, zeroPadded } from "./padding.ts";

/** h_t = σ_h(hs_t + h_{t-1} U_hᵀ) for t = 1..T, written over hs. */
export function elmanForwardFast(act: Activation, U: Vec, hs: Vec, T: number, B: number, H: number, mask: Uint8Array | null): boolean {
  if (act !== "tanh" && act !== "sigmoid") return false;
  const k = gateKernelsFor(hs);
  if (!k) return false;
  // Without masks the whole loop may run in WebAssembly (same bits; batch rows over threads).
  if (!mask && k.has(U) && k.sequence({ job: "elmanForward", act, hs, U }, T, B, H)) return true;
  for (let t = 0; t < T; t++) {
    const prev = t * B * H, cur = (t + 1) * B * H;
    gemm(false, true, B, H, H, hs, prev, U, 0, hs, cur, true);   // + h_{t-1} U_hᵀ
    k.activate(hs, cur, hs, cur, B * H, act);
    if (mask) copyPadded(mask, t, B, H, hs, prev, hs, cur);
  }
  return true;
}

/** BPTT from t = T−1 down to 0: dpre_t = (dh + dOut_t) ⊙ σ_h'(h_t), dh ← dpre_t U_h; dh ends as dh_0. */
export function elmanBackwardFast(act: Activation, U: Vec, hs: Vec, dOut: Vec, dh: Vec, dpre: Vec,
  T: number, B: number, H: number, mask: Uint8Array | null, keep: Vec | null): boolean {
  if (act !== "tanh" && act !== "sigmoid") return false;
  const k = gateKernelsFor(hs, dpre, dh);
  if (!k) return false;
  const fuseOut = !mask && k.has(dOut);   // the kernel adds dOut itself
  if (fuseOut && k.has(U) && k.sequence({ job: "elmanBackward", act, hs, dh, dOut, dpre, U }, T, B, H)) return true;
  for (let t = T - 1; t >= 0; t--) {
    const cur = (t + 1) * B * H, o = t * B * H;
    if (!fuseOut) for (let i = 0; i < B * H; i++) dh[i] += dOut[o + i];
    k.activateBackward(hs, cur, dh, 0, fuseOut ? dOut : null, o, dpre, o, B * H, act);
    if (mask) zeroPadded(mask, t, B, H, dpre, o);
    recurrentBackward(dpre, o, U, dh, B, H, H, mask, t, keep);
  }
  return true;
}
