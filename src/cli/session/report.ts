// What a `recurrent train` run tells the user: the lines before it starts (model, data, the
// settings that matter, where a resume picks up, a warning when a resume runs on other kernels),
// the plots it leaves in the model directory (loss.svg/png; gradients.svg/png with
// --log-gradients), and the summary it returns (printed as JSON with --json).
// Not here: the progress display during the run (./progress.ts).
import { backendArithmetic } from "../../tensor/backend.ts";
import { lossCurveSpec } from "../../plot/loss.ts";
import { writeChart } from "../../plot/chart.ts";
import { trainingGradientsSpec } from "../../analysis/gradients/training-chart.ts";
import type { EvaluationRecord, History } from "../../train/fit.ts";
import type { Sequence } from "../../train/sequence.ts";
import type { TrainingState } from "./checkpoint.ts";
import type { MetricsRecord } from "./metrics-log.ts";
import type { TrainOptions } from "../options/train-options.ts";
import type { TrainProblem } from "../tasks/problem.ts";

export interface RunSummary {
  task: string; out: string; model: string; params: number; backend: string;
  stopped: string; epochs: number; steps: number; seconds: number;
  /** Units per second in this session (tokens for language models; windows; sequences). */
  tokens_per_s: number; unit: string;
  train_loss: number; val_loss: number; last_val_loss: number; best_step: number;
  metrics: Record<string, number>;
}

/** The settings the opening lines state. */
export type Settings = Pick<TrainOptions, "optimizer" | "lr" | "lrSchedule" | "batch" | "seq" | "clip" | "epochs" | "timeLimit" | "seed">;

/** The lines before training: what trains on what, how, and (resuming) from where. */
export function openingLines(model: Sequence, problem: Pick<TrainProblem, "describe" | "carry">, o: Settings, n: number, backend: string,
  resumed: { st: TrainingState; changes: string[] } | null): string[] {
  const lines = [
    `${resumed ? "resuming" : "training"} ${model.toString()} on ${problem.describe}`,
    `  ${o.optimizer} lr ${o.lr}${o.lrSchedule ? ` (schedule ${o.lrSchedule})` : ""}, batch ${o.batch}${problem.carry ? `, ${o.seq} steps per chunk` : ""}, clip ${o.clip || "off"}, ` +
      `${o.epochs ? `${o.epochs} epochs of ${n} batches` : "no epoch limit"}${o.timeLimit ? `, time limit ${o.timeLimit} s` : ""}, seed ${o.seed}, ${backend}`,
  ];
  if (resumed) {
    const { st, changes } = resumed;
    lines.push(`  from epoch ${st.epoch}, batch ${st.batch}/${n}, step ${st.step}, ${st.seconds.toFixed(1)} s trained`);
    if (changes.length) lines.push(`  changed on resume: ${changes.join(", ")}`);
  }
  return lines;
}

/** A warning when a run trained on one backend's kernels resumes on another's (threads change
 *  no bits, so only the kernels' name, the label's first word, counts), else null. */
export function backendWarning(trainedOn: string | undefined, installed: string): string | null {
  const saved = trainedOn?.split(" ")[0];
  if (!saved || saved === installed) return null;
  return `  warning: trained on the ${saved} kernels (${backendArithmetic(saved)}), resumed on ${installed} (${backendArithmetic(installed)}): they round differently, so this run will not end with the bits of one never stopped`;
}

/** loss.svg/png from the metrics, and gradients.svg/png when the run logged gradients. */
export async function writeRunCharts(dir: string, records: MetricsRecord[], model: Sequence, problem: Pick<TrainProblem, "task" | "loss">,
  gradients: { clip: number } | null): Promise<void> {
  const title = `${problem.task}: ${model.toString().split("  #")[0]}`;
  const yTitle = problem.loss === "ce" ? "cross-entropy (nats)" : problem.loss === "mse" ? "MSE (scaled)" : "binary cross-entropy";
  await writeChart(dir, "loss", lossCurveSpec(records, { title, yTitle }));
  if (gradients) await writeChart(dir, "gradients", trainingGradientsSpec(records, { title, state: model.cell.states[0], clip: gradients.clip }));
}

/** The run's summary (the --json line), from its last state and this session's records. */
export function runSummary(dir: string, model: Sequence, problem: Pick<TrainProblem, "task" | "unit">, backend: string, n: number,
  st: TrainingState, history: History, records: MetricsRecord[], last: EvaluationRecord | null): RunSummary {
  const lastRecord = records[records.length - 1];
  return {
    task: problem.task, out: dir, model: model.toString(), params: model.paramCount, backend, stopped: history.stopped ?? "",
    epochs: Number((st.epoch + st.batch / n).toFixed(4)), steps: st.step, seconds: Number(st.seconds.toFixed(3)),
    tokens_per_s: Math.round(history.unitsPerSecond), unit: problem.unit,
    train_loss: typeof lastRecord?.train_loss === "number" ? lastRecord.train_loss : NaN,
    val_loss: st.best?.loss ?? NaN, last_val_loss: last?.val_loss ?? (typeof lastRecord?.val_loss === "number" ? lastRecord.val_loss : NaN),
    best_step: st.best?.step ?? 0, metrics: st.best?.metrics ?? {},
  };
}

/** The closing line. */
export function closingLine(dir: string, st: TrainingState, n: number, stop: string | null): string {
  return `stopped (${stop}) after ${(st.epoch + st.batch / n).toFixed(2)} epochs, ${st.step} steps, ${st.seconds.toFixed(1)} s; best validation loss ${st.best?.loss.toFixed(4)} at step ${st.best?.step}; saved in ${dir}`;
}
