// `recurrent train`: the training loop of the library (src/train/fit.ts) with the command
// line's callbacks: an atomic checkpoint in the model directory at the start, after every epoch,
// at the time limit and on SIGINT/SIGTERM (with everything a resume needs to end with the same
// bits as an uninterrupted run: see fit.ts), metrics.jsonl, best.safetensors, a loss-curve plot,
// a progress display on stderr, and with --log-gradients gradient-flow figures in each metrics
// record and their plot (./gradient-log.ts). This file puts the parts together in order: the
// run's start (./start.ts), the lock, the callbacks (./callbacks.ts), fit, the rollback, the
// report (./report.ts). It has no loop of its own.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { DivergenceError, RecurrentError } from "../../errors.ts";
import { Rng } from "../../rand.ts";
import { lockRunDir } from "../../node/run-lock.ts";
import { fit, type FitOptions, type History } from "../../train/fit.ts";
import { MetricsLog } from "./metrics-log.ts";
import { Progress } from "./progress.ts";
import type { TrainOptions } from "../options/train-options.ts";
import type { TrainProblem } from "../tasks/problem.ts";
import type { TaskRecord } from "../tasks/record.ts";
import { loadCarry, readBest } from "./checkpoint.ts";
import { installBackend } from "./backend.ts";
import { backendLabel } from "../../tensor/backend.ts";
import { parseScheduleFlag } from "../options/schedule-flag.ts";
import { lmProblem } from "../tasks/lm.ts";
import { forecastProblem } from "../tasks/forecast.ts";
import { classifyProblem } from "../tasks/classify.ts";
import { syntheticProblem } from "../tasks/synthetic.ts";
import { probeBatch, TrainingGradients } from "./gradient-log.ts";
import { newRun, resumeRun, type RunStart } from "./start.ts";
import { cliCallbacks, type RunRecord } from "./callbacks.ts";
import { StopSignals } from "./stop-signals.ts";
import { backendWarning, closingLine, openingLines, runSummary, writeRunCharts, type RunSummary } from "./report.ts";

export type { RunSummary };

export function buildProblem(o: TrainOptions): TrainProblem<TaskRecord> {
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
  const rng = new Rng(o.seed);
  const start = resume ? resumeRun(o, dir, problem.record) : newRun(o, dir, problem.model, rng);
  const { model, st } = start;
  const probe = o.logGradients ? probeBatch(problem, o.seed) : null;   // before the epoch's order is (re)drawn
  const carried = resume && st.rngEpoch && problem.carry && st.batch > 0 ? loadCarry(dir, model, o.batch, st.step) : null;

  const unlock = lockRunDir(dir, log);             // before the first write: one run per directory
  try {
    const metrics = new MetricsLog(join(dir, "metrics.jsonl"));
    const kept = resume ? metrics.truncateAfter(st.step) : (rmSync(metrics.path, { force: true }), []);
    const grads = probe ? new TrainingGradients(probe, { clip: o.clip, every: o.logGradientsEvery }, { records: kept, pending: st.gradLog }) : null;
    // The gradient flow before the first update, so the plot shows where training started.
    if (grads && !resume) metrics.append({ step: 0, epoch: 0, seconds: 0, gradients: grads.initial(model, { loss: problem.loss, manyToOne: problem.manyToOne }) });

    const n = problem.batchesPerEpoch;
    for (const line of openingLines(model, problem, o, n, backend, resume ? start : null)) log(line);
    const warning = resume ? backendWarning(st.backend, installed.name) : null;
    if (warning) log(warning);
    st.backend = backend;

    const run: RunRecord = { st, bestBytes: resume ? readBest(dir) : null, last: null };
    const outcome = await train(o, dir, start, problem, { metrics, grads, run, rng, resume: resume ? { state: st, carried } : null, tty: hooks.tty, interruptAt: hooks.interruptAt });
    // A rollback resumes inside this run's lock (the same process may take it again).
    if (outcome.diverged) return await rollBack(outcome.diverged, o, dir, hooks, log);
    const { history, stops } = outcome;
    const records = metrics.read();
    await writeRunCharts(dir, records, model, problem, grads ? { clip: o.clip } : null);
    if (history.stopped === "aborted") throw new RecurrentError(`interrupted by ${stops.reason}: checkpoint saved at step ${run.st.step} in ${dir} (continue with --resume ${dir})`);
    log(closingLine(dir, run.st, n, history.stopped));
    return runSummary(dir, model, problem, backend, n, run.st, history, records, run.last);
  } finally { unlock(); }
}

interface Session {
  metrics: MetricsLog;
  grads: TrainingGradients | null;
  run: RunRecord;
  /** The run's Rng: it drew a new run's weights, and fit draws on from it. */
  rng: Rng;
  /** A resumed run's state and carried stream state, for fit; null for a new run. */
  resume: FitOptions["resume"] | null;
  tty?: boolean;
  interruptAt?: number;
}

type Outcome = { diverged: DivergenceError } | { diverged?: undefined; history: History; stops: StopSignals };

/** The flags fit() is run with. */
type FitFlags = Pick<TrainOptions, "epochs" | "timeLimit" | "clip" | "lossReduction" | "lr" | "lrSchedule" | "evalEvery" | "minEvaluations" | "patience" | "onNonfinite">;

/** fit() with the command line's callbacks, a progress display and the signal handlers; a
 *  divergence is returned (for --on-nonfinite rollback to decide on), any other error thrown. */
async function train(o: FitFlags, dir: string, start: RunStart, problem: TrainProblem, s: Session): Promise<Outcome> {
  const n = problem.batchesPerEpoch;
  const progress = new Progress({ total: o.epochs ? o.epochs * n : 0, epochs: o.epochs || undefined, timeLimit: o.timeLimit ? Math.max(0, o.timeLimit - start.st.seconds) : undefined, unit: problem.unit, tty: s.tty });
  const stops = new StopSignals();
  const callbacks = cliCallbacks({ dir, model: start.model, optimizer: start.optimizer, problem, n, progress, metrics: s.metrics, grads: s.grads, stops, interruptAt: s.interruptAt }, s.run);
  try {
    const history = await fit(start.model, problem, {
      ...fitSettings(o, n), optimizer: start.optimizer, loss: problem.loss,
      validationData: (m, trainer) => {
        try { return problem.validate(m, trainer, (done, of) => progress.phase(`validating ${Math.floor(100 * done / of)}% (${done}/${of})`)); }
        finally { progress.phase(null); }
      },
      callbacks: [callbacks], signal: stops.signal, rng: s.rng,
      ...(s.resume ? { resume: s.resume } : {}),
    });
    return { history, stops };
  } catch (e) {
    if (e instanceof DivergenceError && o.onNonfinite === "rollback") return { diverged: e };
    throw e;
  } finally {
    stops.dispose();
    progress.stop();
  }
}

/** The fit() settings that come from the flags alone. */
function fitSettings(o: FitFlags, n: number): FitOptions {
  return {
    epochs: o.epochs, timeLimit: o.timeLimit, clipNorm: o.clip, lossReduction: o.lossReduction,
    ...(o.lrSchedule ? { lrSchedule: parseScheduleFlag(o.lrSchedule, o.lr, o.epochs > 0 ? o.epochs * n : null, n) } : {}),
    evalEvery: o.evalEvery, minEvaluations: o.minEvaluations, patience: o.patience,
  };
}

/** --on-nonfinite rollback: back to the last checkpoint (nothing after it was saved), at half
 *  the learning rate, at most MAX_ROLLBACKS times; then the divergence stands. */
function rollBack(e: DivergenceError, o: TrainOptions, dir: string, hooks: RunHooks, log: (line: string) => void): Promise<RunSummary> {
  const rollbacks = hooks.rollbacks ?? 0;
  if (rollbacks >= MAX_ROLLBACKS) throw e;
  log(`${e.message.replace(/; stopped.*$/, "")}: rolling back to the last checkpoint with --lr ${o.lr / 2} (rollback ${rollbacks + 1} of ${MAX_ROLLBACKS})`);
  return runTraining({ ...o, lr: o.lr / 2 }, dir, true, { ...hooks, rollbacks: rollbacks + 1 });
}
