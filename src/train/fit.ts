// fit(): the one training loop of the toolkit, used by the library (`model.fit`), the command
// line (`recurrent train`, through callbacks that write checkpoints, metrics and progress) and
// the browser playground. Epochs and/or a time limit; validation every epoch, every
// `evalEvery` updates, and often enough for a short run to draw a curve (`minEvaluations`);
// early stopping; callbacks; an AbortSignal; and a state that resumes to the same bits.
//
// Why a resume is exact: everything random comes from one Rng whose state is in FitState; an
// epoch's order is drawn from it at the epoch's start, and that start state is kept until the
// epoch ends, so a run resumed anywhere in an epoch (its first batch included) redraws the
// same order and skips the batches already done. The optimiser's buffers and step count, and
// a stream's carried state, are saved beside FitState by whoever checkpoints (checkpoint
// callbacks get all of it at consistent points: `onCheckpoint`). Validation only reads the
// model, so where a run stops cannot change its bits. Dropout masks are drawn from the same
// Rng, batch after batch (the Trainer's `rng`): FitState.rng is its state when the checkpoint
// was taken, so a run resumed mid-epoch redraws the epoch's order from `rngEpoch` and then
// continues the stream from `rng`, drawing the masks an uninterrupted run would have drawn.
// (Without dropout nothing draws between an epoch's start and its end: the two are equal.)
//
// Pure: no Node import (the browser playground runs it in a worker). Not here: files,
// progress bars, signals (the CLI's callbacks in src/cli/session/), the data (src/data/datasets.ts).
import { check, checkInt, DivergenceError, RecurrentError } from "../errors.ts";
import { Rng } from "../rand.ts";
import type { Network } from "../model/network.ts";
import type { Vec } from "../tensor/types.ts";
import { Trainer, type LossReduction, type StepResult } from "./trainer.ts";
import type { Batch, TrainData } from "../data/batch.ts";
import { lossForActivation, type LossKind } from "./loss.ts";
import type { BatchEvaluator } from "./batch-loss.ts";
import { makeOptimizer, type Optimizer } from "./optim/index.ts";
import { checkSchedule, lrAt, type Schedule } from "./schedule.ts";

export type { TrainData };


export interface Evaluation {
  /** Mean loss (nats per token for language models, MSE for forecasts, CE for classes). */
  loss: number;
  /** Task figures: perplexity, accuracy, MAE... (numbers only). */
  metrics: Record<string, number>;
}

/** Validation: data scored by its mean loss, or a function that measures the model itself. */
export type Validation = TrainData | ((model: Network, trainer: Trainer) => Evaluation);

/** One evaluation of a run (the lines of the CLI's metrics.jsonl). */
export interface EvaluationRecord {
  /** Optimiser updates made when the evaluation ran. */
  step: number;
  /** Epochs done, fractional mid-epoch. */
  epoch: number;
  /** Seconds of training so far (validation not counted), over every session of the run. */
  seconds: number;
  /** Mean training loss since the previous evaluation. */
  train_loss?: number;
  val_loss: number;
  /** An evaluation added where a time limit stopped the run, outside the schedule. */
  final?: boolean;
  /** An evaluation added by the clock (minEvaluations with a time limit), outside the schedule. */
  timed?: boolean;
  /** The validation's task figures, and whatever callbacks add (e.g. "gradients"). */
  [key: string]: number | string | boolean | null | undefined | object;
}

/** Everything of a run in progress that is not weights, optimiser or carried state: plain JSON. */
export interface FitState {
  /** Completed epochs. */
  epoch: number;
  /** Next batch of the current epoch (0: at its start). */
  batch: number;
  /** Optimiser updates made. */
  step: number;
  /** Seconds of training, summed over sessions. */
  seconds: number;
  /** Units (tokens, windows, sequences) trained on, summed over sessions. */
  units: number;
  /** The run's Rng now, and at the start of the current epoch once its order is drawn (else null). */
  rng: Array<number | null>;
  rngEpoch: Array<number | null> | null;
  /** Best validation loss of any evaluation. */
  best: { loss: number; step: number; epoch: number; metrics: Record<string, number> } | null;
  /** Early stopping, over scheduled evaluations only (not the ones a time limit adds). */
  patienceBest: number | null;
  sinceBest: number;
  /** Training-loss sums since the last evaluation, for the next record. */
  lossSum: number;
  lossUnits: number;
  /** Why the run stopped last, or null while running. */
  stopped: StopReason | null;
  /** The first update's training loss: the yardstick of `divergence` (absent in older checkpoints). */
  initialLoss?: number | null;
}

export type StopReason = "epochs" | "early-stopping" | "time-limit" | "aborted" | "callback";

export interface FitContext {
  readonly model: Network;
  readonly trainer: Trainer;
  readonly optimizer: Optimizer;
  /** The run's state (live: read it, do not change it). */
  readonly state: FitState;
  /** The state carried into the next batch (streams), or null. */
  readonly carried: Vec[][] | null;
  readonly batchesPerEpoch: number;
  readonly history: History;
  /** Stops the run after the current batch (reported as `reason`, default "callback"). */
  stop(reason?: StopReason): void;
  /** Sets the learning rate from the next update on (a schedule callback's hook). */
  setLearningRate(lr: number): void;
}

/** Hooks into the loop; each may be async (awaited). Called in the order given. */
export interface Callback {
  onTrainBegin?(ctx: FitContext): void | Promise<void>;
  onEpochBegin?(ctx: FitContext, epoch: number): void | Promise<void>;
  /** After each update; `result` is the trainer's (loss, gradient norm, clipped). */
  onBatchEnd?(ctx: FitContext, result: StepResult): void | Promise<void>;
  /** After each evaluation, before it is stored in the history: a callback may add fields. */
  onEvaluation?(ctx: FitContext, record: EvaluationRecord): void | Promise<void>;
  /** After an evaluation that set a new best validation loss (the model holds those weights). */
  onBest?(ctx: FitContext, record: EvaluationRecord): void | Promise<void>;
  onEpochEnd?(ctx: FitContext, epoch: number): void | Promise<void>;
  /** A consistent point to save the run: the start of a new run, each epoch's end, the stop. */
  onCheckpoint?(ctx: FitContext): void | Promise<void>;
  onTrainEnd?(ctx: FitContext, history: History): void | Promise<void>;
}

export interface History {
  /** Every evaluation of this session (and, on a resume, those passed in `history`). */
  evaluations: EvaluationRecord[];
  /** One entry per epoch completed in this session: its mean training loss and validation. */
  epochs: Array<{ epoch: number; step: number; seconds: number; train_loss: number; val_loss?: number }>;
  stopped: StopReason | null;
  steps: number;
  seconds: number;
  best: FitState["best"];
  /** Units per second of training in this session. */
  unitsPerSecond: number;
}

export interface FitOptions {
  /** Epochs to train (counting earlier sessions of a resumed run); default 1 without a time limit. */
  epochs?: number;
  /** Seconds of training (validation not counted), over every session; 0 = none. */
  timeLimit?: number;
  /** An optimiser, or a name (default "adam") built with `lr`. */
  optimizer?: Optimizer | string;
  /** Learning rate of a named optimiser (default: the optimiser's own, PyTorch's). */
  lr?: number;
  /** A learning-rate schedule over updates (./schedule.ts), e.g. {kind: "cosine", lr: 3e-3, tMax: 1000}. */
  lrSchedule?: Schedule;
  /** Global-norm gradient clipping (0 = off); clip each element to ±clipValue. */
  clipNorm?: number;
  clipValue?: number;
  /** Truncated BPTT within each batch: an update every k1 steps, back k2 steps. */
  tbptt?: { k1: number; k2: number };
  /** The gradient of the mean loss (default), or of the per-step means summed over time
   *  ("sum-over-time", Zaremba et al.'s language models); see TrainerOptions.lossReduction. */
  lossReduction?: LossReduction;
  /** The loss (default from the model's output: softmax → "ce", sigmoid → "bce", linear → "mse"). */
  loss?: LossKind;
  /** Validation after every epoch (and every evalEvery updates); none: no evaluations. */
  validationData?: Validation;
  /** Also validate every N updates (0 = per epoch only). */
  evalEvery?: number;
  /** Validate often enough for at least this many evaluations over the run (default 0): with
   *  epochs, every ⌊epochs·batches/N⌋ updates (counted by `patience`); with a time limit, also
   *  each time another 1/N of it has passed (not counted by `patience`, so that where a timed
   *  evaluation falls can never change when a run stops early). */
  minEvaluations?: number;
  /** Stop after this many scheduled evaluations without a better validation loss (0 = never). */
  patience?: number;
  /** Stop with a DivergenceError when a validation loss exceeds this many times the first
   *  update's training loss (or 1, whichever is larger), before it can be kept as the best or
   *  checkpointed (default 100; 0: never). A non-finite validation loss always stops the run. */
  divergence?: number;
  callbacks?: Callback[];
  /** Stops the run at the next batch (a checkpoint is still offered to the callbacks). */
  signal?: AbortSignal;
  /** Seed of the run's Rng (epoch orders); default 1. Ignored when resuming. */
  seed?: number;
  /** The run's Rng itself (e.g. the one that drew the initial weights), instead of `seed`. */
  rng?: Rng;
  /** Continue a run: its state (and, mid-epoch with carry, the carried state). */
  resume?: { state: FitState; carried?: Vec[][] | null };
  /** The time source, seconds (default performance.now). */
  clock?: () => number;
}

/** A fresh run's state. */
export function initialFitState(rng: Rng): FitState {
  return { epoch: 0, batch: 0, step: 0, seconds: 0, units: 0, rng: rng.state(), rngEpoch: null, best: null, patienceBest: null, sinceBest: 0, lossSum: 0, lossUnits: 0, stopped: null };
}

/** The loss a model's output activation implies. */
export function defaultLoss(model: Network): LossKind {
  return lossForActivation(model.config.outputActivation);
}

/** Mean loss over every batch of `data` (in order, carrying state when it says so);
 *  `onBatch` sees each batch after its loss (for figures of one's own, e.g. accuracy). */
export function evaluateData(trainer: BatchEvaluator, data: TrainData, onBatch?: (b: Batch) => void): Evaluation {
  let state: Vec[][] | null = null, total = 0, count = 0;
  for (let i = 0; i < data.batchesPerEpoch; i++) {
    const b = data.batch(i);
    const r = trainer.evaluate(b, data.carry ? state : null);
    onBatch?.(b);
    const u = unitsOf(data, b);
    total += r.loss * u; count += u;
    state = r.state;
  }
  return { loss: total / Math.max(count, 1), metrics: {} };
}

/** Trains `model` on `data`; resolves with the run's history. See FitOptions. */
export async function fit(model: Network, data: TrainData, options: FitOptions = {}): Promise<History> {
  checkData(data, "fit: data");
  const o = checkFitOptions(options);
  const optimizer = typeof o.optimizer === "object" ? o.optimizer : makeOptimizer(o.optimizer ?? "adam", o.lr !== undefined ? { lr: o.lr } : {});
  let lrOverride: number | null = null;
  const schedule = o.lrSchedule;
  if (data.carry && model.config.bidirectional) throw new RecurrentError("fit: a bidirectional model reads each sequence whole; expected data of whole sequences, got a stream that carries the state from batch to batch");
  const rng = o.rng ?? new Rng(o.seed ?? 1);
  const trainer = new Trainer(model, {
    loss: o.loss ?? defaultLoss(model), manyToOne: Boolean(data.manyToOne), optimizer,
    clipNorm: o.clipNorm || undefined, clipValue: o.clipValue || undefined, tbptt: o.tbptt ?? null,
    lossReduction: o.lossReduction,
    lr: (u) => lrOverride ?? (schedule ? lrAt(schedule, u) : undefined),   // undefined: the optimiser's own
    rng,   // dropout masks come from the run's Rng
  });
  const st: FitState = o.resume ? structuredClone(o.resume.state) : initialFitState(rng);
  const resumed = Boolean(o.resume);
  rng.setState(st.rng as number[]);
  trainer.updates = st.step;
  const n = data.batchesPerEpoch;
  const epochs = o.epochs ?? (o.timeLimit ? 0 : 1);
  // Enough evaluations for a curve: a run of E epochs of n batches evaluates at least every
  // ⌊E·n / minEvaluations⌋ updates.
  const evalEvery = o.evalEvery || (o.minEvaluations && epochs ? Math.max(1, Math.floor(epochs * n / o.minEvaluations)) : 0);
  const callbacks = [...(o.patience ? [earlyStopping(o.patience)] : []), ...(o.callbacks ?? [])];
  const clock = o.clock ?? (() => performance.now() / 1000);

  let carried: Vec[][] | null = null;
  if (st.rngEpoch) {
    // The current epoch's order was drawn before the stop: draw it again from the same state,
    // then continue the stream where the state was taken (after this epoch's dropout masks).
    rng.setState(st.rngEpoch as number[]);
    data.startEpoch?.(rng);
    rng.setState(st.rng as number[]);
    if (data.carry && st.batch > 0) {
      if (!o.resume?.carried) throw new RecurrentError(`fit: resume: expected the carried state of step ${st.step} (a stream stopped mid-epoch), got none`);
      carried = o.resume.carried;
    }
  }

  const history: History = { evaluations: [], epochs: [], stopped: null, steps: st.step, seconds: st.seconds, best: st.best, unitsPerSecond: 0 };
  let stopRequest: StopReason | null = null;
  const ctx: FitContext = {
    model, trainer, optimizer, state: st, history, batchesPerEpoch: n,
    get carried() { return carried; },
    stop: (reason = "callback") => { stopRequest ??= reason; },
    setLearningRate: (lr) => { check(Number.isFinite(lr) && lr >= 0, "setLearningRate", "a finite number >= 0", lr); lrOverride = lr; },
  };
  const call = async <K extends keyof Callback>(name: K, ...args: unknown[]) => {
    const c0 = name === "onCheckpoint" ? clock() : 0;
    for (const cb of callbacks) {
      const f = cb[name] as ((...a: unknown[]) => void | Promise<void>) | undefined;
      if (f) await f.call(cb, ctx, ...args);
    }
    if (name === "onCheckpoint") evalSeconds += clock() - c0;   // saving is not training either
  };

  // Seconds of training: validation passes and checkpoints are not counted, so a time limit
  // buys the same training whatever the evaluation and checkpoint schedule.
  const t0 = clock(), seconds0 = st.seconds;
  let evalSeconds = 0, sessionUnits = 0, lastEvalStep = -1;
  const elapsed = () => seconds0 + (clock() - t0 - evalSeconds);

  // Timed evaluations (minEvaluations with a time limit): when training time passes k·limit/N.
  const timedEvery = o.timeLimit && o.minEvaluations ? o.timeLimit / o.minEvaluations : 0;
  let nextTimed = timedEvery ? (Math.floor(st.seconds / timedEvery) + 1) * timedEvery : Infinity;

  /** scheduled: counted by patience; final: added where a time limit stopped the run. */
  const evaluate = async (scheduled: boolean, final = !scheduled) => {
    if (!o.validationData) return;
    const e0 = clock();
    const ev = typeof o.validationData === "function" ? o.validationData(model, trainer) : evaluateData(trainer, o.validationData);
    checkNotDiverged(ev.loss, st, o.divergence ?? 100);
    const record: EvaluationRecord = {
      step: st.step, epoch: st.epoch + st.batch / n, seconds: 0,
      ...(st.lossUnits > 0 ? { train_loss: st.lossSum / st.lossUnits } : {}), val_loss: ev.loss, ...ev.metrics,
    };
    if (final) record.final = true;
    else if (!scheduled) record.timed = true;
    lastEvalStep = st.step;
    st.lossSum = 0; st.lossUnits = 0;
    if (scheduled) {
      if (st.patienceBest === null || ev.loss < st.patienceBest) { st.patienceBest = ev.loss; st.sinceBest = 0; } else st.sinceBest++;
    }
    const isBest = !st.best || ev.loss < st.best.loss;
    if (isBest) st.best = { loss: ev.loss, step: st.step, epoch: record.epoch, metrics: ev.metrics };
    st.seconds = elapsed() - (clock() - e0);
    record.seconds = Number(st.seconds.toFixed(3));
    await call("onEvaluation", record);
    history.evaluations.push(record);
    if (isBest) await call("onBest", record);
    evalSeconds += clock() - e0;
  };

  const yieldToHost = hostYield();
  let stop: StopReason | null = null;
  await call("onTrainBegin");
  if (!resumed) { st.rng = rng.state(); await call("onCheckpoint"); }
  outer: for (;;) {
    if (st.batch === 0 && st.rngEpoch === null) {
      if (epochs > 0 && st.epoch >= epochs) { stop = "epochs"; break; }
      st.rngEpoch = rng.state();
      data.startEpoch?.(rng);
      carried = null;
      await call("onEpochBegin", st.epoch);
    }
    let epochLoss = 0, epochUnits = 0;
    while (st.batch < n) {
      await yieldToHost();            // lets signal handlers, a UI or a worker's messages run
      if (o.signal?.aborted) { stop = "aborted"; break outer; }
      if (stopRequest) { stop = stopRequest; break outer; }
      if (o.timeLimit && elapsed() >= o.timeLimit) { stop = "time-limit"; break outer; }
      const b = data.batch(st.batch);
      const r = trainer.trainStep(b, data.carry ? carried : null);
      if (data.carry) carried = r.state;
      st.initialLoss ??= r.loss;
      const u = unitsOf(data, b);
      st.lossSum += r.loss * u; st.lossUnits += u; st.units += u; sessionUnits += u;
      epochLoss += r.loss * u; epochUnits += u;
      st.step = trainer.updates; st.batch++;
      await call("onBatchEnd", r);
      if (evalEvery > 0 && st.step % evalEvery === 0 && st.batch < n) {
        await evaluate(true);
        if (stopRequest) { stop = stopRequest; break outer; }
      } else if (elapsed() >= nextTimed && st.batch < n) {
        await evaluate(false, false);
      }
      if (elapsed() >= nextTimed) nextTimed = (Math.floor(elapsed() / timedEvery) + 1) * timedEvery;
    }
    st.epoch++; st.batch = 0; st.rngEpoch = null; carried = null;
    await evaluate(true);
    st.seconds = elapsed();
    st.rng = rng.state();
    history.epochs.push({ epoch: st.epoch, step: st.step, seconds: Number(st.seconds.toFixed(3)), train_loss: epochLoss / Math.max(epochUnits, 1),
      ...(o.validationData ? { val_loss: history.evaluations[history.evaluations.length - 1].val_loss } : {}) });
    await call("onEpochEnd", st.epoch);
    await call("onCheckpoint");
    if (stopRequest) { stop = stopRequest; break; }
  }
  // A time limit ends a run anywhere: evaluate where it stopped (outside the schedule).
  if (stop === "time-limit" && lastEvalStep !== st.step) await evaluate(false);
  st.stopped = stop;
  st.seconds = elapsed();
  st.rng = rng.state();
  await call("onCheckpoint");
  Object.assign(history, { stopped: stop, steps: st.step, seconds: st.seconds, best: st.best, unitsPerSecond: sessionUnits / Math.max(st.seconds - seconds0, 1e-9) });
  await call("onTrainEnd", history);
  return history;
}

/** A validation loss that is not finite, or far above where training started, stops the run. */
function checkNotDiverged(loss: number, st: FitState, factor: number): void {
  if (!Number.isFinite(loss)) throw new DivergenceError(`validation: loss is ${loss} at step ${st.step}; stopped (lower --lr or set --clip)`);
  const base = Math.max(st.initialLoss ?? 0, 1);
  if (factor > 0 && st.initialLoss != null && loss > factor * base) {
    throw new DivergenceError(`validation: loss ${loss.toPrecision(4)} at step ${st.step} is more than ${factor} × ${base.toPrecision(4)} (the first update's loss, at least 1): the run diverged; stopped (lower --lr or set --clip)`);
  }
}

/** Stops the run after `patience` scheduled evaluations without a better validation loss. */
export function earlyStopping(patience: number): Callback {
  checkInt(patience, "earlyStopping: patience");
  return { onEvaluation: (ctx, record) => { if (!record.final && !record.timed && ctx.state.sinceBest >= patience) ctx.stop("early-stopping"); } };
}

/** Sets the learning rate at each epoch's start from `schedule(epoch)` (Keras's LearningRateScheduler). */
export function learningRateScheduler(schedule: (epoch: number) => number): Callback {
  return {
    onTrainBegin: (ctx) => ctx.setLearningRate(schedule(ctx.state.epoch)),
    onEpochBegin: (ctx, epoch) => ctx.setLearningRate(schedule(epoch)),
  };
}

function unitsOf(data: TrainData, b: Batch): number {
  return data.units ? data.units(b) : data.manyToOne ? b.B : b.T * b.B;
}

function checkData(data: TrainData, where: string): void {
  check(typeof data === "object" && data !== null && typeof data.batch === "function", where, "a TrainData {batchesPerEpoch, batch(i), ...} (see src/data/datasets.ts)", data);
  checkInt(data.batchesPerEpoch, `${where}.batchesPerEpoch`);
}

function checkFitOptions(o: FitOptions): FitOptions {
  check(typeof o === "object" && o !== null, "fit: options", "an object", o);
  if (o.epochs !== undefined) checkInt(o.epochs, "fit: epochs", 0);
  if (o.timeLimit !== undefined) check(Number.isFinite(o.timeLimit) && o.timeLimit >= 0, "fit: timeLimit", "seconds >= 0", o.timeLimit);
  check((o.epochs ?? 1) > 0 || (o.timeLimit ?? 0) > 0, "fit: epochs", "a number of epochs > 0, or a timeLimit", o.epochs);
  for (const k of ["evalEvery", "minEvaluations", "patience"] as const) if (o[k] !== undefined) checkInt(o[k], `fit: ${k}`, 0);
  if (o.divergence !== undefined) check(Number.isFinite(o.divergence) && o.divergence >= 0, "fit: divergence", "a factor >= 0 (0: off)", o.divergence);
  for (const k of ["lr", "clipNorm", "clipValue"] as const) if (o[k] !== undefined) check(Number.isFinite(o[k]) && o[k]! >= 0, `fit: ${k}`, "a finite number >= 0", o[k]);
  if (o.lrSchedule !== undefined) checkSchedule(o.lrSchedule, "fit: lrSchedule");
  if ((o.patience ?? 0) > 0) check(o.validationData !== undefined, "fit: patience", "validationData to judge improvement by", "none");
  if (o.callbacks !== undefined) check(Array.isArray(o.callbacks), "fit: callbacks", "an array of callback objects", o.callbacks);
  return o;
}

/** A function that returns to the host's event loop for a moment: setImmediate where there is
 *  one (Node), else a MessageChannel message (browsers, workers), else a zero timeout. */
function hostYield(): () => Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void; MessageChannel?: typeof MessageChannel };
  if (g.setImmediate) return () => new Promise((r) => g.setImmediate!(r));
  if (g.MessageChannel) {
    const ch = new g.MessageChannel();
    const waiting: Array<() => void> = [];
    ch.port1.onmessage = () => waiting.shift()?.();
    return () => new Promise((r) => { waiting.push(r); ch.port2.postMessage(0); });
  }
  return () => new Promise((r) => setTimeout(r, 0));
}
