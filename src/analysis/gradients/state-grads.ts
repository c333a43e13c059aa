// Per-step gradients of the loss wrt every layer's recurrent state, ‖∂L/∂h_t‖, measured
// through the public Sequence API only (the cells' hot loops stay untouched).
//
// How: run the batch one step at a time to keep every state h_t (t = 0 is the initial
// state), then walk backwards one step at a time: forward step t from h_t, and backward with
// that step's loss gradient dOut_t and dStateT = g_{t+1}. The dState0 it returns is
//   g_t = ∂L/∂h_t = (∂h_{t+1}/∂h_t)ᵀ g_{t+1} + ∂L_t/∂h_t,
// which is exactly the gradient BPTT carries back into step t. 2T one-step passes: O(T).
// For a loss at the last step only (the long-lag tasks) g_t is the whole ∂L_T/∂h_t whose
// decay with the lag T − t is the vanishing-gradient picture (Pascanu et al. 2013, §2).
//
// Not here: Jacobian products (jacobian.ts), weight spectra (spectral.ts), plotting.
// The model's parameter gradients are left as they were found.
import { CELL_NAMES, cellSpec } from "../../cells/registry.ts";
import { check } from "../../errors.ts";
import type { Sequence } from "../../train/sequence.ts";
import { forwardLoss, type LossSpec } from "../../train/batch-loss.ts";
import type { Batch } from "../../train/trainer.ts";
import type { Vec } from "../../tensor/types.ts";

/** How the batch's loss is formed, as the Trainer forms it. */
export type { LossSpec };

/** The names of each built-in cell's carried states, in Layer.stateSizes order (the cells'
 *  descriptions' `states`; a registered cell's are cellSpec(name).states). */
export const STATE_NAMES: Record<string, string[]> = Object.fromEntries(CELL_NAMES.map((n) => [n, [...cellSpec(n).states]]));

export interface StateGradientSeries {
  layer: number;
  cell: string;
  /** "h", "c" (LSTM), "s", "y" (Jordan). */
  state: string;
  /** norms[t] = ‖∂L/∂state_t‖ (Frobenius over the (B, n) batch of states entering step t), t = 0..T−1. */
  norms: number[];
}

export interface StateGradients {
  T: number; B: number;
  /** The batch's loss (mean, as the Trainer reports it). */
  loss: number;
  series: StateGradientSeries[];
}

/** The states entering every step: states[t][layer][k] (B, n_k), t = 0..T (copies). */
export function statesOverTime(model: Sequence, batch: Batch, state0: Vec[][] | null = null): Vec[][][] {
  const { T, B } = batch, I = model.config.input, O = model.outputSize;
  const states: Vec[][][] = [copyState(state0 ?? model.zeroState(B))];
  for (let t = 0; t < T; t++) {
    const r = model.forward(batch.x.subarray(t * B * I, (t + 1) * B * I), 1, B, {
      state0: states[t],
      mask: batch.mask ? batch.mask.subarray(t * B, (t + 1) * B) : null,
      teacher: batch.teacher ? batch.teacher.subarray(t * B * O, (t + 1) * B * O) : null,
    });
    states.push(copyState(r.state));
  }
  return states;
}

/** The loss and dL/dOut (T, B, O) of a whole-sequence forward: the Trainer's own (forwardLoss). */
export function lossGradient(model: Sequence, batch: Batch, spec: LossSpec, state0: Vec[][] | null = null): { loss: number; dOut: Vec } {
  const { loss, dOut, summary } = forwardLoss(model, batch, spec, { state0, grad: true });
  // A bidirectional many-to-one model reads each sequence whole: no per-step gradient to walk.
  check(!summary, "gradients: model", "a unidirectional model for a last-step loss (per-step state gradients)", "a bidirectional one");
  return { loss, dOut: dOut! };
}

/**
 * ‖∂L/∂state_t‖ for every step t = 0..T−1, every layer and every carried state.
 * `dOut` overrides the loss gradient (T, B, O), e.g. a unit vector at one step.
 */
export function stateGradients(model: Sequence, batch: Batch, spec: LossSpec,
  opts: { state0?: Vec[][] | null; dOut?: Vec } = {}): StateGradients & { grads: Vec[][][] } {
  const { T, B } = batch, I = model.config.input, O = model.outputSize;
  check(batch.x.length === T * B * I, "gradients: batch x", `length T·B·I = ${T * B * I}`, batch.x.length);
  const saved = model.grads.slice();
  try {
    const state0 = opts.state0 ?? null;
    let loss = NaN, dOut = opts.dOut;
    if (!dOut) ({ loss, dOut } = lossGradient(model, batch, spec, state0));
    check(dOut.length === T * B * O, "gradients: dOut", `length T·B·O = ${T * B * O}`, dOut.length);
    const states = statesOverTime(model, batch, state0);
    // grads[t][layer][k] = ∂L/∂state_t; the walk starts from zero gradient on the final state.
    const grads: Vec[][][] = new Array(T + 1);
    grads[T] = model.zeroState(B);
    for (let t = T - 1; t >= 0; t--) {
      model.forward(batch.x.subarray(t * B * I, (t + 1) * B * I), 1, B, {
        state0: states[t],
        mask: batch.mask ? batch.mask.subarray(t * B, (t + 1) * B) : null,
        teacher: batch.teacher ? batch.teacher.subarray(t * B * O, (t + 1) * B * O) : null,
      });
      grads[t] = copyState(model.backward(dOut.subarray(t * B * O, (t + 1) * B * O), grads[t + 1]).dState0);
    }
    const series: StateGradientSeries[] = [];
    model.layers.forEach((layer, l) => {
      const names = cellSpec(layer.kind).states;
      layer.stateSizes.forEach((_, k) => {
        series.push({ layer: l, cell: layer.kind, state: names[k], norms: Array.from({ length: T }, (_, t) => norm(grads[t][l][k])) });
      });
    });
    return { T, B, loss, series, grads };
  } finally {
    model.grads.set(saved);
  }
}

function copyState(s: Vec[][]): Vec[][] { return s.map((layer) => layer.map((v) => v.slice())); }

/** ‖v‖₂, accumulated in float64. */
export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
