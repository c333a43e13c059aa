// The adding problem exactly as Hochreiter & Schmidhuber (1997, "Long short-term memory",
// Experiment 4) define it, variable lengths included. `adding` (adding.ts) is the same task
// at one fixed length per batch; this one draws each sequence's length from [T, T + ⌊T/10⌋].
//   Each step is a pair (value, marker), values uniform in [−1, 1]. Exactly two pairs carry
//   marker 1: the first drawn among the first ten pairs (X1), the second among the first
//   T/2 − 1 pairs other than that one (X2); T is the minimal length, so the ranges do not
//   depend on a sequence's drawn length. The first and the last pair of each sequence carry
//   marker −1 unless marked, all others 0. "In the rare case where the first pair of the
//   sequence gets marked, we set X1 to zero": we zero the value of a marked first pair.
//   Target at the sequence's end: 0.5 + (X1 + X2) / 4. Correct: |output − target| < 0.04.
// The batch is padded to T + ⌊T/10⌋ steps after each sequence's end; mask (T, B) marks the
// real steps, and the model is read at each sequence's own last real step (as-batch.ts).
import type { Task, TaskBatch, GenerateOptions } from "./types.ts";
import { checkGenerate, checkPredictions } from "./types.ts";
import { adding, addingMarkerRanges, markAdding } from "./adding.ts";
import { zeros } from "../../tensor/types.ts";

/** The longest sequence (the padded batch length) for minimal length T. */
export const adding1997Steps = (T: number): number => T + Math.floor(T / 10);

export const adding1997: Task = {
  name: "adding-1997",
  source: "Hochreiter & Schmidhuber (1997), Long short-term memory, Neural Computation 9(8), Experiment 4 (lengths T to T + T/10)",
  inputSize: 2, outputSize: 1, targetKind: "regression-last", minLength: 4,
  steps: adding1997Steps,
  generate(opts: GenerateOptions): TaskBatch {
    const { T: minT, B, dtype } = checkGenerate(this, opts);
    const rng = opts.rng, T = adding1997Steps(minT);
    const x = zeros(T * B * 2, dtype), target = zeros(B, dtype), mask = zeros(T * B, dtype);
    const [n1, n2] = addingMarkerRanges(minT);
    for (let b = 0; b < B; b++) {
      const len = minT + rng.int(T - minT + 1);
      for (let t = 0; t < len; t++) {
        x[(t * B + b) * 2] = rng.range(-1, 1);
        mask[t * B + b] = 1;
      }
      target[b] = markAdding(x, B, b, len, n1, n2, rng);
    }
    return { task: "adding-1997", T, B, I: 2, O: 1, x, target, targetKind: "regression-last", mask };
  },
  score(pred, batch) {
    checkPredictions(pred, batch);
    let correct = 0;
    for (let b = 0; b < batch.B; b++) if (Math.abs(pred[b] - batch.target[b]) < 0.04) correct++;
    return { correct, total: batch.B, accuracy: correct / batch.B };
  },
  // The marker ranges depend on the minimal T only, so the constant-0.5 baseline is adding's.
  baseline: (length) => adding.baseline(length),
};
