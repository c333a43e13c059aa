// Adam (Kingma & Ba 2015) with optional L2 weight decay and AMSGrad, exactly as
// torch.optim.Adam computes it. AdamW (decoupled decay) reuses the same moment update
// from here; see adamw.ts. One loop over the flat parameter array.

import type { Vec } from "../../tensor/types.ts";
import { zerosLike } from "../../tensor/types.ts";
import { resolveOptions, type Range } from "./options.ts";
import { checkStep, loadedState, stateOf, type Optimizer, type OptimizerName, type OptimizerState } from "./types.ts";

export interface AdamOptions {
  [k: string]: number | boolean;
  /** γ, learning rate. */ lr: number;
  /** β₁, decay of the first moment. */ beta1: number;
  /** β₂, decay of the second moment. */ beta2: number;
  /** ε, added to √v̂ (outside the square root). */ eps: number;
  /** λ: Adam adds λθ to the gradient; AdamW multiplies θ by (1 − γλ). */ weightDecay: number;
  /** Use the running maximum of v (AMSGrad). */ amsgrad: boolean;
}

export const ADAM_DEFAULTS: AdamOptions = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false };
export const ADAM_RANGES: Partial<Record<keyof AdamOptions, Range>> = {
  lr: { lo: 0 }, beta1: { lo: 0, hi: 1, hiOpen: true }, beta2: { lo: 0, hi: 1, hiOpen: true }, eps: { lo: 0 }, weightDecay: { lo: 0 },
};

/**
 * torch.optim.Adam, for each parameter θ with gradient g at step t = 1, 2, ...:
 *
 *   g ← g + λθ                                   (Adam's coupled L2 decay, if λ ≠ 0)
 *   m_t = β₁ m_{t−1} + (1 − β₁) g
 *   v_t = β₂ v_{t−1} + (1 − β₂) g²
 *   m̂ = m_t / (1 − β₁ᵗ),   v̂ = v_t / (1 − β₂ᵗ)
 *   θ ← θ − γ m̂ / (√v̂ + ε)
 *
 * With AMSGrad, v_max = max(v_max, v_t) replaces v_t in v̂ (as PyTorch's code does: the
 * maximum is over the uncorrected v, then divided by the current 1 − β₂ᵗ).
 * State: m, v (and v_max) of length P, and t. m and v start at zero.
 */
export class Adam implements Optimizer {
  readonly name: OptimizerName = "adam";
  readonly options: Readonly<AdamOptions>;
  protected t = 0;
  protected m: Vec | null = null;
  protected v: Vec | null = null;
  protected vmax: Vec | null = null;

  constructor(options?: Partial<AdamOptions>, where = "adam", defaults = ADAM_DEFAULTS) {
    this.options = resolveOptions(where, options, defaults, ADAM_RANGES);
  }

  step(params: Vec, grads: Vec, lr?: number): void {
    const gamma = checkStep(`${this.name}.step`, params, grads, lr, this.options.lr, this.m);
    this.adamUpdate(params, grads, gamma, this.options.weightDecay);
  }

  /** The moment update and step shared with AdamW; `l2` is the coupled decay λ (0 for AdamW). */
  protected adamUpdate(params: Vec, grads: Vec, gamma: number, l2: number): void {
    const { beta1: b1, beta2: b2, eps, amsgrad } = this.options;
    const m = this.m ??= zerosLike(params);
    const v = this.v ??= zerosLike(params);
    const vmax = amsgrad ? (this.vmax ??= zerosLike(params)) : null;
    const t = ++this.t;
    const bc1 = 1 - Math.pow(b1, t);
    const bc2 = 1 - Math.pow(b2, t);
    for (let i = 0; i < params.length; i++) {
      const g = grads[i] + l2 * params[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      let vi = v[i];
      if (vmax) { if (vi > vmax[i]) vmax[i] = vi; vi = vmax[i]; }
      params[i] -= gamma * (m[i] / bc1) / (Math.sqrt(vi / bc2) + eps);
    }
  }

  state(): OptimizerState {
    return stateOf(this, this.t, { m: this.m, v: this.v, vmax: this.vmax });
  }

  loadState(s: OptimizerState): void {
    const { t, buffers } = loadedState(this, s, ["m", "v", "vmax"]);
    this.t = t; this.m = buffers.m; this.v = buffers.v; this.vmax = buffers.vmax;
  }
}
