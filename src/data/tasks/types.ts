// The common shape of the synthetic long-range tasks: a seeded generator of time-major
// batches, the loss kind a trainer should use, and the task's own "correct" criterion as
// its source paper defines it. Numeric core: no Node imports.
//
// Shapes (letters as in src/tensor/types.ts): x (T, B, I); targets and predictions by kind:
//   regression-last    target (B, O) reals;        predictions (B, O) outputs at the last step
//   class-last         target (B) class indices;   predictions (B, O) scores at the last step
//   class-every-step   target (T, B) class indices; predictions (T, B, O) scores
//   binary-every-step  target (T, B, O) 0/1;       predictions (T, B, O) sigmoid outputs
// mask (T, B): 1 where step t of sequence b is real, 0 for padding; every-step kinds score
// the real steps, *-last kinds (variable-length tasks) read each sequence's last real step.
// "scores" may be logits or probabilities: every criterion here uses only their order.
import type { DType, Vec } from "../../tensor/types.ts";
import type { Rng } from "../../rand.ts";
import { checkInt, fail } from "../../errors.ts";

export type TargetKind = "regression-last" | "class-last" | "class-every-step" | "binary-every-step";

export interface TaskBatch {
  task: string;
  T: number; B: number; I: number; O: number;
  x: Vec;                 // (T, B, I)
  target: Vec;            // see the table above
  targetKind: TargetKind;
  mask?: Vec;             // (T, B)
}

export interface TaskScore {
  correct: number;        // sequences correct by the paper's criterion
  total: number;          // sequences scored (B)
  accuracy: number;       // correct / total
  stepAccuracy?: number;  // every-step tasks: the fraction of scored steps correct
}

/** What a trivial predictor reaches: the number a learned model must beat. */
export interface TaskBaseline {
  loss: number;           // in the task's loss (MSE or mean cross-entropy per scored step)
  lossName: "mse" | "cross-entropy" | "binary-cross-entropy";
  predictor: string;      // what the trivial predictor outputs
}

export interface GenerateOptions {
  length: number;         // the task's T (see each task for what it counts)
  batch: number;          // B
  rng: Rng;
  dtype?: DType;          // default float32
}

export interface Task {
  name: string;
  source: string;         // the paper the definition follows
  inputSize: number;      // I
  outputSize: number;     // O
  targetKind: TargetKind;
  minLength: number;      // smallest --length the task is defined for
  /** Total time steps of a batch generated with --length `length` (copy adds 20). */
  steps(length: number): number;
  generate(opts: GenerateOptions): TaskBatch;
  score(predictions: Vec, batch: TaskBatch): TaskScore;
  baseline(length: number): TaskBaseline;
}

/** Validates the common options; one clear line on bad input. */
export function checkGenerate(task: Task, opts: GenerateOptions): { T: number; B: number; dtype: DType } {
  const T = checkInt(opts.length, `task ${task.name}: --length`, task.minLength);
  const B = checkInt(opts.batch, `task ${task.name}: batch size`, 1);
  const dtype = opts.dtype ?? "float32";
  if (dtype !== "float32" && dtype !== "float64") fail(`task ${task.name}: dtype`, "float32|float64", dtype);
  return { T, B, dtype };
}

/** Checks that predictions have the length the batch's kind needs. */
export function checkPredictions(pred: Vec, batch: TaskBatch): void {
  const want = batch.targetKind === "regression-last" || batch.targetKind === "class-last"
    ? batch.B * batch.O : batch.T * batch.B * batch.O;
  if (pred.length !== want) {
    fail(`task ${batch.task}: predictions`, `${want} numbers (${batch.targetKind}, ${batch.targetKind.endsWith("last") ? "B·O" : "T·B·O"})`, pred.length);
  }
}

/** Index of the largest of n numbers starting at off (first on ties). */
export function argmax(v: ArrayLike<number>, off: number, n: number): number {
  let best = 0, bv = v[off];
  for (let k = 1; k < n; k++) if (v[off + k] > bv) { bv = v[off + k]; best = k; }
  return best;
}
