// One training run of the gradients experiment (scripts/experiments/gradients.ts): a fresh
// network trained online on freshly generated task batches, with Adam, with or without
// global-norm clipping, stopped early once a validation batch is solved; then scored on a
// held-out test set by the task's own criterion. Optionally records the per-step gradient
// norms ‖∂L/∂h_t‖ at initialisation and after training on a fixed probe batch.
import { Sequence } from "../../../src/train/sequence.ts";
import { initialize } from "../../../src/model/initialize.ts";
import { lstmForgetGateBias, orthogonal, perBlock } from "../../../src/model/init.ts";
import { Trainer } from "../../../src/train/trainer.ts";
import { makeOptimizer } from "../../../src/train/optim/index.ts";
import { getTask, type Task, type TaskBatch } from "../../../src/data/tasks/index.ts";
import { adding1997 } from "../../../src/data/tasks/adding-1997.ts";
import { temporalOrder6a, temporalOrder6b } from "../../../src/data/tasks/temporal-order-1997.ts";
import { asTrainerBatch, predictionsFrom, trainingFor } from "../../../src/data/tasks/as-batch.ts";
import { gradientRecord } from "../../../src/analysis/gradients/record.ts";
import { recurrentSpectra, spectralRadius } from "../../../src/analysis/gradients/spectral.ts";
import { GradientLog, type GradNormSummary } from "../../../src/analysis/gradients/clip-log.ts";
import { Rng } from "../../../src/rand.ts";
import { RecurrentError } from "../../../src/errors.ts";

export interface Settings {
  hidden: number; batch: number; lr: number; sgdLr: number; sgdMomentum: number; clip: number; maxSteps: number;
  evalEvery: number; stopAt: number; success: number; testSize: number; probeSize: number;
  /** Validation sequences (checked every evalEvery updates); absent: 256. */
  valSize?: number;
}

export interface Job {
  /** success/radius/init: sections 1, 3, 4; long: the papers' lengths; ablation: the LSTM
   *  initialisation 2×2; budget: the longest T of section 1 again with a larger budget. */
  kind: "success" | "radius" | "init" | "long" | "ablation" | "budget";
  cell: "elman" | "jordan" | "lstm" | "gru";
  task: string; T: number; clip: boolean; seed: number;
  /** Elman only: rescale weight_hh to this spectral radius at initialisation. */
  radius?: number;
  /** Optimiser (default Adam) and initialisation scheme (default PyTorch's). */
  optimizer?: "adam" | "sgd";
  scheme?: "pytorch" | "glorot";
  /** On top of `scheme` (the ablation): the LSTM forget gate's total bias set to this value
   *  (b_ih's f slice = value, b_hh's = 0); weight_hh orthogonal per gate block. */
  forgetBias?: number; orthogonalRecurrent?: boolean;
  /** Settings this job overrides (the long-range runs have their own size and budget). */
  budget?: Partial<Settings>;
  /** Record ‖∂L/∂h_t‖ at init and after training (and the Jacobian products for radius jobs). */
  record: boolean;
}

export interface Norms { h: number[]; c?: number[]; jacobian?: number[] }

export interface Row extends Job {
  params: number; updates: number; seconds: number;
  accuracy: number; testLoss: number; baseline: number; solved: boolean; diverged: string | null;
  clipping: GradNormSummary;
  /** ρ and σ_max at initialisation, the largest over the recurrent gate blocks. */
  rhoInit: number; sigmaInit: number;
  init?: Norms; trained?: Norms;
  /** (update, validation loss, validation accuracy) every evalEvery updates. */
  curve: Array<[number, number, number]>;
  /** Training sequences seen when the validation accuracy first reached stopAt; null if never. */
  sequencesToStop: number | null;
}

/** The tasks by name: the registry's, and the papers' variable-length forms. */
const PAPER_TASKS: Record<string, Task> = { "adding-1997": adding1997, "temporal-order-6a": temporalOrder6a, "temporal-order-6b": temporalOrder6b };
export const taskNamed = (name: string): Task => PAPER_TASKS[name] ?? getTask(name);

/** A seed per (task, T, seed) shared by the clipped and unclipped runs: same weights, same data. */
function baseSeed(job: Job): number {
  let h = 2166136261;
  for (const ch of `${job.task}/${job.T}/${job.seed}/${job.cell}/${job.scheme ?? "pytorch"}/${job.radius ?? ""}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

export function runJob(job: Job, settings: Settings): Row {
  const t0 = performance.now();
  const s = { ...settings, ...job.budget };
  const task = taskNamed(job.task), how = trainingFor(task.targetKind);
  const rng = new Rng(baseSeed(job));
  const model = new Sequence({ cell: job.cell, input: task.inputSize, hidden: s.hidden, output: task.outputSize, outputActivation: how.outputActivation });
  initialize(model, rng, job.scheme ?? "pytorch");
  if (job.radius !== undefined) setRadius(model, job.radius, rng);
  if (job.forgetBias !== undefined) setForgetBias(model, job.forgetBias);
  if (job.orthogonalRecurrent) setOrthogonal(model, rng);
  // The largest over the recurrent gate blocks (one block for Elman and Jordan).
  const spectra = recurrentSpectra(model);
  const rhoInit = Math.max(...spectra.map((x) => x.spectralRadius)), sigmaInit = Math.max(...spectra.map((x) => x.maxSingular));
  const dataRng = new Rng(baseSeed(job) ^ 0x5bd1e995);
  const valSet = chunked(task, job.T, s.valSize ?? 256, s.batch, new Rng(baseSeed(job) + 1));
  const testSet = chunked(task, job.T, s.testSize, s.batch, new Rng(baseSeed(job) + 2));
  const probe = asTrainerBatch(task.generate({ length: job.T, batch: s.probeSize, rng: new Rng(baseSeed(job) + 3) }));
  const spec = { loss: how.loss, manyToOne: how.manyToOne };
  const record = (): Norms => {
    const r = gradientRecord(model, probe, spec, { jacobian: job.kind === "radius" });
    const c = r.series.find((x) => x.state === "c");
    return { h: r.norms, ...(c ? { c: c.norms } : {}), ...(r.jacobian ? { jacobian: r.jacobian.norms } : {}) };
  };
  const init = job.record ? record() : undefined;
  const trainer = new Trainer(model, { loss: how.loss, manyToOne: how.manyToOne, optimizer: job.optimizer === "sgd" ? makeOptimizer("sgd", { lr: s.sgdLr, momentum: s.sgdMomentum }) : makeOptimizer("adam", { lr: s.lr }), clipNorm: job.clip ? s.clip : 0 });
  const log = new GradientLog(job.clip ? s.clip : 0);
  const curve: Array<[number, number, number]> = [];
  let diverged: string | null = null, sequencesToStop: number | null = null;
  // Over a set of chunks: correct / total, and the loss weighted by chunk size.
  const accuracyOn = (set: TaskBatch[]) => {
    let correct = 0, total = 0;
    for (const tb of set) {
      const b = asTrainerBatch(tb);
      const s = task.score(predictionsFrom(tb, model.forward(b.x, b.T, b.B, { mask: b.mask }).out), tb);
      correct += s.correct; total += s.total;
    }
    return correct / total;
  };
  const lossOn = (set: TaskBatch[]) => set.reduce((a, tb) => a + trainer.evaluate(asTrainerBatch(tb)).loss * tb.B, 0) / set.reduce((a, tb) => a + tb.B, 0);
  try {
    for (let u = 1; u <= s.maxSteps; u++) {
      log.add(trainer.trainStep(asTrainerBatch(task.generate({ length: job.T, batch: s.batch, rng: dataRng }))));
      if (u % s.evalEvery === 0) {
        const acc = accuracyOn(valSet);
        curve.push([u, lossOn(valSet), acc]);
        if (acc >= s.stopAt) { sequencesToStop = u * s.batch; break; }
      }
    }
  } catch (e) {
    if (!(e instanceof RecurrentError)) throw e;
    diverged = e.message;
  }
  const accuracy = diverged ? 0 : accuracyOn(testSet);
  const testLoss = diverged ? NaN : lossOn(testSet);
  const trained = job.record && !diverged ? record() : undefined;
  return {
    ...job, params: model.paramCount, updates: trainer.updates, seconds: (performance.now() - t0) / 1000,
    accuracy, testLoss, baseline: task.baseline(job.T).loss, solved: accuracy >= s.success, diverged,
    clipping: log.summary(), rhoInit, sigmaInit, init, trained, curve, sequencesToStop,
  };
}

/**
 * n sequences drawn from one Rng as batches of at most `size`. Every generator draws sequence
 * by sequence, so the sequences are those of one batch of n; the chunks keep evaluation at
 * the training batch's size, whose heap blocks the fast backend reuses (one large batch
 * between training steps fragments its wasm heap, which then grows without bound).
 */
function chunked(task: Task, T: number, n: number, size: number, rng: Rng): TaskBatch[] {
  const out: TaskBatch[] = [];
  for (let done = 0; done < n; done += size) out.push(task.generate({ length: T, batch: Math.min(size, n - done), rng }));
  return out;
}

/** The LSTM forget gate's total bias set to exactly `value`: b_ih's f slice `value`, b_hh's 0. */
function setForgetBias(model: Sequence, value: number): void {
  const H = model.config.hidden;
  lstmForgetGateBias(model.get("bias_ih_l0"), H, value);
  lstmForgetGateBias(model.get("bias_hh_l0"), H, 0);
}

/** weight_hh ← one orthogonal (H, H) block per gate, as the glorot scheme draws it. */
function setOrthogonal(model: Sequence, rng: Rng): void {
  const U = model.get("weight_hh_l0"), H = model.config.hidden;
  perBlock(U, U.length / H, H, U.length / H / H, (block, r, c) => orthogonal(block, r, c, rng));
}

/** weight_hh ← a Gaussian matrix rescaled so that its spectral radius is exactly r. */
function setRadius(model: Sequence, r: number, rng: Rng): void {
  const U = model.get("weight_hh_l0"), H = model.config.hidden;
  for (let i = 0; i < U.length; i++) U[i] = rng.normal() / Math.sqrt(H);
  const rho = spectralRadius(U, H);
  for (let i = 0; i < U.length; i++) U[i] *= r / rho;
}
