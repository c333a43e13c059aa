// AdamW (Loshchilov & Hutter 2019): Adam with weight decay decoupled from the gradient,
// exactly as torch.optim.AdamW computes it. The moment update is Adam's (adam.ts).

import type { Vec } from "../../tensor/types.ts";
import { Adam, ADAM_DEFAULTS, type AdamOptions } from "./adam.ts";
import { checkStep, type OptimizerName } from "./types.ts";

export type AdamWOptions = AdamOptions;
export const ADAMW_DEFAULTS: AdamWOptions = { ...ADAM_DEFAULTS, weightDecay: 1e-2 };

/**
 * torch.optim.AdamW, for each parameter θ with gradient g at step t = 1, 2, ...:
 *
 *   θ ← θ − γλθ                      (decoupled decay, before the Adam step; γ is this
 *                                     step's learning rate, so schedules scale it too)
 *   m_t = β₁ m_{t−1} + (1 − β₁) g,   v_t = β₂ v_{t−1} + (1 − β₂) g²
 *   θ ← θ − γ (m_t / (1 − β₁ᵗ)) / (√(v_t / (1 − β₂ᵗ)) + ε)
 *
 * Defaults as PyTorch: γ = 1e-3, β = (0.9, 0.999), ε = 1e-8, λ = 1e-2.
 */
export class AdamW extends Adam {
  override readonly name: OptimizerName = "adamw";

  constructor(options?: Partial<AdamWOptions>) {
    super(options, "adamw", ADAMW_DEFAULTS);
  }

  override step(params: Vec, grads: Vec, lr?: number): void {
    const gamma = checkStep("adamw.step", params, grads, lr, this.options.lr, this.m);
    const keep = 1 - gamma * this.options.weightDecay;
    if (keep !== 1) for (let i = 0; i < params.length; i++) params[i] *= keep;
    this.adamUpdate(params, grads, gamma, 0);
  }
}
