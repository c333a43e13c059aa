// Adagrad (Duchi et al. 2011) with learning-rate decay and L2 weight decay, exactly as
// torch.optim.Adagrad computes it.

import type { Vec } from "../../tensor/types.ts";
import { zerosLike } from "../../tensor/types.ts";
import { resolveOptions } from "./options.ts";
import { checkStep, loadedState, stateOf, type Optimizer, type OptimizerState } from "./types.ts";

export interface AdagradOptions {
  [k: string]: number | boolean;
  /** γ, learning rate. */ lr: number;
  /** η, learning-rate decay per step. */ lrDecay: number;
  /** λ, L2 penalty added to the gradient. */ weightDecay: number;
  /** τ, starting value of the accumulated squares. */ initialAccumulatorValue: number;
  /** ε, added to √s (outside the square root). */ eps: number;
}

export const ADAGRAD_DEFAULTS: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 };

/**
 * torch.optim.Adagrad, for each parameter θ with gradient g at step t = 1, 2, ...:
 *
 *   γ̃ = γ / (1 + (t − 1) η)
 *   g ← g + λθ                       (if λ ≠ 0)
 *   s_t = s_{t−1} + g²,   s_0 = τ
 *   θ ← θ − γ̃ g / (√s_t + ε)
 *
 * State: the sum of squares s (P) and t.
 */
export class Adagrad implements Optimizer {
  readonly name = "adagrad" as const;
  readonly options: Readonly<AdagradOptions>;
  private t = 0;
  private sum: Vec | null = null;

  constructor(options?: Partial<AdagradOptions>) {
    this.options = resolveOptions("adagrad", options, ADAGRAD_DEFAULTS, {
      lr: { lo: 0 }, lrDecay: { lo: 0 }, weightDecay: { lo: 0 }, initialAccumulatorValue: { lo: 0 }, eps: { lo: 0 },
    });
  }

  step(params: Vec, grads: Vec, lr?: number): void {
    const { lrDecay, weightDecay: wd, eps } = this.options;
    const gamma = checkStep("adagrad.step", params, grads, lr, this.options.lr, this.sum);
    const s = this.sum ??= zerosLike(params).fill(this.options.initialAccumulatorValue);
    const t = ++this.t;
    const clr = gamma / (1 + (t - 1) * lrDecay);
    for (let i = 0; i < params.length; i++) {
      const g = grads[i] + wd * params[i];
      s[i] += g * g;
      params[i] -= clr * g / (Math.sqrt(s[i]) + eps);
    }
  }

  state(): OptimizerState {
    return stateOf(this, this.t, { sum: this.sum });
  }

  loadState(s: OptimizerState): void {
    const { t, buffers } = loadedState(this, s, ["sum"]);
    this.t = t; this.sum = buffers.sum;
  }
}
