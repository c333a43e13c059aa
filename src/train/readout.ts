// Many-to-one outputs: what a classifier, a window forecaster or a last-step synthetic task
// reads from each sequence of a batch. For a unidirectional model, its output at each
// sequence's last real step; for a bidirectional one, the head over its summary
// (Network.forwardSummary: [h→ at the last real step ; h← after step 0], PyTorch's
// head(cat(h_n[-2], h_n[-1]))), since at the last step the reverse direction has read that
// step alone. The Trainer's many-to-one loss reads the same (src/train/trainer.ts).
// Not here: losses, batching.
import type { Network } from "../model/network.ts";
import { zeros, type Vec } from "../tensor/types.ts";
import { gatherLast } from "./loss.ts";

/** out (B, outputSize), a new array. x: (T, B, I); lengths (B) or null: from the mask's last real steps is the caller's (null = T). */
export function sequenceOutputs(model: Network, x: Vec, T: number, B: number, opts: { mask?: Uint8Array | null; lengths?: ArrayLike<number> | null } = {}): Vec {
  const O = model.outputSize;
  if (model.config.bidirectional) return model.forwardSummary(x, T, B, { mask: opts.mask ?? null, inference: true }).out.slice();
  return gatherLast(model.forward(x, T, B, { mask: opts.mask ?? null, inference: true }).out, T, B, O, opts.lengths ?? null, zeros(B * O, model.dtype));
}
