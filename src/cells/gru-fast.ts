// The GRU layer's fast paths (reset after the product only, PyTorch's form), beside its
// reference (gru.ts): the whole time loop in WebAssembly (k.sequence), else a per-step loop
// over the fused gate kernels. Each gives the same bits as the reference loop over
// `gruStep`/`gruStepBackward` (test/tensor/fast-*). Both return false when no kernels are
// installed or they cannot address an array (float64, or float32 outside the wasm heap); the
// layer then runs its reference loop.
//
// Shapes: xw (T, B, 3H) r|z|n; hw (B, 3H); hn, dOut (T, B, H); hs (T+1, B, H) with h_0 at 0;
// dh (B, H); dhw (T, B, 3H); Whh (3H, H); bhh (3H).
import { gemm } from "../tensor/gemm.ts";
import { gateKernelsFor } from "../tensor/gate-kernels.ts";
import type { Vec } from "../tensor/types.ts";
import { copyPadded } from "./padding.ts";

/** Steps t = 0..T−1 (gruStep): xw from W_ih x + b_ih to the activated gates, hn and h_t written.
 *  The kernels add b_hh themselves. */
export function gruForwardFast(Whh: Vec, bhh: Vec, hard: boolean, xw: Vec, hw: Vec, hn: Vec, hs: Vec,
  T: number, B: number, H: number, mask: Uint8Array | null): boolean {
  const k = gateKernelsFor(xw, hn, hw, hs, bhh);
  if (!k) return false;
  // Without masks the whole loop may run in WebAssembly (same bits; batch rows over threads).
  if (!mask && k.has(Whh) && k.sequence({ job: "gruForward", hard, xw, hw, hs, hn, Whh, bhh }, T, B, H)) return true;
  const G = 3 * H;
  for (let t = 0; t < T; t++) {
    const go = t * B * G, prev = t * B * H, cur = (t + 1) * B * H;
    gemm(false, true, B, G, H, hs, prev, Whh, 0, hw, 0, false);   // h_{t-1} W_hhᵀ
    k.gruForward(xw, go, hw, 0, bhh, hs, prev, cur, hn, prev, B, H, hard);
    if (mask) copyPadded(mask, t, B, H, hs, prev, hs, cur);
  }
  return true;
}

/** Steps t = T−1..0 (gruStepBackward, with dOut_t added into dh first): act becomes the
 *  gradient wrt W_ih x + b_ih, dhw the gradient wrt W_hh h + b_hh; dh ends as dh_0. */
export function gruBackwardFast(Whh: Vec, hard: boolean, act: Vec, hn: Vec, hs: Vec, dOut: Vec, dh: Vec, dhw: Vec,
  T: number, B: number, H: number, mask: Uint8Array | null): boolean {
  const k = gateKernelsFor(act, hn, hs, dh, dhw);
  if (!k) return false;
  const fuseOut = !mask && k.has(dOut);  // the kernel adds dOut itself
  if (fuseOut && k.has(Whh) && k.sequence({ job: "gruBackward", hard, act, hn, hs, dh, dOut, dhw, Whh }, T, B, H)) return true;
  const G = 3 * H;
  for (let t = T - 1; t >= 0; t--) {
    const go = t * B * G, prev = t * B * H, o0 = t * B * H;
    if (!fuseOut) for (let q = 0; q < B * H; q++) dh[q] += dOut[o0 + q];
    if (!mask) k.gruBackward(act, go, hn, prev, hs, prev, dh, 0, fuseOut ? dOut : null, o0, dhw, go, B, H, hard);
    else for (let b = 0; b < B; b++) {
      const gr = go + b * G, hr = b * H;
      if (!mask[t * B + b]) { act.fill(0, gr, gr + G); dhw.fill(0, gr, gr + G); continue; }  // padding: state passes through
      k.gruBackward(act, gr, hn, prev + hr, hs, prev + hr, dh, hr, null, 0, dhw, gr, 1, H, hard);
    }
    gemm(false, false, B, H, G, dhw, go, Whh, 0, dh, 0, true);   // dh_{t-1} += dhw_t W_hh
  }
  return true;
}
