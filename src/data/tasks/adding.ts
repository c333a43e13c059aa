// The adding problem of Hochreiter & Schmidhuber (1997, "Long short-term memory",
// Experiment 4). Each step is a pair (value, marker): values uniform in [-1, 1]; exactly
// two steps carry marker 1.0, the first in the first 10 steps, the second in the first
// T/2 - 1 steps (distinct); the first and last steps carry marker -1 unless marked; all
// others 0. If the first step is marked, its value X1 is set to 0 (as in the paper).
// Target at the end: 0.5 + (X1 + X2) / 4 (in [0, 1]); a sequence is correct when
// |output - target| < 0.04.
// Deviation, for fixed-size batches: every sequence has exactly T steps (the paper draws
// the length from [T, T + T/10]). The marker ranges are clipped for small T.
import type { Task, TaskBatch, TaskScore, GenerateOptions } from "./types.ts";
import { checkGenerate, checkPredictions } from "./types.ts";
import { zeros, type Vec } from "../../tensor/types.ts";
import type { Rng } from "../../rand.ts";

/** The two marked positions' ranges for length T: first in [0, n1), second in [0, n2). */
export function addingMarkerRanges(T: number): [number, number] {
  return [Math.min(10, T - 1), Math.max(2, Math.floor(T / 2) - 1)];
}

/** The adding problem's criterion, every variant's: a sequence is correct when its output is
 *  within 0.04 of the target (Hochreiter & Schmidhuber 1997, Experiment 4). */
export function scoreAdding(pred: Vec, batch: TaskBatch): TaskScore {
  checkPredictions(pred, batch);
  let correct = 0;
  for (let b = 0; b < batch.B; b++) if (Math.abs(pred[b] - batch.target[b]) < 0.04) correct++;
  return { correct, total: batch.B, accuracy: correct / batch.B };
}

/**
 * Marks sequence b of a (·, B, 2) batch whose first `len` values are drawn: marker −1 on its
 * first and last pair, 1 on two distinct pairs drawn from [0, n1) and [0, n2) (a marked first
 * pair's value zeroed, as the paper does); returns its target 0.5 + (X1 + X2) / 4. Both
 * variants (fixed length here, the paper's lengths in adding-1997.ts) draw through it.
 */
export function markAdding(x: Vec, B: number, b: number, len: number, n1: number, n2: number, rng: Rng): number {
  x[b * 2 + 1] = -1;
  x[((len - 1) * B + b) * 2 + 1] = -1;
  const p1 = rng.int(n1);
  let p2 = rng.int(n2);
  while (p2 === p1) p2 = rng.int(n2);
  let sum = 0;
  for (const p of [p1, p2]) {
    const i = (p * B + b) * 2;
    if (p === 0) x[i] = 0;
    x[i + 1] = 1;
    sum += x[i];
  }
  return 0.5 + sum / 4;
}

export const adding: Task = {
  name: "adding",
  source: "Hochreiter & Schmidhuber (1997), Long short-term memory, Neural Computation 9(8), Experiment 4",
  inputSize: 2, outputSize: 1, targetKind: "regression-last", minLength: 4,
  steps: (length) => length,
  generate(opts: GenerateOptions): TaskBatch {
    const { T, B, dtype } = checkGenerate(this, opts);
    const rng = opts.rng;
    const x = zeros(T * B * 2, dtype), target = zeros(B, dtype);
    const [n1, n2] = addingMarkerRanges(T);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) x[(t * B + b) * 2] = rng.range(-1, 1);
      target[b] = markAdding(x, B, b, T, n1, n2, rng);
    }
    return { task: "adding", T, B, I: 2, O: 1, x, target, targetKind: "regression-last" };
  },
  score: scoreAdding,
  // Constant 0.5: MSE = E[(X1 + X2)^2] / 16 = (2 - p0) / 48, where p0 is the chance that
  // step 0 is marked (its value is then 0); about 1/24 ≈ 0.042 less a little (0.039 at T = 100).
  baseline: (length) => {
    const [n1, n2] = addingMarkerRanges(length);
    let p0 = 1 / n1; // p1 = 0, or p1 = k > 0 and then p2 = 0 among the n2 positions other than k
    for (let k = 1; k < n1; k++) p0 += 1 / n1 / (k < n2 ? n2 - 1 : n2);
    return { loss: (2 - p0) / 48, lossName: "mse", predictor: "0.5" };
  },
};
