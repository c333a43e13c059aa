// The synthetic long-range tasks (xor, adding, copy, temporal-order, reber...; src/data/tasks)
// as a training task: each epoch is --steps-per-epoch fresh batches of --seq steps drawn from
// the run's Rng (one seed per batch, drawn at the epoch's start, so a resumed run regenerates
// the same batches), validated on one fixed batch of 512 sequences by the task's own criterion.
import type { Network } from "../../model/network.ts";
import { getTask, type Task, type TaskBatch } from "../../data/tasks/index.ts";
import { asTrainerBatch, predictionsFrom, trainingFor } from "../../data/tasks/as-batch.ts";
import { Rng } from "../../rand.ts";
import type { BatchEvaluator } from "../../train/batch-loss.ts";
import { sequenceOutputs } from "../../train/readout.ts";
import type { Evaluation, TrainProblem } from "./problem.ts";
import type { TrainOptions } from "../options/train-options.ts";

export type SyntheticRecord = { kind: "synthetic"; name: string; length: number };

/** The sequence length a task trains on by default. */
export function defaultLength(task: Task): number { return Math.max(task.minLength, 30); }

export function taskEvaluation(model: Network, scorer: BatchEvaluator, task: Task, batch: TaskBatch): Evaluation {
  const tb = asTrainerBatch(batch);
  const loss = scorer.evaluate(tb).loss;
  // A bidirectional model answers a last-step task from both directions' summary (as it trains).
  const summary = model.config.bidirectional && trainingFor(task.targetKind).manyToOne;
  const pred = summary ? Float64Array.from(sequenceOutputs(model, tb.x, tb.T, tb.B, { mask: tb.mask })) : predictionsFrom(batch, model.forward(tb.x, tb.T, tb.B, { mask: tb.mask }).out);
  const s = task.score(pred, batch);
  return { loss, metrics: { accuracy: s.accuracy, ...(s.stepAccuracy !== undefined ? { step_accuracy: s.stepAccuracy } : {}), baseline_loss: task.baseline(batch.T).loss } };
}

export function syntheticProblem(o: TrainOptions): TrainProblem<SyntheticRecord> {
  const task = getTask(o.task);
  const length = o.seq > 0 ? o.seq : defaultLength(task);
  const how = trainingFor(task.targetKind);
  const val = task.generate({ length, batch: 512, rng: new Rng(o.seed + 7919) });
  let seeds: number[] = [];
  const record: SyntheticRecord = { kind: "synthetic", name: task.name, length };
  return {
    task: task.name,
    describe: `task ${task.name} (${task.source}): length ${length}, ${o.stepsPerEpoch} batches of ${o.batch} per epoch; trivial-predictor loss ${task.baseline(length).loss.toFixed(4)}`,
    model: { input: task.inputSize, output: task.outputSize, outputActivation: how.outputActivation },
    loss: how.loss, manyToOne: how.manyToOne, unit: "seq", carry: false,
    batchesPerEpoch: o.stepsPerEpoch,
    startEpoch: (rng) => { seeds = Array.from({ length: o.stepsPerEpoch }, () => rng.int(2 ** 31)); },
    batch: (i) => asTrainerBatch(task.generate({ length, batch: o.batch, rng: new Rng(seeds[i]) })),
    units: (b) => b.B,
    validate: (model, scorer) => taskEvaluation(model, scorer, task, val),
    record,
  };
}
