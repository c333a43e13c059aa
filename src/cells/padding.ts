// Padding steps under a mask, shared by every cell's reference and fast loops. A padding step
// (mask[t·B + b] = 0) carries row b's state through unchanged, as PyTorch's packed sequences
// do; so in the backward its state gradient passes straight through and its gate gradients are
// zero. Rows are independent, so each helper touches only the padding rows of one step.
// Not here: which arrays a cell carries (each cell's loop names them).
import { copyRow } from "../tensor/ops.ts";
import { gemm } from "../tensor/gemm.ts";
import type { Vec } from "../tensor/types.ts";

/** mask (T, B). For each padding row b of step t: dst[dstOff + b·n ..] = src[srcOff + b·n ..] (n values). */
export function copyPadded(mask: Uint8Array, t: number, B: number, n: number, src: Vec, srcOff: number, dst: Vec, dstOff: number): void {
  for (let b = 0; b < B; b++) if (!mask[t * B + b]) copyRow(src, srcOff + b * n, dst, dstOff + b * n, n);
}

/** mask (T, B). Zeroes each padding row b of step t in a (n values a row, from off): its gate gradients. */
export function zeroPadded(mask: Uint8Array, t: number, B: number, n: number, a: Vec, off: number): void {
  for (let b = 0; b < B; b++) if (!mask[t * B + b]) a.fill(0, off + b * n, off + (b + 1) * n);
}

/**
 * The gradient wrt h_{t-1} through the recurrent weights: dh (B, H) = d (B, K) · W (K, H), with
 * d read at dOff. Padding rows of step t keep the dh they had (their h_t was h_{t-1}); keep
 * (B, H) is scratch for that, used only with a mask.
 */
export function recurrentBackward(d: Vec, dOff: number, W: Vec, dh: Vec, B: number, H: number, K: number,
  mask: Uint8Array | null, t: number, keep: Vec | null): void {
  if (mask && keep) keep.set(dh);
  gemm(false, false, B, H, K, d, dOff, W, 0, dh, 0, false);
  if (mask && keep) copyPadded(mask, t, B, H, keep, 0, dh, 0);
}
