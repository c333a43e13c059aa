// Gradient clipping on the flat gradient array (P): by global L2 norm (Pascanu, Mikolov
// & Bengio 2013, "On the difficulty of training recurrent neural networks") and by value.
// It only rescales gradients; deciding what to do with a non-finite gradient is the
// training loop's job (it gets the norm back to look at).

import type { Vec } from "../tensor/types.ts";
import { check, RecurrentError } from "../errors.ts";

/** ‖g‖₂ = √(Σᵢ gᵢ²), accumulated in float64. */
export function globalNorm(grads: Vec): number {
  let s = 0;
  for (let i = 0; i < grads.length; i++) s += grads[i] * grads[i];
  return Math.sqrt(s);
}

export interface NormClip {
  /** ‖g‖₂ before clipping. */
  norm: number;
  /** Whether the gradient was rescaled. */
  clipped: boolean;
  /** The factor applied (1 if not clipped). */
  scale: number;
}

/**
 * Clip by global norm, in place, as torch.nn.utils.clip_grad_norm_ does (maxNorm c = 0
 * turns clipping off and only measures the norm):
 *
 *   s = c / (‖g‖₂ + ε),   g ← s·g  if s < 1      (ε = 1e-6 by default)
 *
 * which is Pascanu et al.'s rule "if ‖g‖ > c then g ← (c / ‖g‖) g" up to ε. Returns the
 * norm before clipping and whether it fired. A non-finite norm (NaN/∞ in g) leaves g
 * unchanged and is returned as it is, or throws if `errorIfNonfinite`.
 */
export function clipByGlobalNorm(grads: Vec, maxNorm: number, options: { eps?: number; errorIfNonfinite?: boolean } = {}): NormClip {
  check(grads instanceof Float32Array || grads instanceof Float64Array, "clipByGlobalNorm: grads", "a Float32Array or Float64Array", grads);
  check(typeof maxNorm === "number" && maxNorm >= 0 && Number.isFinite(maxNorm), "clipByGlobalNorm: maxNorm", "a finite number >= 0 (0 = measure only)", maxNorm);
  const eps = options.eps ?? 1e-6;
  check(typeof eps === "number" && eps >= 0 && Number.isFinite(eps), "clipByGlobalNorm: eps", "a finite number >= 0", eps);
  const norm = globalNorm(grads);
  if (!Number.isFinite(norm)) {
    if (options.errorIfNonfinite) throw new RecurrentError(`clipByGlobalNorm: gradient norm: expected a finite number, got ${norm} (the gradient holds NaN or infinity)`);
    return { norm, clipped: false, scale: 1 };
  }
  if (maxNorm === 0) return { norm, clipped: false, scale: 1 };
  const scale = maxNorm / (norm + eps);
  if (scale >= 1) return { norm, clipped: false, scale: 1 };
  for (let i = 0; i < grads.length; i++) grads[i] *= scale;
  return { norm, clipped: true, scale };
}

/**
 * Clip by value, in place, as torch.nn.utils.clip_grad_value_:  gᵢ ← min(max(gᵢ, −c), c).
 * NaN stays NaN. Returns how many entries were changed.
 */
export function clipByValue(grads: Vec, clipValue: number): number {
  check(grads instanceof Float32Array || grads instanceof Float64Array, "clipByValue: grads", "a Float32Array or Float64Array", grads);
  check(typeof clipValue === "number" && clipValue > 0 && Number.isFinite(clipValue), "clipByValue: clipValue", "a finite number > 0", clipValue);
  let changed = 0;
  for (let i = 0; i < grads.length; i++) {
    const g = grads[i];
    if (g > clipValue) { grads[i] = clipValue; changed++; }
    else if (g < -clipValue) { grads[i] = -clipValue; changed++; }
  }
  return changed;
}
