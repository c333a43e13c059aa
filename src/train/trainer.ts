// One training step, with BPTT over the whole batch or truncated BPTT(k1, k2), gradient
// clipping, a learning-rate schedule and a non-finite-loss guard. Browser-safe: the
// training loop with files, progress bars and checkpoints lives in src/cli.
//
// Batches are time-major: x (T, B, I); targets per row n = t·B + b for many-to-many
// ((T·B) class indices or (T·B, O) values), per sequence for many-to-one ((B) or (B, O)).
import { check, DivergenceError, RecurrentError } from "../errors.ts";
import type { Network } from "../model/network.ts";
import type { RandomSource } from "../model/dropout.ts";
import { Rng } from "../rand.ts";
import { targetsRange, type Batch } from "../data/batch.ts";
import type { Vec } from "../tensor/types.ts";
import { Workspace } from "../cells/workspace.ts";
import { clipByGlobalNorm, clipByValue, globalNorm } from "./clip.ts";
import { detach, forwardLoss, type BatchEvaluator, type LossSpec } from "./batch-loss.ts";
import type { Optimizer } from "./optim/index.ts";

export type { Batch };
// Where they were first defined; they form the loss, so they live with it (./batch-loss.ts).
export { lengthsFromMask, manyToOneLengths } from "./batch-loss.ts";


/** The loss (./batch-loss.ts LossSpec: its kind, many-to-one or not) and how to update. */
export interface TrainerOptions extends LossSpec {
  optimizer: Optimizer;
  /** Clip the global gradient norm to this value (Pascanu et al. 2013); 0 or absent = off. */
  clipNorm?: number;
  /** Clip each gradient element to [−v, v]; 0 or absent = off. */
  clipValue?: number;
  /** Truncated BPTT: an update every k1 steps, backpropagating k2 ≥ k1 steps. */
  tbptt?: { k1: number; k2: number } | null;
  /** Learning rate at a given update number (0-based); absent = the optimiser's own. */
  lr?: (update: number) => number | undefined;
  /** What the gradient is of: "mean" (default) the mean loss over every counted (t, b);
   *  "sum-over-time" the per-step batch means summed over the counted steps, as Zaremba et
   *  al.'s language models do (so the gradient, and what clipping sees, is T times the mean's).
   *  The reported loss is the mean either way (perplexity reads it). Many-to-many only. */
  lossReduction?: LossReduction;
  /** Where a model with dropout draws its masks in trainStep (fit passes the run's Rng, so a
   *  resumed run draws the same masks); absent: a new Rng(1). Evaluation never drops. */
  rng?: RandomSource;
}

export type LossReduction = "mean" | "sum-over-time";
export const LOSS_REDUCTIONS: readonly LossReduction[] = ["mean", "sum-over-time"];

export interface StepResult {
  /** Mean loss over the counted rows of the batch (averaged over updates for TBPTT). */
  loss: number;
  /** Global gradient norm before clipping, of the last update. */
  gradNorm: number;
  /** Whether norm clipping fired (on any update of this step). */
  clipped: boolean;
  /** Number of optimiser updates made (1, or one per TBPTT window). */
  updates: number;
  /** Final states, detached (copies): hand them to the next batch to carry state across. */
  state: Vec[][];
}

export class Trainer implements BatchEvaluator {
  updates = 0;
  clipEvents = 0;
  /** The dropout masks' source in training; null when the model has no dropout. */
  private readonly random: RandomSource | null;
  /** dL/dOut of a many-to-many step, reused from step to step. */
  private readonly ws: Workspace;
  constructor(readonly model: Network, readonly opts: TrainerOptions) {
    const tb = opts.tbptt;
    if (tb) {
      // k2 < k1 would leave steps out of every loss; k1 < 1 would never end a window.
      check(Number.isInteger(tb.k1) && tb.k1 >= 1, "tbptt.k1", "an integer >= 1", tb.k1);
      check(Number.isInteger(tb.k2) && tb.k2 >= tb.k1, "tbptt.k2", `an integer >= k1 (${tb.k1})`, tb.k2);
      if (model.config.bidirectional) throw new RecurrentError("tbptt: a bidirectional model reads each sequence whole (its reverse direction starts at the last step); train it with full BPTT");
    }
    this.random = model.config.dropout > 0 ? opts.rng ?? new Rng(1) : null;
    this.ws = new Workspace(model.dtype);
    const reduction = opts.lossReduction ?? "mean";
    check(LOSS_REDUCTIONS.includes(reduction), "lossReduction", LOSS_REDUCTIONS.join(" or "), reduction);
    // A many-to-one loss has one step per sequence: there is no sum over time to take.
    if (reduction === "sum-over-time" && opts.manyToOne) throw new RecurrentError("lossReduction: \"sum-over-time\" needs a loss at every step (many-to-many), not many-to-one");
  }

  /** Loss and, when `grad`, gradients (added into model.grads) over one batch from state0. */
  lossAndBackward(batch: Batch, state0: Vec[][] | null, grad: boolean, countFrom = 0): { loss: number; state: Vec[][] } {
    const m = this.model;
    // Σ_t mean_b = (counted steps) × the mean over every counted (t, b), when no step is padded:
    // the loss's gradient is formed that many times larger.
    const sumOverTime = grad && this.opts.lossReduction === "sum-over-time";
    if (sumOverTime && batch.mask) throw new RecurrentError("lossReduction: \"sum-over-time\" is defined for unpadded batches (language-model chunks); this batch has a mask");
    // Training (grad) drops with fresh masks from the run's source; evaluation never does.
    const r = forwardLoss(m, batch, this.opts, { state0, dropout: grad ? this.random : null, grad, countFrom,
      gradScale: sumOverTime ? batch.T - countFrom : 1,
      into: grad && !this.opts.manyToOne ? this.ws.get("dOut", batch.T * batch.B * m.outputSize) : undefined });
    if (r.summary) {
      if (grad) m.backwardSummary(r.dOut!, null, { inputGrad: false });
      return { loss: r.loss, state: detach(r.state) };
    }
    const state = detach(r.state);
    if (grad) m.backward(r.dOut!, null, { inputGrad: false });
    return { loss: r.loss, state };
  }

  /** One training step on a batch: full BPTT (one update) or TBPTT (one update per window). */
  trainStep(batch: Batch, state0: Vec[][] | null = null): StepResult {
    const tb = this.opts.tbptt;
    if (!tb || tb.k1 >= batch.T && tb.k2 >= batch.T) return this.update(batch, state0, 0);
    if (this.opts.manyToOne) throw new RecurrentError("tbptt: truncated BPTT needs a loss at every step (many-to-many), not many-to-one");
    // Windows end every k1 steps; each runs from k2 steps back and counts the loss of its last k1.
    let carried = state0, carriedAt = 0, total = 0, n = 0, clipped = false, last: StepResult | null = null;
    for (let prevEnd = 0, end = Math.min(tb.k1, batch.T); prevEnd < batch.T; prevEnd = end, end = Math.min(end + tb.k1, batch.T)) {
      const start = Math.max(0, end - tb.k2);
      if (carriedAt < start) {
        // Advance the carried state to the window's start, without gradient.
        const gap = slice(batch, carriedAt, start);
        carried = this.model.forward(gap.x, gap.T, gap.B, { state0: carried, mask: gap.mask, teacher: gap.teacher, dropout: this.random }).state
          .map((s) => s.map((v) => v.slice()));
        carriedAt = start;
      }
      const r = this.update(slice(batch, start, end), carried, prevEnd - start);
      total += r.loss; n++; clipped ||= r.clipped; last = r;
      // k1 = k2: the next window starts where this one ended, so hand its state on; not to a
      // shorter last window, which starts k2 steps before T, i.e. before this window's end.
      if (tb.k1 === tb.k2 && end + tb.k1 <= batch.T) { carried = r.state; carriedAt = end; }
    }
    return { ...last!, loss: total / n, clipped, updates: n };
  }

  /** Loss over a batch without gradients or updates. */
  evaluate(batch: Batch, state0: Vec[][] | null = null): { loss: number; state: Vec[][] } {
    return this.lossAndBackward(batch, state0, false);
  }

  private update(batch: Batch, state0: Vec[][] | null, countFrom: number): StepResult {
    const m = this.model;
    m.zeroGrads();
    const { loss, state } = this.lossAndBackward(batch, state0, true, countFrom);
    if (!Number.isFinite(loss)) {
      // Bad data first (named by argument and index), then a diverging run.
      const bad = firstNonFinite(batch.x), badY = batch.targets instanceof Int32Array ? -1 : firstNonFinite(batch.targets as ArrayLike<number>);
      if (bad >= 0) throw new RecurrentError(`trainStep: batch.x[${bad}]: expected a finite number, got ${batch.x[bad]}`);
      if (badY >= 0) throw new RecurrentError(`trainStep: batch.targets[${badY}]: expected a finite number, got ${(batch.targets as ArrayLike<number>)[badY]}`);
      throw new DivergenceError(`training: loss is ${loss} at update ${this.updates + 1}; stopped (lower --lr or set --clip)`);
    }
    if (this.opts.clipValue) clipByValue(m.grads, this.opts.clipValue);
    const { norm, clipped } = this.opts.clipNorm ? clipByGlobalNorm(m.grads, this.opts.clipNorm) : { norm: globalNorm(m.grads), clipped: false };
    if (!Number.isFinite(norm)) {
      const t = m.tensors.find((e) => firstNonFinite(m.grads.subarray(e.offset, e.offset + e.size)) >= 0);
      throw new DivergenceError(`training: gradient norm is ${norm} at update ${this.updates + 1}${t ? ` (first non-finite gradient: ${t.name})` : ""}; stopped (lower --lr or set --clip)`);
    }
    if (clipped) this.clipEvents++;
    this.opts.optimizer.step(m.params, m.grads, this.opts.lr?.(this.updates));
    this.updates++;
    return { loss, gradNorm: norm, clipped, updates: 1, state };
  }
}

/** The index of the first NaN or ±Infinity, or -1. */
function firstNonFinite(v: ArrayLike<number>): number {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return i;
  return -1;
}

/** Steps [from, to) of a many-to-many batch, as views. */
export function slice(batch: Batch, from: number, to: number): Batch {
  const { B } = batch, I = batch.x.length / (batch.T * B);
  const perRow = batch.targets.length / (batch.T * B);
  const O = batch.teacher ? batch.teacher.length / (batch.T * B) : 0;
  return {
    x: batch.x.subarray(from * B * I, to * B * I), T: to - from, B,
    targets: targetsRange(batch.targets, from * B * perRow, to * B * perRow),
    mask: batch.mask ? batch.mask.subarray(from * B, to * B) : null,
    teacher: batch.teacher ? batch.teacher.subarray(from * B * O, to * B * O) : null,
  };
}
