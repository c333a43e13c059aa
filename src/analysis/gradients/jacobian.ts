// Step Jacobians J_t = ∂state_{t+1}/∂state_t of one sequence of a batch, and the norms of
// their products ‖∂state_T/∂state_t‖ = ‖J_{T−1} ··· J_t‖₂ (Pascanu et al. 2013, eq. 5):
// the factor by which BPTT can stretch or shrink a gradient over the lag T − t.
//
// "state" is every carried vector of every layer, concatenated in layer order (N numbers:
// Elman/GRU H per layer, LSTM 2H for h and c, Jordan S + O for s and the fed-back y).
// One step's Jacobian costs one forward and one backward of a single step with a batch of N
// copies of the sequence's state: row k of the batch carries the unit vector e_k as dStateT,
// so its dState0 is row k of J. Cheap for N up to a few hundred.
//
// Not here: gradients of the loss (state-grads.ts); weight spectra (spectral.ts).
import { check } from "../../errors.ts";
import type { Sequence } from "../../train/sequence.ts";
import type { Batch } from "../../train/trainer.ts";
import { cellSpec } from "../../cells/registry.ts";
import { zeros, type Vec } from "../../tensor/types.ts";
import { maxSingularValue } from "./spectral.ts";
import { statesOverTime } from "./state-grads.ts";

/** Where each (layer, state) sits in the concatenated state vector. */
export interface StateBlock { layer: number; state: string; offset: number; size: number }

export function stateLayout(model: Sequence): { N: number; blocks: StateBlock[] } {
  const blocks: StateBlock[] = [];
  let N = 0;
  model.layers.forEach((layer, l) => layer.stateSizes.forEach((n, k) => {
    blocks.push({ layer: l, state: cellSpec(layer.kind).states[k], offset: N, size: n });
    N += n;
  }));
  return { N, blocks };
}

/**
 * J = ∂state_{t+1}/∂state_t (N, N) row-major, J[i][j] = ∂state_{t+1}[i]/∂state_t[j], for
 * sequence `b` of the batch, at the step from `state` (per layer, per state, (B, n) arrays)
 * with input x_t (B, I). Parameter gradients are left as they were found.
 */
export function stepJacobian(model: Sequence, state: Vec[][], xt: Vec, B: number, b: number,
  opts: { mask?: Uint8Array | null; teacher?: Vec | null } = {}): Float64Array {
  const { N, blocks } = stateLayout(model);
  const I = model.config.input, O = model.outputSize;
  check(b >= 0 && b < B, "stepJacobian: row", `an integer in [0, ${B})`, b);
  // N copies of sequence b: its state, input, mask and teacher row.
  const rep = (v: Vec, n: number): Vec => {
    const r = zeros(N * n, model.dtype);
    for (let k = 0; k < N; k++) r.set(v.subarray(b * n, (b + 1) * n), k * n);
    return r;
  };
  const state0 = model.layers.map((layer, l) => layer.stateSizes.map((n, k) => rep(state[l][k], n)));
  const mask = opts.mask ? new Uint8Array(N).fill(opts.mask[b]) : null;
  const teacher = opts.teacher ? rep(opts.teacher, O) : null;
  const saved = model.grads.slice();
  try {
    model.forward(rep(xt, I), 1, N, { state0, mask, teacher });
    // dStateT: row k is e_k over the concatenated state.
    const dStateT = model.layers.map((layer) => layer.stateSizes.map((n) => zeros(N * n, model.dtype)));
    for (const blk of blocks) for (let j = 0; j < blk.size; j++) dStateT[blk.layer][stateIndex(model, blk)][(blk.offset + j) * blk.size + j] = 1;
    const { dState0 } = model.backward(zeros(N * O, model.dtype), dStateT);
    const J = new Float64Array(N * N);
    for (const blk of blocks) {
      const g = dState0[blk.layer][stateIndex(model, blk)];       // (N, size): row k = e_kᵀ J restricted to this block
      for (let k = 0; k < N; k++) for (let j = 0; j < blk.size; j++) J[k * N + blk.offset + j] = g[k * blk.size + j];
    }
    return J;
  } finally {
    model.grads.set(saved);
  }
}

function stateIndex(model: Sequence, blk: StateBlock): number {
  return cellSpec(model.layers[blk.layer].kind).states.indexOf(blk.state);
}

export interface JacobianNorms {
  /** norms[t] = ‖∂state_T/∂state_t‖₂ over the whole concatenated state, t = 0..T−1 (lag T − t). */
  norms: number[];
  /** The same for each (layer, state) diagonal block, e.g. ‖∂h_T/∂h_t‖ and ‖∂c_T/∂c_t‖ of an LSTM. */
  blocks: Array<StateBlock & { norms: number[] }>;
  /** ‖J_t‖₂ of each single step. */
  stepNorms: number[];
}

/** Products of step Jacobians along sequence `b` of the batch, from zero (or given) initial states. */
export function jacobianNorms(model: Sequence, batch: Batch, opts: { row?: number; state0?: Vec[][] | null } = {}): JacobianNorms {
  const { T, B } = batch, b = opts.row ?? 0, I = model.config.input, O = model.outputSize;
  const { N, blocks } = stateLayout(model);
  const saved = model.grads.slice();
  const states = statesOverTime(model, batch, opts.state0 ?? null);
  model.grads.set(saved);
  let P = identity(N);                         // P = ∂state_T/∂state_{t+1}
  const norms: number[] = new Array(T), stepNorms: number[] = new Array(T);
  const blockNorms = blocks.map((blk) => ({ ...blk, norms: new Array<number>(T) }));
  for (let t = T - 1; t >= 0; t--) {
    const J = stepJacobian(model, states[t], batch.x.subarray(t * B * I, (t + 1) * B * I), B, b, {
      mask: batch.mask ? batch.mask.subarray(t * B, (t + 1) * B) : null,
      teacher: batch.teacher ? batch.teacher.subarray(t * B * O, (t + 1) * B * O) : null,
    });
    stepNorms[t] = maxSingularValue(J, N, N);
    P = matmul(P, J, N);                        // ∂state_T/∂state_t = P · J_t
    norms[t] = maxSingularValue(P, N, N);
    for (const bn of blockNorms) bn.norms[t] = maxSingularValue(subBlock(P, N, bn.offset, bn.size), bn.size, bn.size);
  }
  return { norms, blocks: blockNorms, stepNorms };
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}

/** (N, N) · (N, N), row-major, float64. */
function matmul(A: Float64Array, Bm: Float64Array, n: number): Float64Array {
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
    const a = A[i * n + k];
    if (a === 0) continue;
    for (let j = 0; j < n; j++) C[i * n + j] += a * Bm[k * n + j];
  }
  return C;
}

function subBlock(P: Float64Array, N: number, off: number, n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = P[(off + i) * N + off + j];
  return m;
}
