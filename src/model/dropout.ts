// Dropout (Srivastava et al. 2014) on the non-recurrent connections of a stacked RNN, as
// Zaremba et al. (2014) apply it and as PyTorch computes it: in training, each value is kept
// with probability 1 − p and scaled by 1/(1 − p) ("inverted" dropout), so inference is the
// identity and a trained model exports with nothing to undo. A fresh mask for every value of
// every step; never on the recurrent connections h_{t−1} → h_t.
//
// The mask is drawn once per forward and kept for the backward (its forward and backward are
// twins below). Where the masks sit in a model, and where their random numbers come from:
// src/model/network.ts (sites) and src/train/trainer.ts (the run's Rng).
// Shapes: N = T·B·width values of one connection.
import type { Vec } from "../tensor/types.ts";

/** What masks are drawn from: the toolkit's Rng, or any source of uniform numbers in [0, 1). */
export interface RandomSource { uniform(): number }

/** Fills mask (N): 0 where uniform() < p (dropped), else 1/(1 − p). */
export function dropoutMask(mask: Vec, p: number, random: RandomSource): void {
  const scale = 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = random.uniform() < p ? 0 : scale;
}

/** y (N) = x (N) ⊙ mask (N). */
export function dropoutForward(x: Vec, mask: Vec, y: Vec): void {
  for (let i = 0; i < mask.length; i++) y[i] = x[i] * mask[i];
}

/** dx (N) = dy (N) ⊙ mask (N); dx may be dy (in place): the gradient passes only where x did. */
export function dropoutBackward(dy: Vec, mask: Vec, dx: Vec): void {
  for (let i = 0; i < mask.length; i++) dx[i] = dy[i] * mask[i];
}
