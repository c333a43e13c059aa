// One training run of the gradients experiment (scripts/experiments/gradients.ts): a fresh
// network trained online on freshly generated task batches, with Adam, with or without
// global-norm clipping, stopped early once a validation batch is solved; then scored on a
// held-out test set by the task's own criterion. Optionally records the per-step gradient
// norms ‖∂L/∂h_t‖ at initialisation and after training on a fixed probe batch.
import { Sequence } from "../../../src/model/sequence.ts";
import { initialize } from "../../../src/model/initialize.ts";
import { Trainer } from "../../../src/train/trainer.ts";
import { makeOptimizer } from "../../../src/train/optim/index.ts";
import { getTask } from "../../../src/data/tasks/index.ts";
import { asTrainerBatch, predictionsFrom, trainingFor } from "../../../src/data/tasks/as-batch.ts";
import { gradientRecord } from "../../../src/analysis/gradients/record.ts";
import { recurrentSpectra, spectralRadius } from "../../../src/analysis/gradients/spectral.ts";
import { GradientLog, type GradNormSummary } from "../../../src/analysis/gradients/clip-log.ts";
import { Rng } from "../../../src/rand.ts";
import { RecurrentError } from "../../../src/errors.ts";

export interface Settings {
  hidden: number; batch: number; lr: number; sgdLr: number; sgdMomentum: number; clip: number; maxSteps: number;
  evalEvery: number; stopAt: number; success: number; testSize: number; probeSize: number;
}

export interface Job {
  kind: "success" | "radius" | "init";
  cell: "elman" | "jordan" | "lstm" | "gru";
  task: string; T: number; clip: boolean; seed: number;
  /** Elman only: rescale weight_hh to this spectral radius at initialisation. */
  radius?: number;
  /** Optimiser (default Adam) and initialisation scheme (default PyTorch's). */
  optimizer?: "adam" | "sgd";
  scheme?: "pytorch" | "glorot";
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
  /** (update, validation loss) every evalEvery updates. */
  curve: Array<[number, number]>;
}

/** A seed per (task, T, seed) shared by the clipped and unclipped runs: same weights, same data. */
function baseSeed(job: Job): number {
  let h = 2166136261;
  for (const ch of `${job.task}/${job.T}/${job.seed}/${job.cell}/${job.scheme ?? "pytorch"}/${job.radius ?? ""}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

export function runJob(job: Job, s: Settings): Row {
  const t0 = performance.now();
  const task = getTask(job.task), how = trainingFor(task.targetKind);
  const rng = new Rng(baseSeed(job));
  const model = new Sequence({ cell: job.cell, input: task.inputSize, hidden: s.hidden, output: task.outputSize, outputActivation: how.outputActivation });
  initialize(model, rng, job.scheme ?? "pytorch");
  if (job.radius !== undefined) setRadius(model, job.radius, rng);
  // The largest over the recurrent gate blocks (one block for Elman and Jordan).
  const spectra = recurrentSpectra(model);
  const rhoInit = Math.max(...spectra.map((x) => x.spectralRadius)), sigmaInit = Math.max(...spectra.map((x) => x.maxSingular));
  const dataRng = new Rng(baseSeed(job) ^ 0x5bd1e995);
  const val = asTrainerBatch(task.generate({ length: job.T, batch: 256, rng: new Rng(baseSeed(job) + 1) }));
  const valTask = task.generate({ length: job.T, batch: 256, rng: new Rng(baseSeed(job) + 1) });
  const testTask = task.generate({ length: job.T, batch: s.testSize, rng: new Rng(baseSeed(job) + 2) });
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
  const curve: Array<[number, number]> = [];
  let diverged: string | null = null;
  const accuracyOn = (tb: ReturnType<typeof task.generate>) => {
    const b = asTrainerBatch(tb);
    const { out } = model.forward(b.x, b.T, b.B);
    return task.score(predictionsFrom(tb, out), tb).accuracy;
  };
  try {
    for (let u = 1; u <= s.maxSteps; u++) {
      log.add(trainer.trainStep(asTrainerBatch(task.generate({ length: job.T, batch: s.batch, rng: dataRng }))));
      if (u % s.evalEvery === 0) {
        curve.push([u, trainer.evaluate(val).loss]);
        if (accuracyOn(valTask) >= s.stopAt) break;
      }
    }
  } catch (e) {
    if (!(e instanceof RecurrentError)) throw e;
    diverged = e.message;
  }
  const accuracy = diverged ? 0 : accuracyOn(testTask);
  const testLoss = diverged ? NaN : trainer.evaluate(asTrainerBatch(testTask)).loss;
  const trained = job.record && !diverged ? record() : undefined;
  return {
    ...job, params: model.paramCount, updates: trainer.updates, seconds: (performance.now() - t0) / 1000,
    accuracy, testLoss, baseline: task.baseline(job.T).loss, solved: accuracy >= s.success, diverged,
    clipping: log.summary(), rhoInit, sigmaInit, init, trained, curve,
  };
}

/** weight_hh ← a Gaussian matrix rescaled so that its spectral radius is exactly r. */
function setRadius(model: Sequence, r: number, rng: Rng): void {
  const U = model.get("weight_hh_l0"), H = model.config.hidden;
  for (let i = 0; i < U.length; i++) U[i] = rng.normal() / Math.sqrt(H);
  const rho = spectralRadius(U, H);
  for (let i = 0; i < U.length; i++) U[i] *= r / rho;
}
