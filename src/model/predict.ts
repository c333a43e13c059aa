// Inference in PyTorch's conventions, for `recurrent predict` and the interop tests: takes
// batch-first input (B, T, I) and per-layer initial states (L, B, ·), runs the model, applies
// the head's activation (softmax/sigmoid) and returns batch-first outputs (B, T, O or H) and
// final states (L, B, ·); a Jordan network trained with teacher forcing runs free (feeds back
// its own output). A bidirectional model takes and gives states as PyTorch does, (L·2, B, H)
// with row 2l + d for layer l and direction d (0 forward, 1 reverse), and outputs (B, T, 2H)
// without a head. Also validates the JSON a user hands to `predict`. Not a trainer,
// no file I/O. Browser-safe.
import { RecurrentError } from "../errors.ts";
import { Network } from "./network.ts";
import { sigmoid, softmaxRows } from "../tensor/ops.ts";
import { zeros, type Vec } from "../tensor/types.ts";

/** Names of the carried states per cell, as PyTorch calls them (Jordan: s and the fed-back y). */
export function stateNames(model: Network): string[] {
  return [...model.cell.states];
}

export interface Prediction {
  B: number; T: number;
  /** (B, T, outputSize), after the output activation. */
  output: Float64Array;
  outputSize: number;
  /** Per state name: (rows, B, size), rows = L, or L·2 (layers × directions) when bidirectional. */
  states: Record<string, { data: Float64Array; size: number; rows: number }>;
}

/** Directions per layer: 2 for a bidirectional model, else 1. */
const directions = (model: Network) => (model.config.bidirectional ? 2 : 1);

/** x: (B, T, I) batch-first; state0[name]: (L, B, size) or absent for zeros. */
export function predictBatchFirst(model: Network, x: ArrayLike<number>, B: number, T: number,
  state0: Record<string, ArrayLike<number>> = {}): Prediction {
  model = model.freeRunning();   // teacher forcing is a training mode
  const I = model.inputWidth, L = model.layers.length, names = stateNames(model);
  const xt = zeros(T * B * I, model.dtype); // (T, B, I), or (T, B) token ids with an embedding
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let i = 0; i < I; i++) xt[(t * B + b) * I + i] = x[(b * T + t) * I + i]!;
  // A layer's states are its directions' in turn (LSTM bidirectional: h→, c→, h←, c←); the
  // state of layer l and direction d is row l·D + d of its (L·D, B, ·) tensor.
  const D = directions(model), K = names.length;
  const s0: Vec[][] = model.layers.map((layer, l) => layer.stateSizes.map((n, j) => {
    const v = zeros(B * n, model.dtype), src = state0[names[j % K]!], row = l * D + Math.floor(j / K);
    if (src) for (let i = 0; i < B * n; i++) v[i] = src[row * B * n + i]!;
    return v;
  }));
  const { out, state } = model.forward(xt, T, B, { state0: s0, inference: true });
  const O = model.outputSize;
  const y = Float64Array.from(out); // (T, B, O) logits (or h)
  // The head (or a Jordan network's top layer, which holds its own output layer) emits logits.
  const act = model.head || model.cell.feedsBackOutput ? model.config.outputActivation : "linear";
  if (act === "softmax") softmaxRows(y, y, 0, T * B, O);
  if (act === "sigmoid") for (let i = 0; i < y.length; i++) y[i] = sigmoid(y[i]!);
  const output = new Float64Array(B * T * O);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let o = 0; o < O; o++) output[(b * T + t) * O + o] = y[(t * B + b) * O + o]!;
  const states: Prediction["states"] = {};
  names.forEach((name, k) => {
    const size = model.layers[0]!.stateSizes[k]!;
    const sizes = model.layers.map((layer) => layer.stateSizes[k]!);
    if (sizes.some((n) => n !== size)) return; // stacked Jordan layers differ in size: skip
    const data = new Float64Array(L * D * B * size);
    state.forEach((s, l) => { for (let d = 0; d < D; d++) data.set(s[d * K + k]!, (l * D + d) * B * size); });
    states[name] = { data, size, rows: L * D };
  });
  return { B, T, output, outputSize: O, states };
}

/** Flattens a rectangular nested number array, checking its shape; `dims` fixes known sizes. */
export function flattenNested(v: unknown, rank: number, where: string, dims: Array<number | null>,
  names = rank === 3 ? ["B", "T", "I"] : ["B", "T"]): { data: Float64Array; shape: number[] } {
  const shape: number[] = [];
  let probe: unknown = v;
  for (let d = 0; d < rank; d++) {
    if (!Array.isArray(probe) || probe.length === 0) throw new RecurrentError(`${where}: expected a non-empty ${rank}-D array (${names.join(" × ")}), got ${d === 0 ? (Array.isArray(v) ? "an empty array" : typeof v) : "a shorter nesting"}`);
    shape.push(probe.length);
    probe = probe[0];
  }
  dims.forEach((want, d) => {
    if (want !== null && shape[d] !== want) throw new RecurrentError(`${where}: dimension ${d} (${names[d]}): expected ${want}, got ${shape[d]}`);
  });
  const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
  let k = 0;
  const walk = (a: unknown, d: number, path: string): void => {
    if (d === rank) {
      if (typeof a !== "number" || !Number.isFinite(a)) throw new RecurrentError(`${where}${path}: expected a finite number, got ${JSON.stringify(a)}`);
      data[k++] = a;
      return;
    }
    if (!Array.isArray(a) || a.length !== shape[d]) throw new RecurrentError(`${where}${path}: expected an array of ${shape[d]} (rectangular), got ${Array.isArray(a) ? `${a.length} entries` : JSON.stringify(a)}`);
    a.forEach((e, i) => walk(e, d + 1, `${path}[${i}]`));
  };
  walk(v, 0, "");
  return { data, shape };
}

/** Validates `{"x": B×T×I, "h0"?, "c0"?}` (or `"tokens": B×T` ids, one-hot encoded) for a model. */
export function parsePredictInput(json: unknown, model: Network, source: string): { x: Float64Array; B: number; T: number; state0: Record<string, Float64Array> } {
  if (!json || typeof json !== "object" || Array.isArray(json)) throw new RecurrentError(`${source}: expected a JSON object {"x": [[[...]]]}, got ${Array.isArray(json) ? "an array" : typeof json}`);
  const o = json as Record<string, unknown>;
  const I = model.config.input, L = model.layers.length, names = stateNames(model);
  const allowed = new Set(["x", "tokens", ...names.map((n) => `${n}0`)]);
  for (const k of Object.keys(o)) if (!allowed.has(k)) throw new RecurrentError(`${source}: unexpected key ${JSON.stringify(k)}; expected ${[...allowed].join(", ")}`);
  let x: Float64Array, B: number, T: number;
  if (o.tokens !== undefined) {
    if (o.x !== undefined) throw new RecurrentError(`${source}: expected "x" or "tokens", got both`);
    const t = flattenNested(o.tokens, 2, `${source}: tokens`, [null, null]);
    [B, T] = t.shape as [number, number];
    const embedded = model.config.embedding > 0;   // ids go in as they are; otherwise one-hot
    x = new Float64Array(B * T * (embedded ? 1 : I));
    t.data.forEach((id, k) => {
      if (!Number.isInteger(id) || id < 0 || id >= I) throw new RecurrentError(`${source}: tokens: expected integer ids in [0, ${I}), got ${id}`);
      if (embedded) x[k] = id; else x[k * I + id] = 1;
    });
  } else {
    if (model.config.embedding > 0) throw new RecurrentError(`${source}: expected "tokens" (B × T ids) for a model with an embedding, got ${o.x === undefined ? "neither" : "\"x\""}`);
    if (o.x === undefined) throw new RecurrentError(`${source}: missing "x" (B × T × ${I}, batch-first)`);
    const t = flattenNested(o.x, 3, `${source}: x`, [null, null, I]);
    [B, T] = t.shape as [number, number];
    x = t.data;
  }
  const state0: Record<string, Float64Array> = {};
  names.forEach((n, k) => {
    const v = o[`${n}0`];
    if (v === undefined) return;
    const size = model.layers[0]!.stateSizes[k]!, D = directions(model);
    state0[n] = flattenNested(v, 3, `${source}: ${n}0`, [L * D, B, size], [D > 1 ? "L·2 (layers × directions)" : "L", "B", n.toUpperCase()]).data;
  });
  return { x, B, T, state0 };
}

/** Nested arrays (d0, d1, d2) from a flat row-major array. */
export function nest3(a: ArrayLike<number>, d0: number, d1: number, d2: number): number[][][] {
  return Array.from({ length: d0 }, (_, i) => Array.from({ length: d1 }, (_, j) =>
    Array.from({ length: d2 }, (_, k) => a[(i * d1 + j) * d2 + k]!)));
}
