// The LSTM layer's fast paths, beside its reference (lstm.ts): the whole time loop in
// WebAssembly (k.sequence), else a per-step loop over the fused gate kernels. Each gives the
// same bits as the reference loop over `lstmStep`/`lstmStepBackward` (test/tensor/fast-*).
// Both return false when no kernels are installed or they cannot address an array (float64,
// or float32 outside the wasm heap); the layer then runs its reference loop.
//
// Shapes: gates (T, B, 4H) i|f|g|o; hs, cs (T+1, B, H) with h_0, c_0 at 0; dOut (T, B, H);
// dh, dc (B, H); Whh (4H, H).
import { gemm } from "../tensor/gemm.ts";
import { gateKernelsFor } from "../tensor/gate-kernels.ts";
import type { Vec } from "../tensor/types.ts";
import { copyPadded, recurrentBackward } from "./padding.ts";

/** Steps t = 0..T−1 (lstmStep): gates from pre-activations to activations, h_t and c_t written. */
export function lstmForwardFast(Whh: Vec, hard: boolean, gates: Vec, hs: Vec, cs: Vec,
  T: number, B: number, H: number, mask: Uint8Array | null): boolean {
  const k = gateKernelsFor(gates, hs, cs);
  if (!k) return false;
  // Without masks the whole loop may run in WebAssembly (same bits; batch rows over threads).
  if (!mask && k.has(Whh) && k.sequence({ job: "lstmForward", hard, gates, hs, cs, Whh }, T, B, H)) return true;
  const G = 4 * H;
  for (let t = 0; t < T; t++) {
    const go = t * B * G, prev = t * B * H, cur = (t + 1) * B * H;
    gemm(false, true, B, G, H, hs, prev, Whh, 0, gates, go, true);  // + h_{t-1} W_hhᵀ
    k.lstmForward(gates, go, cs, prev, cur, hs, cur, B, H, hard);
    if (mask) {
      copyPadded(mask, t, B, H, hs, prev, hs, cur);
      copyPadded(mask, t, B, H, cs, prev, cs, cur);
    }
  }
  return true;
}

/** Steps t = T−1..0 (lstmStepBackward, with dOut_t added into dh first): gates become their
 *  gradients, dh and dc end as dh_0 and dc_0. keep (B, H): scratch, needed only with a mask. */
export function lstmBackwardFast(Whh: Vec, hard: boolean, gates: Vec, cs: Vec, dOut: Vec, dh: Vec, dc: Vec,
  T: number, B: number, H: number, mask: Uint8Array | null, keep: Vec | null): boolean {
  const k = gateKernelsFor(gates, cs, dh, dc);
  if (!k) return false;
  const fuseOut = !mask && k.has(dOut);  // the kernel adds dOut itself
  if (fuseOut && k.has(Whh) && k.sequence({ job: "lstmBackward", hard, gates, cs, dh, dc, dOut, Whh }, T, B, H)) return true;
  const G = 4 * H;
  for (let t = T - 1; t >= 0; t--) {
    const go = t * B * G, prev = t * B * H, o0 = t * B * H;
    if (!fuseOut) for (let q = 0; q < B * H; q++) dh[q] += dOut[o0 + q];
    if (!mask) k.lstmBackward(gates, go, cs, prev, prev + B * H, dh, 0, fuseOut ? dOut : null, o0, dc, 0, B, H, hard);
    else for (let b = 0; b < B; b++) {
      const gr = go + b * G, hr = b * H;
      if (!mask[t * B + b]) gates.fill(0, gr, gr + G);   // padding: state passes through
      else k.lstmBackward(gates, gr, cs, prev + hr, prev + B * H + hr, dh, hr, null, 0, dc, hr, 1, H, hard);
    }
    recurrentBackward(gates, go, Whh, dh, B, H, G, mask, t, keep);   // dh_{t-1} = dgates_t W_hh
  }
  return true;
}
