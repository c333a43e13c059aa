// Where a `recurrent train` run starts from: a new model, optimiser and training state, or the
// checkpoint of a run to continue, checked that it may go on. Everything here can fail on bad
// input, and none of it writes to the run's directory (the loop takes the lock after it).
// Not here: the training itself (./loop.ts and src/train/fit.ts), saving (./checkpoint.ts).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { RecurrentError } from "../../errors.ts";
import type { Rng } from "../../rand.ts";
import { Sequence } from "../../train/sequence.ts";
import { initialize } from "../../model/initialize.ts";
import { cellSpec } from "../../cells/registry.ts";
import { reads } from "../../cells/spec.ts";
import { loadModel } from "../../node/model-dir.ts";
import { makeOptimizer, optimizerFromState, type Optimizer } from "../../train/optim/index.ts";
import { initialFitState } from "../../train/fit.ts";
import { resumeOptions, type TrainOptions } from "../options/train-options.ts";
import type { TrainProblem } from "../tasks/problem.ts";
import type { TaskRecord } from "../tasks/record.ts";
import { isTrainingState, type TrainingState } from "./checkpoint.ts";

export interface RunStart {
  model: Sequence;
  optimizer: Optimizer;
  /** The run's state: fresh, or the checkpoint's with this invocation's options. */
  st: TrainingState;
  /** Options this resume changed, as "--lr 0.003 → 0.001" (none for a new run). */
  changes: string[];
}

/** The options that shape the network (the task gives its input and output sizes). */
export type ModelOptions = Pick<TrainOptions, "cell" | "hidden" | "layers" | "state" | "dropout" | "bidirectional">;

/** A new run in `dir` (which must not hold a model): the network, initialised from `rng`. */
export function newRun(o: TrainOptions, dir: string, shape: TrainProblem["model"], rng: Rng): RunStart {
  if (existsSync(join(dir, "config.json"))) throw new RecurrentError(`--out ${dir}: expected a new directory, got one that holds a model (continue it with --resume ${dir}, or pick another --out)`);
  const model = buildModel(o, shape);
  initialize(model, rng, o.init);
  return { model, optimizer: makeOptimizer(o.optimizer, { lr: o.lr }), st: { options: o, ...initialFitState(rng) }, changes: [] };
}

/** The network the options describe, sized for the task. */
export function buildModel(o: ModelOptions, shape: TrainProblem["model"]): Sequence {
  return new Sequence({
    cell: o.cell, input: shape.input, hidden: o.hidden, layers: o.layers, output: shape.output,
    outputActivation: shape.outputActivation, ...(reads(cellSpec(o.cell), "state") && o.state ? { state: o.state } : {}),
    ...(shape.embedding ? { embedding: shape.embedding } : {}),
    ...(o.dropout ? { dropout: o.dropout } : {}), ...(o.bidirectional ? { bidirectional: true } : {}),
  });
}

/**
 * The checkpoint in `dir`, to go on with options `o`: the same task and data (`record`), a
 * training checkpoint, only resumable options changed (./options.ts), and something left to do.
 */
export function resumeRun(o: TrainOptions, dir: string, record: TaskRecord): RunStart {
  const saved = loadModel(dir);
  if (JSON.stringify(saved.task) !== JSON.stringify(record)) {
    throw new RecurrentError(`--resume ${dir}: expected the same data and task as the saved run, got different ones (vocabulary, columns, split or files changed)`);
  }
  if (!saved.optimizer) throw new RecurrentError(`--resume ${dir}: expected optimizer.safetensors (a training checkpoint), got none`);
  if (!isTrainingState(saved.training)) throw new RecurrentError(`--resume ${dir}: expected a training checkpoint in config.json, got a model without one`);
  const st = saved.training;
  // Options that may change on a resume (RESUMABLE_OPTIONS; the rest are refused here): log
  // them, keep them in the checkpoint, and give the optimiser its new learning rate.
  const changes = resumeOptions(st.options, o).changes;
  if (changes.length) st.resumes = [...(st.resumes ?? []), { step: st.step, changes }];
  const optimizer = withLearningRate(saved.optimizer, o.lr);
  st.options = o;
  checkWorkLeft(st, o, dir);
  return { model: saved.model, optimizer, st, changes };
}

/** The optimiser with its state and learning rate `lr` (itself when that is its rate already). */
function withLearningRate(optimizer: Optimizer, lr: number): Optimizer {
  if (optimizer.options.lr === lr) return optimizer;
  const s = optimizer.state();
  return optimizerFromState({ ...s, options: { ...s.options, lr } });
}

/** A resumed run must have time, patience and epochs left. */
function checkWorkLeft(st: TrainingState, o: Pick<TrainOptions, "timeLimit" | "patience" | "epochs">, dir: string): void {
  if (o.timeLimit > 0 && st.seconds >= o.timeLimit) throw new RecurrentError(`--time-limit: expected more than the ${st.seconds.toFixed(1)} s this run has trained (the limit counts every session), got ${o.timeLimit}`);
  if (o.patience > 0 && st.sinceBest >= o.patience) throw new RecurrentError(`--resume ${dir}: the run stopped early (${st.sinceBest} evaluations without improvement); raise --patience to go on`);
  if (o.epochs > 0 && st.epoch >= o.epochs && st.batch === 0) throw new RecurrentError(`--epochs: expected more than the ${st.epoch} epochs this run has done, got ${o.epochs}`);
}
