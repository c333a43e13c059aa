// A test double for the Optimizer interface: step() records a float64 copy of every gradient
// it is handed (and the learning rate) and leaves the parameters as they were, so a test can
// see each update's gradient exactly as the Trainer produced it. Not an optimiser: no update rule.
import type { Optimizer, OptimizerState } from "../../src/train/optim/index.ts";
import type { Vec } from "../../src/tensor/types.ts";

export interface RecordingOptimizer extends Optimizer {
  /** One (P) copy per step() call, in call order. */
  readonly grads: Float64Array[];
  readonly lrs: Array<number | undefined>;
}

export function recordingOptimizer(): RecordingOptimizer {
  const grads: Float64Array[] = [], lrs: Array<number | undefined> = [];
  return {
    name: "sgd",
    options: { lr: 0 },
    grads,
    lrs,
    step(_params: Vec, g: Vec, lr?: number) { grads.push(Float64Array.from(g)); lrs.push(lr); },
    state(): OptimizerState { return { name: "sgd", options: { lr: 0 }, scalars: { step: grads.length }, tensors: {} }; },
    loadState() {},
  };
}
