// A batch's loss as training forms it: one forward over the batch, then the loss on every
// step (many-to-many, padding and TBPTT's already-counted steps masked out) or on each
// sequence's last real step (many-to-one; a bidirectional model reads both directions' summary,
// ./readout.ts), and with `grad` its gradient wrt the model's outputs. The Trainer backpropagates
// that gradient; evaluation (`evaluator`) and the gradient diagnostics
// (src/analysis/gradients/state-grads.ts) use the same function, so all three agree bit for bit.
// Not here: the per-row losses themselves (./loss.ts), backward, clipping or updates (./trainer.ts).
import { check } from "../errors.ts";
import type { Network } from "../model/network.ts";
import type { RandomSource } from "../model/dropout.ts";
import type { Batch } from "../data/batch.ts";
import { zeros, type Vec } from "../tensor/types.ts";
import { gatherLast, lossAndGrad, scatterLast, type LossKind } from "./loss.ts";

/** How a batch's loss is formed. */
export interface LossSpec {
  loss: LossKind;
  /** Loss on the last real step of each sequence only (classification, single forecasts). */
  manyToOne?: boolean;
}

export interface ForwardLoss {
  /** Mean loss over the counted rows. */
  loss: number;
  /** The forward's final states: the model's buffers, valid until its next forward (copy to keep). */
  state: Vec[][];
  /** With `grad`: dL/dOut, (T, B, O), or (B, O) for a summary forward; else null. */
  dOut: Vec | null;
  /** The forward was forwardSummary (bidirectional many-to-one): reverse it with backwardSummary. */
  summary: boolean;
}

export interface ForwardLossOptions {
  state0?: Vec[][] | null;
  /** Training: dropout masks from this source; absent or null: nothing dropped. */
  dropout?: RandomSource | null;
  /** Also form dL/dOut. */
  grad?: boolean;
  /** TBPTT: steps before this one only carry gradient back; their loss was counted before. */
  countFrom?: number;
  /** Many-to-many: dL/dOut is of this multiple of the (mean) loss (Trainer's sum over time). */
  gradScale?: number;
  /** Many-to-many with `grad`: where to write dL/dOut, T·B·outputSize numbers, overwritten (the
   *  Trainer reuses one across steps: a fresh one each step is garbage the size of the logits,
   *  16 MB for a PTB batch, which the fast backend's heap gets back only when V8 collects it). */
  into?: Vec;
}

/** One forward over `batch` and its loss (and dL/dOut with `grad`), as training forms them. */
export function forwardLoss(model: Network, batch: Batch, spec: LossSpec, opts: ForwardLossOptions = {}): ForwardLoss {
  const { T, B } = batch, O = model.outputSize, grad = opts.grad ?? false, countFrom = opts.countFrom ?? 0;
  const state0 = opts.state0 ?? null, dropout = opts.dropout ?? null;
  const inference = !grad;   // nothing to backpropagate: keep no cache (the same bits)
  const lengths = spec.manyToOne ? manyToOneLengths(batch) : null;
  if (spec.manyToOne && model.config.bidirectional) {
    // Both directions' whole reading of each sequence (./readout.ts).
    const { out, state } = model.forwardSummary(batch.x, T, B, { state0, mask: batch.mask, dropout, inference });
    const dOut = grad ? zeros(B * O, model.dtype) : null;
    return { loss: lossAndGrad(spec.loss, out, B, O, batch.targets, null, dOut), state, dOut, summary: true };
  }
  const { out, state } = model.forward(batch.x, T, B, { state0, mask: batch.mask, teacher: batch.teacher, dropout, inference });
  if (spec.manyToOne) {
    const last = zeros(B * O, model.dtype), dLast = grad ? zeros(B * O, model.dtype) : null;
    const loss = lossAndGrad(spec.loss, gatherLast(out, T, B, O, lengths, last), B, O, batch.targets, null, dLast);
    return { loss, state, dOut: grad ? scatterLast(dLast!, T, B, O, lengths, zeros(T * B * O, model.dtype)) : null, summary: false };
  }
  let rowMask = batch.mask ?? null;
  if (countFrom > 0) {
    rowMask = new Uint8Array(T * B).map((_, k) => (k >= countFrom * B && (!batch.mask || batch.mask[k]) ? 1 : 0));
  }
  if (grad && opts.into) check(opts.into.length === T * B * O, "forwardLoss: into", `T·B·O = ${T * B * O} numbers`, opts.into.length);
  const dOut = grad ? opts.into ?? zeros(T * B * O, model.dtype) : null;
  return { loss: lossAndGrad(spec.loss, out, T * B, O, batch.targets, rowMask, dOut, opts.gradScale ?? 1), state, dOut, summary: false };
}

/** Scores batches without learning from them: a Trainer is one, and so is `evaluator(...)`. */
export interface BatchEvaluator {
  /** Loss over a batch from state0, nothing dropped; the final states detached (copies). */
  evaluate(batch: Batch, state0?: Vec[][] | null): { loss: number; state: Vec[][] };
}

/** Evaluation alone, for a model that is not being trained (no optimiser, no Trainer). */
export function evaluator(model: Network, spec: LossSpec): BatchEvaluator {
  return { evaluate: (batch, state0 = null) => evaluateBatch(model, batch, spec, state0) };
}

/** Loss over a batch without gradients or dropout; the final states detached. */
export function evaluateBatch(model: Network, batch: Batch, spec: LossSpec, state0: Vec[][] | null = null): { loss: number; state: Vec[][] } {
  const r = forwardLoss(model, batch, spec, { state0 });
  return { loss: r.loss, state: detach(r.state) };
}

/** Copies of states, cut from the model's buffers (and from the graph: no gradient flows back). */
export function detach(state: Vec[][]): Vec[][] { return state.map((s) => s.map((v) => v.slice())); }

/**
 * The lengths (B) many-to-one reads each sequence at (step length − 1): `lengths`, else from
 * the mask, else null (all T). Each must be in [1, T]: a sequence with no real step has no
 * output to read, and an index outside the batch would read another sequence's.
 */
export function manyToOneLengths(batch: Batch): ArrayLike<number> | null {
  const { T, B } = batch;
  const lengths = batch.lengths ?? (batch.mask ? lengthsFromMask(batch.mask, T, B) : null);
  if (!lengths) return null;
  check(lengths.length === B, "many-to-one lengths", `B = ${B} values`, lengths.length);
  for (let b = 0; b < B; b++) {
    check(Number.isInteger(lengths[b]) && lengths[b] >= 1 && lengths[b] <= T, `many-to-one lengths[${b}]`,
      `an integer in [1, T = ${T}] (sequence ${b} needs a real step)`, lengths[b]);
  }
  return lengths;
}

/** Lengths (B) of masked sequences: one past the last real step of each. */
export function lengthsFromMask(mask: Uint8Array, T: number, B: number): number[] {
  return Array.from({ length: B }, (_, b) => {
    let len = 0;
    for (let t = 0; t < T; t++) if (mask[t * B + b]) len = t + 1;
    return len;
  });
}
