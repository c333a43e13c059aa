// What the training loop needs from a task, whatever the data: the model's input and output
// sizes, the loss, the batches of an epoch (drawn from the run's Rng so a resumed run replays
// them), a validation pass, and what to save with the model (vocabulary, scaler, labels).
// Implemented once per task kind in ./lm.ts, ./forecast.ts, ./classify.ts, ./synthetic.ts.
import type { Rng } from "../../rand.ts";
import type { Network } from "../../model/network.ts";
import type { OutputActivation } from "../../model/config.ts";
import type { LossKind } from "../../train/loss.ts";
import type { Batch } from "../../train/trainer.ts";
import type { BatchEvaluator } from "../../train/batch-loss.ts";
import type { Evaluation, TrainData } from "../../train/fit.ts";

export type { Evaluation } from "../../train/fit.ts";

/** A TrainData (what fit() trains on) with what the command line adds around it; R is what the
 *  task saves in config.json's "task" (./record.ts: every task's, told apart by `kind`). */
export interface TrainProblem<R extends Record<string, unknown> = Record<string, unknown>> extends TrainData {
  task: string;
  /** One line about the data, printed before training. */
  describe: string;
  model: { input: number; output: number; outputActivation: OutputActivation; embedding?: number };
  loss: LossKind;
  manyToOne: boolean;
  /** What one unit of throughput is ("tok", "win", "seq"). */
  unit: string;
  batchesPerEpoch: number;
  /** Draws the epoch's order from rng; called at the start of each epoch, before batch(i). */
  startEpoch(rng: Rng): void;
  /** Batch i of the current epoch. */
  batch(i: number): Batch;
  /** Units of work (tokens, windows, sequences) in a batch. */
  units(b: Batch): number;
  /** The state carries from batch to batch within an epoch (language-model streams). */
  carry: boolean;
  /** The validation loss and figures of the model as it is now, the loss scored by `scorer`
   *  (training's Trainer, or evaluator(model, spec) when nothing trains). */
  validate(model: Network, scorer: BatchEvaluator, onProgress?: (done: number, of: number) => void): Evaluation;
  /** What config.json's "task" holds, so eval, generate and forecast can rebuild the task. */
  record: R;
}
