// The adding problem as Arjovsky, Shah & Bengio (2016, "Unitary evolution recurrent neural
// networks", section 4.2) use it (after Le, Jaitly & Hinton 2015): each step is a pair
// (value, marker) with values uniform in [0, 1]; exactly two markers are 1, one in the
// first half of the sequence and one in the second half; all other markers 0. The target
// is the sum of the two marked values. Baseline: always predicting 1 gives MSE
// Var(U1 + U2) = 2/12 ≈ 0.167. Correct: the paper reports MSE only; we count a sequence
// correct when |error| < 0.04, the criterion of the original adding problem.
import type { Task, TaskBatch, GenerateOptions } from "./types.ts";
import { checkGenerate } from "./types.ts";
import { scoreAdding } from "./adding.ts";
import { zeros } from "../../tensor/types.ts";

export const addingArjovsky: Task = {
  name: "adding-arjovsky",
  source: "Arjovsky, Shah & Bengio (2016), Unitary evolution RNNs, ICML, section 4.2",
  inputSize: 2, outputSize: 1, targetKind: "regression-last", minLength: 2,
  steps: (length) => length,
  generate(opts: GenerateOptions): TaskBatch {
    const { T, B, dtype } = checkGenerate(this, opts);
    const rng = opts.rng;
    const x = zeros(T * B * 2, dtype), target = zeros(B, dtype);
    const half = Math.floor(T / 2);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) x[(t * B + b) * 2] = rng.uniform();
      const p1 = rng.int(half), p2 = half + rng.int(T - half);
      x[(p1 * B + b) * 2 + 1] = 1;
      x[(p2 * B + b) * 2 + 1] = 1;
      target[b] = x[(p1 * B + b) * 2] + x[(p2 * B + b) * 2];
    }
    return { task: "adding-arjovsky", T, B, I: 2, O: 1, x, target, targetKind: "regression-last" };
  },
  score: scoreAdding,
  baseline: () => ({ loss: 2 / 12, lossName: "mse", predictor: "1" }),
};
