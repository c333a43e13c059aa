// One model being trained in the page: the network, its task, its optimiser and the state of
// fit() between runs. Training is fit() itself (src/train/fit.ts): a pause stops it after the
// current batch and keeps its FitState, and the next run resumes from that state, so pausing,
// stepping and going on give the same weights as one uninterrupted run, and the same seed gives
// the same run as `recurrent train` with the same options. Gradient-free methods (src/evolve)
// minimise the loss on one fixed batch instead, within a budget of loss evaluations.
import { Rng } from "../../../src/rand.ts";
import { Sequence } from "../../../src/train/sequence.ts";
import { initialize } from "../../../src/model/initialize.ts";
import { fit, type FitState } from "../../../src/train/fit.ts";
import { Trainer, type StepResult } from "../../../src/train/trainer.ts";
import { makeOptimizer, type Optimizer } from "../../../src/train/optim/index.ts";
import { spectralRadius } from "../../../src/analysis/gradients/spectral.ts";
import { getMinimiser } from "../../../src/evolve/index.ts";
import { modelDirFiles } from "../../../src/formats/model-files.ts";
import { RecurrentError } from "../../../src/errors.ts";
import type { Vec } from "../../../src/tensor/types.ts";
import type { ModelConfig } from "../../../src/model/config.ts";
import { isGradientFree, type PlaygroundConfig } from "../config.ts";
import type { EvalPoint } from "../protocol.ts";
import type { PageProblem } from "./problem.ts";

/** What a run reports as it goes (the worker turns it into messages). */
export interface Reporter {
  update(step: number, r: Pick<StepResult, "loss" | "gradNorm" | "clipped">): void;
  evaluation(e: EvalPoint): void;
  /** Called between updates: the worker may compute views now. */
  between(step: number): void;
  /** A column of the gradient heatmap now (gradient-free runs, which have no updates to wait between). */
  column(step: number): void;
}

/** The network of a setup, before initialisation. */
export function networkConfig(c: PlaygroundConfig, p: Pick<PageProblem, "input" | "output" | "outputActivation">): Partial<ModelConfig> {
  return {
    cell: c.cell, input: p.input, hidden: c.hidden, layers: c.layers, output: p.output, outputActivation: p.outputActivation,
    ...(c.cell === "jordan" ? { state: c.state || undefined, feedback: c.feedback, stateActivation: c.stateAct } : {}),
    ...(c.cell === "elman" || c.cell === "jordan" ? { hiddenActivation: c.act } : {}),
  };
}

/** Initial weights as `recurrent train` draws them (same Rng, same order); init "radius": PyTorch's,
 *  then each Elman recurrent matrix U drawn Gaussian and rescaled to spectral radius ρ exactly. */
export function initialWeights(model: Sequence, c: PlaygroundConfig, rng: Rng): void {
  initialize(model, rng, c.init === "glorot" ? "glorot" : "pytorch");
  if (c.init !== "radius") return;
  const H = model.config.hidden;
  for (let l = 0; l < model.config.layers; l++) {
    const U = model.get(`weight_hh_l${l}`);
    for (let i = 0; i < U.length; i++) U[i] = rng.normal() / Math.sqrt(H);
    const rho = spectralRadius(U, H);
    for (let i = 0; i < U.length; i++) U[i] *= c.radius / rho;
  }
}

export class Session {
  readonly rng: Rng;
  optimizer: Optimizer | null;
  fitState: FitState | null = null;
  carried: Vec[][] | null = null;
  running = false;
  /** Updates made (loss evaluations for gradient-free methods). */
  step = 0;
  settings: { lr: number; clip: number; clipValue: number };
  private stopRequested = false;
  private restart = false;
  private lrChanged = false;
  private gradientFreeDone = false;
  private lastEvalStep = -1;

  constructor(readonly config: PlaygroundConfig, readonly problem: PageProblem, readonly model: Sequence, seeded: boolean) {
    this.rng = new Rng(config.seed);
    if (!seeded) initialWeights(model, config, this.rng);
    this.optimizer = isGradientFree(config) ? null : makeOptimizer(config.optimizer, { lr: config.lr, ...(config.optimizer === "sgd" && config.momentum ? { momentum: config.momentum } : {}) });
    this.settings = { lr: config.lr, clip: config.clip, clipValue: config.clipValue };
  }

  /** The validation loss and task figures of the model as it is now. */
  evaluate(): EvalPoint {
    this.lastEvalStep = this.step;
    const trainer = new Trainer(this.model, { loss: this.problem.loss, manyToOne: this.problem.manyToOne, optimizer: makeOptimizer("sgd", { lr: 0 }) });
    const e = this.problem.validate(this.model, trainer);
    return { step: this.step, val_loss: e.loss, metrics: e.metrics };
  }

  /** Stops a run after the current batch. */
  pause(): void { if (this.running) this.stopRequested = true; }

  /** New learning rate, clipping: the learning rate from the next update, clipping from the next batch. */
  set(s: { lr: number; clip: number; clipValue: number }): void {
    const clipChanged = s.clip !== this.settings.clip || s.clipValue !== this.settings.clipValue;
    this.lrChanged ||= s.lr !== this.settings.lr;
    this.settings = { ...s };
    if (clipChanged && this.running) this.restart = true;   // a new Trainer: fit() again from its state
  }

  /** Trains until `until` updates (or a pause); resolves with why it stopped. */
  async run(until: number, rep: Reporter): Promise<"done" | "paused"> {
    if (this.running) return "paused";
    if (isGradientFree(this.config)) return this.runGradientFree(until, rep);
    if (this.step >= until) return "done";
    this.running = true; this.stopRequested = false;
    const c = this.config;
    try {
      do {
        this.restart = false;
        await fit(this.model, this.problem.train, {
          epochs: 1_000_000_000, optimizer: this.optimizer!, loss: this.problem.loss,
          clipNorm: this.settings.clip, clipValue: this.settings.clipValue,
          ...(c.k1 > 0 ? { tbptt: { k1: c.k1, k2: c.k2 } } : {}),
          // Validation every 50 updates (and at each epoch's end): it only reads the model, so the
          // weights are those of a run that never validates (the CLI's, from the same seed).
          validationData: this.problem.validate, evalEvery: 50, rng: this.rng,
          ...(this.fitState ? { resume: { state: this.fitState, carried: this.carried } } : {}),
          callbacks: [{
            onTrainBegin: (ctx) => { ctx.setLearningRate(this.settings.lr); this.lrChanged = false; },
            onBatchEnd: (ctx, r) => {
              this.step = ctx.state.step;
              rep.update(this.step, r);
              if (this.lrChanged) { ctx.setLearningRate(this.settings.lr); this.lrChanged = false; }
              if (this.step >= until || this.stopRequested || this.restart) ctx.stop();
              else rep.between(this.step);
            },
            onEvaluation: (_ctx, rec) => {
              this.lastEvalStep = rec.step;
              const { step, val_loss, train_loss, epoch: _e, seconds: _s, final: _f, timed: _t, ...rest } = rec;
              const metrics: Record<string, number> = {};
              for (const [k, v] of Object.entries(rest)) if (typeof v === "number") metrics[k] = v;
              rep.evaluation({ step, val_loss, ...(train_loss !== undefined ? { train_loss } : {}), metrics });
            },
            onCheckpoint: (ctx) => { this.fitState = structuredClone(ctx.state); this.carried = ctx.carried; },
          }],
        });
      } while (this.restart && !this.stopRequested && this.step < until);
      // Where a run stops between scheduled evaluations, validate there too (it only reads the model).
      if (this.fitState && this.lastEvalStep !== this.step) rep.evaluation(this.evaluate());
    } finally {
      this.running = false;
    }
    return this.step >= until ? "done" : "paused";
  }

  /** A gradient-free method on the fixed batch: `until` loss evaluations (one run; it cannot pause). */
  private async runGradientFree(until: number, rep: Reporter): Promise<"done" | "paused"> {
    if (this.gradientFreeDone) throw new RecurrentError(`${this.config.optimizer}: this run has spent its budget of ${this.step} loss evaluations; reset to run it again (a gradient-free run does not continue)`);
    const budget = Number.isFinite(until) ? until : (this.config.steps || 2000);
    if (budget < 2) throw new RecurrentError(`${this.config.optimizer}: expected a budget of at least 2 loss evaluations, got ${budget} (set "updates")`);
    this.running = true;
    try {
      const batch = this.problem.fixed();
      const trainer = new Trainer(this.model, { loss: this.problem.loss, manyToOne: this.problem.manyToOne, optimizer: makeOptimizer("sgd", { lr: 0 }) });
      const params = this.model.params;
      let best = Infinity, evals = 0;
      const bestX = Float64Array.from(params);
      const every = Math.max(1, Math.floor(budget / 10)), columnEvery = Math.max(1, Math.floor(budget / 60));
      const f = (x: Float64Array) => {
        params.set(x);
        const loss = trainer.evaluate(batch).loss;
        evals++;
        if (loss < best) { best = loss; bestX.set(x); }
        this.step = evals;
        rep.update(evals, { loss: best, gradNorm: NaN, clipped: false });
        if (evals % columnEvery === 0 || evals % every === 0) {
          // The views and the validation follow the best point so far, not the last candidate.
          params.set(bestX);
          if (evals % every === 0) rep.evaluation({ ...this.evaluate(), train_loss: best });
          rep.column(evals);
        }
        return loss;
      };
      const minimiser = getMinimiser(this.config.optimizer);
      const x0 = Float64Array.from(params);
      const result = minimiser(f, x0, { budget, sigma: 0.2 }, this.rng);
      params.set(result.best);
      this.step = result.evaluations;
      this.gradientFreeDone = true;
      rep.evaluation({ ...this.evaluate(), train_loss: result.bestLoss });
    } finally {
      this.running = false;
    }
    return "done";
  }

  /** The model directory's files (config.json with the CLI's task record, weights, optimiser). */
  files(): Record<string, Uint8Array> {
    const training = {
      source: "recurrent playground", step: this.step, epoch: this.fitState ? this.fitState.epoch + this.fitState.batch / this.problem.train.batchesPerEpoch : 0,
      seconds: this.fitState?.seconds ?? 0, playground: this.config,
    };
    return modelDirFiles(this.model, { task: this.problem.record, training, optimizer: this.optimizer && this.step > 0 ? this.optimizer : null });
  }
}
