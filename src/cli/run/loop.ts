// `recurrent train`: the training loop of the library (src/train/fit.ts) with the command
// line's callbacks: an atomic checkpoint in the model directory at the start, after every epoch,
// at the time limit and on SIGINT/SIGTERM (with everything a resume needs to end with the same
// bits as an uninterrupted run: see fit.ts), metrics.jsonl, best.safetensors, a loss-curve plot,
// a progress display on stderr, and with --log-gradients gradient-flow figures in each metrics
// record and their plot (./gradient-log.ts). This file builds the model or loads the run,
// checks that a resume may go on, and reports; it has no loop of its own.
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DivergenceError, RecurrentError } from "../../errors.ts";
import { Rng } from "../../rand.ts";
import { Sequence } from "../../train/sequence.ts";
import { initialize } from "../../model/initialize.ts";
import { loadModel } from "../../node/model-dir.ts";
import { lockRunDir } from "../../node/run-lock.ts";
import { weightsToBytes } from "../../formats/model-bytes.ts";
import { makeOptimizer, optimizerFromState, type Optimizer } from "../../train/optim/index.ts";
import { fit, initialFitState, type Callback, type EvaluationRecord, type History } from "../../train/fit.ts";
import { MetricsLog, type MetricsRecord } from "./metrics-log.ts";
import { Progress } from "./progress.ts";
import { lossCurveSpec } from "../../plot/loss.ts";
import { trainingGradientsSpec, type TrainingGradientPoint } from "../../analysis/gradients/training-chart.ts";
import { cellSpec } from "../../cells/registry.ts";
import { reads } from "../../cells/spec.ts";
import { writeChart } from "../../plot/chart.ts";
import { resumeOptions, type TrainOptions } from "./options.ts";
import type { TrainProblem } from "./problem.ts";
import { loadCarry, readBest, saveCheckpoint, type TrainingState } from "./checkpoint.ts";
import { installBackend } from "./backend.ts";
import { backendArithmetic, backendLabel } from "../../tensor/backend.ts";
import { parseScheduleFlag } from "./schedule-flag.ts";
import { lmProblem } from "./lm.ts";
import { forecastProblem } from "./forecast.ts";
import { classifyProblem } from "./classify.ts";
import { syntheticProblem } from "./synthetic.ts";
import { probeBatch, TrainingGradients } from "./gradient-log.ts";

export interface RunSummary {
  task: string; out: string; model: string; params: number; backend: string;
  stopped: string; epochs: number; steps: number; seconds: number;
  /** Units per second in this session (tokens for language models; windows; sequences). */
  tokens_per_s: number; unit: string;
  train_loss: number; val_loss: number; last_val_loss: number; best_step: number;
  metrics: Record<string, number>;
}

export function buildProblem(o: TrainOptions): TrainProblem {
  switch (o.task) {
    case "charlm": case "wordlm": return lmProblem(o);
    case "forecast": return forecastProblem(o);
    case "classify": return classifyProblem(o);
    default: return syntheticProblem(o);
  }
}

export interface RunHooks {
  /** A line for the user (stderr). */
  log?: (line: string) => void;
  /** Force the progress display's mode (tests); default: bar on a terminal. */
  tty?: boolean;
  /** Tests: behave as if SIGTERM arrived just before the batch after update `interruptAt`
   *  (the CLI reads it from RECURRENT_INTERRUPT_AT_STEP), so a test can stop a run at an exact
   *  instant, an epoch's first batch included, where a real signal's timing is a race. */
  interruptAt?: number;
  /** Rollbacks made so far in this invocation (--on-nonfinite rollback). */
  rollbacks?: number;
}

/** --on-nonfinite rollback gives up after this many rollbacks in one invocation. */
const MAX_ROLLBACKS = 3;

export async function runTraining(o: TrainOptions, dir: string, resume: boolean, hooks: RunHooks = {}): Promise<RunSummary> {
  const log = hooks.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const installed = installBackend(o.threads, o.backend), backend = backendLabel(installed);
  // Everything that can fail on bad input happens before the first write to `dir`.
  const problem = buildProblem(o);
  let model: Sequence, optimizer: Optimizer, st: TrainingState, resumeChanges: string[] = [];
  const rng = new Rng(o.seed);
  if (resume) {
    const saved = loadModel(dir);
    if (JSON.stringify(saved.task) !== JSON.stringify(problem.record)) {
      throw new RecurrentError(`--resume ${dir}: expected the same data and task as the saved run, got different ones (vocabulary, columns, split or files changed)`);
    }
    model = saved.model;
    if (!saved.optimizer) throw new RecurrentError(`--resume ${dir}: expected optimizer.safetensors (a training checkpoint), got none`);
    optimizer = saved.optimizer;
    st = saved.training as unknown as TrainingState;
    if (typeof st.step !== "number" || !Array.isArray(st.rng)) throw new RecurrentError(`--resume ${dir}: expected a training checkpoint in config.json, got a model without one`);
    // Options that may change on a resume (RESUMABLE_OPTIONS; the rest were refused before):
    // log them, keep them in the checkpoint, and give the optimiser its new learning rate.
    resumeChanges = resumeOptions(st.options, o).changes;
    if (resumeChanges.length) st.resumes = [...(st.resumes ?? []), { step: st.step, changes: resumeChanges }];
    if (optimizer.options.lr !== o.lr) {
      const s = optimizer.state();
      optimizer = optimizerFromState({ ...s, options: { ...s.options, lr: o.lr } });
    }
    st.options = o;
    if (o.timeLimit > 0 && st.seconds >= o.timeLimit) throw new RecurrentError(`--time-limit: expected more than the ${st.seconds.toFixed(1)} s this run has trained (the limit counts every session), got ${o.timeLimit}`);
    if (o.patience > 0 && st.sinceBest >= o.patience) throw new RecurrentError(`--resume ${dir}: the run stopped early (${st.sinceBest} evaluations without improvement); raise --patience to go on`);
    if (o.epochs > 0 && st.epoch >= o.epochs && st.batch === 0) throw new RecurrentError(`--epochs: expected more than the ${st.epoch} epochs this run has done, got ${o.epochs}`);
  } else {
    if (existsSync(join(dir, "config.json"))) throw new RecurrentError(`--out ${dir}: expected a new directory, got one that holds a model (continue it with --resume ${dir}, or pick another --out)`);
    model = new Sequence({
      cell: o.cell, input: problem.model.input, hidden: o.hidden, layers: o.layers, output: problem.model.output,
      outputActivation: problem.model.outputActivation, ...(reads(cellSpec(o.cell), "state") && o.state ? { state: o.state } : {}),
      ...(problem.model.embedding ? { embedding: problem.model.embedding } : {}),
      ...(o.dropout ? { dropout: o.dropout } : {}), ...(o.bidirectional ? { bidirectional: true } : {}),
    });
    initialize(model, rng, o.init);
    optimizer = makeOptimizer(o.optimizer, { lr: o.lr });
    st = { options: o, ...initialFitState(rng) };
  }
  const n = problem.batchesPerEpoch;
  const probe = o.logGradients ? probeBatch(problem, o.seed) : null;   // before the epoch's order is (re)drawn
  const carried = resume && st.rngEpoch && problem.carry && st.batch > 0 ? loadCarry(dir, model, o.batch, st.step) : null;

  const unlock = lockRunDir(dir, log);             // before the first write: one run per directory
  try {
    return await train();
  } finally { unlock(); }

  async function train(): Promise<RunSummary> {
    const metrics = new MetricsLog(join(dir, "metrics.jsonl"));
    const kept = resume ? metrics.truncateAfter(st.step) : (rmSync(metrics.path, { force: true }), []);
    const lossSpec = { loss: problem.loss, manyToOne: problem.manyToOne };
    const grads = probe ? new TrainingGradients(probe, { clip: o.clip, every: o.logGradientsEvery }, { records: kept, pending: st.gradLog }) : null;
    // The gradient flow before the first update, so the plot shows where training started.
    if (grads && !resume) metrics.append({ step: 0, epoch: 0, seconds: 0, gradients: grads.initial(model, lossSpec) });

    log(`${resume ? "resuming" : "training"} ${model.toString()} on ${problem.describe}`);
    log(`  ${o.optimizer} lr ${o.lr}${o.lrSchedule ? ` (schedule ${o.lrSchedule})` : ""}, batch ${o.batch}${problem.carry ? `, ${o.seq} steps per chunk` : ""}, clip ${o.clip || "off"}, ` +
      `${o.epochs ? `${o.epochs} epochs of ${n} batches` : "no epoch limit"}${o.timeLimit ? `, time limit ${o.timeLimit} s` : ""}, seed ${o.seed}, ${backend}`);
    if (resume) log(`  from epoch ${st.epoch}, batch ${st.batch}/${n}, step ${st.step}, ${st.seconds.toFixed(1)} s trained`);
    if (resumeChanges.length) log(`  changed on resume: ${resumeChanges.join(", ")}`);
    const saved = st.backend?.split(" ")[0];   // the kernels' name: threads change no bits
    if (resume && saved && saved !== installed.name) {
      log(`  warning: trained on the ${saved} kernels (${backendArithmetic(saved)}), resumed on ${installed.name} (${backendArithmetic(installed.name)}): they round differently, so this run will not end with the bits of one never stopped`);
    }
    st.backend = backend;

    const progress = new Progress({ total: o.epochs ? o.epochs * n : 0, epochs: o.epochs || undefined, timeLimit: o.timeLimit ? Math.max(0, o.timeLimit - st.seconds) : undefined, unit: problem.unit, tty: hooks.tty });
    const t0 = performance.now();
    let last: EvaluationRecord | null = null;

    // SIGINT/SIGTERM stop the run at the next batch, with a checkpoint; a second one quits at once.
    const abort = new AbortController();
    let signal: string | null = null;
    const onSignal = (name: string) => () => {
      if (signal) process.exit(name === "SIGINT" ? 130 : 143);
      signal = name; abort.abort();
    };
    const onInt = onSignal("SIGINT"), onTerm = onSignal("SIGTERM");
    process.on("SIGINT", onInt); process.on("SIGTERM", onTerm);

    const cliCallbacks: Callback = {
      onBatchEnd: (ctx, r) => {
        grads?.add(r);
        const done = ctx.state.epoch * n + ctx.state.batch;
        progress.update(done, { epoch: ctx.state.epoch + 1, loss: r.loss, rate: (ctx.state.units - unitsAtStart) / Math.max(1e-9, (performance.now() - t0) / 1000) });
        if (hooks.interruptAt === ctx.state.step && !signal) { signal = "RECURRENT_INTERRUPT_AT_STEP"; abort.abort(); }
      },
      onEvaluation: (ctx, record) => {
        if (grads) record.gradients = grads.entry(model, lossSpec, !record.final && !record.timed);
        metrics.append(record as MetricsRecord);
        last = record;
        progress.update(ctx.state.epoch * n + ctx.state.batch, { valLoss: record.val_loss });
        const extra = Object.entries(ctx.state.best?.step === record.step ? ctx.state.best.metrics : {}).filter(([k]) => k !== "tokens").slice(0, 3).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(", ");
        progress.log(`epoch ${record.epoch.toFixed(2)} step ${record.step}: ${record.train_loss !== undefined ? `train ${record.train_loss.toFixed(4)}, ` : ""}val ${record.val_loss.toFixed(4)}${extra ? ` (${extra})` : ""}`);
      },
      onBest: () => { bestBytes = weightsToBytes(model); },   // saved with the next checkpoint
      onCheckpoint: (ctx) => {
        st = { ...st, ...ctx.state, options: o, ...(grads ? { gradLog: grads.pending() } : {}) };
        saveCheckpoint(dir, model, optimizer, problem.record, st, problem.carry ? ctx.carried : null, bestBytes);
      },
    };
    const unitsAtStart = st.units;
    let bestBytes: Uint8Array | null = resume ? readBest(dir) : null;
    let history: History | undefined, rollback: (() => Promise<RunSummary>) | null = null;
    try {
      try {
        history = await fit(model, problem, {
          epochs: o.epochs, timeLimit: o.timeLimit, optimizer, clipNorm: o.clip, loss: problem.loss,
          ...(o.lrSchedule ? { lrSchedule: parseScheduleFlag(o.lrSchedule, o.lr, o.epochs > 0 ? o.epochs * n : null) } : {}),
          validationData: (m, trainer) => {
            try { return problem.validate(m, trainer, (done, of) => progress.phase(`validating ${Math.floor(100 * done / of)}% (${done}/${of})`)); }
            finally { progress.phase(null); }
          },
          evalEvery: o.evalEvery, minEvaluations: o.minEvaluations, patience: o.patience,
          callbacks: [cliCallbacks], signal: abort.signal, rng,
          ...(resume ? { resume: { state: st, carried } } : {}),
        });
      } catch (e) {
        // --on-nonfinite rollback: back to the last checkpoint (nothing after it was saved), slower.
        const rollbacks = hooks.rollbacks ?? 0;
        if (!(e instanceof DivergenceError) || o.onNonfinite !== "rollback" || rollbacks >= MAX_ROLLBACKS) throw e;
        progress.stop();
        log(`${e.message.replace(/; stopped.*$/, "")}: rolling back to the last checkpoint with --lr ${o.lr / 2} (rollback ${rollbacks + 1} of ${MAX_ROLLBACKS})`);
        rollback = () => runTraining({ ...o, lr: o.lr / 2 }, dir, true, { ...hooks, rollbacks: rollbacks + 1 });
      }
    } finally {
      process.off("SIGINT", onInt); process.off("SIGTERM", onTerm);
      progress.stop();
    }
    if (rollback) return rollback();
    const stop = history!.stopped;
    const records = metrics.read();
    const title = `${problem.task}: ${model.toString().split("  #")[0]}`;
    await writeChart(dir, "loss", lossCurveSpec(records, { title, yTitle: problem.loss === "ce" ? "cross-entropy (nats)" : problem.loss === "mse" ? "MSE (scaled)" : "binary cross-entropy" }));
    if (grads) {
      const state = model.cell.states[0];
      await writeChart(dir, "gradients", trainingGradientsSpec(records as unknown as TrainingGradientPoint[], { title, state, clip: o.clip }));
    }
    if (stop === "aborted") throw new RecurrentError(`interrupted by ${signal}: checkpoint saved at step ${st.step} in ${dir} (continue with --resume ${dir})`);
    const lastRecord = records[records.length - 1];
    const lastEval = last as EvaluationRecord | null;
    log(`stopped (${stop}) after ${(st.epoch + st.batch / n).toFixed(2)} epochs, ${st.step} steps, ${st.seconds.toFixed(1)} s; best validation loss ${st.best?.loss.toFixed(4)} at step ${st.best?.step}; saved in ${dir}`);
    return {
      task: problem.task, out: dir, model: model.toString(), params: model.paramCount, backend, stopped: stop ?? "",
      epochs: Number((st.epoch + st.batch / n).toFixed(4)), steps: st.step, seconds: Number(st.seconds.toFixed(3)),
      tokens_per_s: Math.round(history!.unitsPerSecond), unit: problem.unit,
      train_loss: typeof lastRecord?.train_loss === "number" ? lastRecord.train_loss : NaN,
      val_loss: st.best?.loss ?? NaN, last_val_loss: lastEval?.val_loss ?? (typeof lastRecord?.val_loss === "number" ? lastRecord.val_loss : NaN),
      best_step: st.best?.step ?? 0, metrics: st.best?.metrics ?? {},
    };
  }
}
