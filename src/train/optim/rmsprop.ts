// RMSProp (Hinton's lecture 6e) with optional centring, momentum and L2 weight decay,
// exactly as torch.optim.RMSprop computes it (ε outside the square root, unlike Keras).

import type { Vec } from "../../tensor/types.ts";
import { zerosLike } from "../../tensor/types.ts";
import { resolveOptions } from "./options.ts";
import { checkStep, loadedState, stateOf, type Optimizer, type OptimizerState } from "./types.ts";

export interface RmsPropOptions {
  [k: string]: number | boolean;
  /** γ, learning rate. */ lr: number;
  /** α, smoothing constant of the squared-gradient average. */ alpha: number;
  /** ε, added to √ṽ (outside the square root). */ eps: number;
  /** λ, L2 penalty added to the gradient. */ weightDecay: number;
  /** μ, momentum factor (0 = none). */ momentum: number;
  /** Normalise by the estimated variance instead of the second moment. */ centered: boolean;
}

export const RMSPROP_DEFAULTS: RmsPropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false };

/**
 * torch.optim.RMSprop, for each parameter θ with gradient g:
 *
 *   g ← g + λθ                                     (if λ ≠ 0)
 *   v_t = α v_{t−1} + (1 − α) g²
 *   ṽ = v_t − ḡ_t²,  ḡ_t = α ḡ_{t−1} + (1 − α) g   (centred)   or   ṽ = v_t
 *   b_t = μ b_{t−1} + g / (√ṽ + ε),  θ ← θ − γ b_t  (if μ > 0)
 *   θ ← θ − γ g / (√ṽ + ε)                         (otherwise)
 *
 * v, ḡ and b start at zero. State: v, ḡ (centred), b (μ > 0) of length P, and t.
 */
export class RmsProp implements Optimizer {
  readonly name = "rmsprop" as const;
  readonly options: Readonly<RmsPropOptions>;
  private t = 0;
  private v: Vec | null = null;
  private gAvg: Vec | null = null;
  private buf: Vec | null = null;

  constructor(options?: Partial<RmsPropOptions>) {
    this.options = resolveOptions("rmsprop", options, RMSPROP_DEFAULTS, {
      lr: { lo: 0 }, alpha: { lo: 0, hi: 1 }, eps: { lo: 0 }, weightDecay: { lo: 0 }, momentum: { lo: 0 },
    });
  }

  step(params: Vec, grads: Vec, lr?: number): void {
    const { alpha: a, eps, weightDecay: wd, momentum: mu, centered } = this.options;
    const gamma = checkStep("rmsprop.step", params, grads, lr, this.options.lr, this.v);
    const v = this.v ??= zerosLike(params);
    const gAvg = centered ? (this.gAvg ??= zerosLike(params)) : null;
    const b = mu > 0 ? (this.buf ??= zerosLike(params)) : null;
    this.t++;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i] + wd * params[i];
      v[i] = a * v[i] + (1 - a) * g * g;
      let vt = v[i];
      if (gAvg) { gAvg[i] = a * gAvg[i] + (1 - a) * g; vt -= gAvg[i] * gAvg[i]; }
      const denom = Math.sqrt(vt) + eps;
      if (b) { b[i] = mu * b[i] + g / denom; params[i] -= gamma * b[i]; }
      else params[i] -= gamma * g / denom;
    }
  }

  state(): OptimizerState {
    return stateOf(this, this.t, { v: this.v, gAvg: this.gAvg, momentum: this.buf });
  }

  loadState(s: OptimizerState): void {
    const { t, buffers } = loadedState(this, s, ["v", "gAvg", "momentum"]);
    this.t = t; this.v = buffers.v; this.gAvg = buffers.gAvg; this.buf = buffers.momentum;
  }
}
