// The command line's callbacks into fit() (src/train/fit.ts): the progress display, a line in
// metrics.jsonl per evaluation (with the gradient log's figures under --log-gradients), the
// best weights kept for the next checkpoint, the checkpoint itself, and the tests' hook that
// stops a run at an exact update. What they keep for after the run (the state last saved, the
// last evaluation) is in the RunRecord they are given.
// Not here: building the run (./start.ts), the signal handlers (./stop-signals.ts), reports.
import { weightsToBytes } from "../../formats/model-bytes.ts";
import type { Callback, EvaluationRecord } from "../../train/fit.ts";
import type { Optimizer } from "../../train/optim/index.ts";
import type { Sequence } from "../../train/sequence.ts";
import { saveCheckpoint, type TrainingState } from "./checkpoint.ts";
import type { TrainingGradients } from "./gradient-log.ts";
import type { MetricsLog } from "./metrics-log.ts";
import type { TrainProblem } from "../tasks/problem.ts";
import type { Progress } from "./progress.ts";
import type { StopSignals } from "./stop-signals.ts";

/** What the callbacks keep for the end of the run. */
export interface RunRecord {
  /** The run's state as last checkpointed (at first: as it started). */
  st: TrainingState;
  /** The best weights' bytes so far, saved with the next checkpoint. */
  bestBytes: Uint8Array | null;
  /** The last evaluation of this session. */
  last: EvaluationRecord | null;
}

export interface CallbackDeps {
  dir: string;
  model: Sequence;
  optimizer: Optimizer;
  problem: Pick<TrainProblem, "record" | "carry" | "loss" | "manyToOne">;
  /** Batches per epoch. */
  n: number;
  progress: Progress;
  metrics: MetricsLog;
  /** --log-gradients, else null. */
  grads: TrainingGradients | null;
  stops: StopSignals;
  /** Tests: stop as if SIGTERM arrived just before the batch after this update. */
  interruptAt?: number;
}

export function cliCallbacks(d: CallbackDeps, run: RunRecord): Callback {
  const { model, problem, n, progress, grads } = d;
  const lossSpec = { loss: problem.loss, manyToOne: problem.manyToOne };
  const t0 = performance.now(), unitsAtStart = run.st.units;
  return {
    onBatchEnd: (ctx, r) => {
      grads?.add(r);
      const done = ctx.state.epoch * n + ctx.state.batch;
      progress.update(done, { epoch: ctx.state.epoch + 1, loss: r.loss, rate: (ctx.state.units - unitsAtStart) / Math.max(1e-9, (performance.now() - t0) / 1000) });
      if (d.interruptAt === ctx.state.step) d.stops.stop("RECURRENT_INTERRUPT_AT_STEP");
    },
    onEvaluation: (ctx, record) => {
      if (grads) record.gradients = grads.entry(model, lossSpec, !record.final && !record.timed);
      d.metrics.append(record);
      run.last = record;
      progress.update(ctx.state.epoch * n + ctx.state.batch, { valLoss: record.val_loss });
      progress.log(evaluationLine(record, ctx.state.best));
    },
    onBest: () => { run.bestBytes = weightsToBytes(model); },   // saved with the next checkpoint
    onCheckpoint: (ctx) => {
      // The options stay this invocation's (the run started with them: ./start.ts).
      run.st = { ...run.st, ...ctx.state, options: run.st.options, ...(grads ? { gradLog: grads.pending() } : {}) };
      saveCheckpoint(d.dir, model, d.optimizer, problem.record, run.st, problem.carry ? ctx.carried : null, run.bestBytes);
    },
  };
}

/** The progress line of an evaluation, with the best one's first task figures. */
function evaluationLine(record: EvaluationRecord, best: TrainingState["best"]): string {
  const extra = Object.entries(best?.step === record.step ? best.metrics : {}).filter(([k]) => k !== "tokens").slice(0, 3).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(", ");
  return `epoch ${record.epoch.toFixed(2)} step ${record.step}: ${record.train_loss !== undefined ? `train ${record.train_loss.toFixed(4)}, ` : ""}val ${record.val_loss.toFixed(4)}${extra ? ` (${extra})` : ""}`;
}
