// The data side's batches in the trainer's `Batch` shape (src/train/trainer.ts), so a
// command's training loop is: for each batch of an epoch, trainer.step(toBatch(...)).
//   language models: one-hot x (T, B, V), targets (T·B) next-token ids, many-to-many;
//   forecasting:     x (W, B, F) scaled windows, targets (B, H), many-to-one with O = H
//                    (plus each window's offset, for prepare-forecast.ts toUnits);
//   classification:  x (T, B, I) padded, mask (T, B), lengths (B), targets (B) class ids.
// Epoch order is a seeded permutation, so a resumed run that restores the Rng state
// replays the same batches. Pure (no node: imports).
import type { Batch } from "./batch.ts";
import type { Rng } from "../rand.ts";
import { check, checkInt } from "../errors.ts";
import { type LmChunk, oneHot } from "./lm-batches.ts";
import { type WindowSet, gatherWindows } from "./windows.ts";
import type { SequenceDataset } from "./sequences.ts";
import { padBatch } from "./padding.ts";

type DType = "float32" | "float64";

/** A permutation of [0, n) from `rng` (the identity without one: evaluation order). */
export function epochOrder(n: number, rng: Rng | null): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (rng) rng.shuffle(order);
  return order;
}

/** Consecutive slices of B items of an order; the last may be smaller (never empty). */
export function sliceBatches(order: Int32Array, B: number): Int32Array[] {
  checkInt(B, "batch size");
  const out: Int32Array[] = [];
  for (let i = 0; i < order.length; i += B) out.push(order.subarray(i, Math.min(order.length, i + B)));
  return out;
}

/** A language-model chunk as a trainer batch: one-hot inputs over V tokens. */
export function lmBatch(chunk: LmChunk, V: number, dtype: DType = "float32"): Batch {
  const x = oneHot(chunk.x, V, dtype === "float64" ? new Float64Array(chunk.x.length * V) : new Float32Array(chunk.x.length * V));
  return { x, T: chunk.T, B: chunk.B, targets: chunk.y };
}

/** A language-model chunk as the model's input: token ids (a model with an embedding) or
 *  one-hot vectors (T, B, V). */
export function chunkBatch(chunk: LmChunk, V: number, embedded: boolean, dtype: DType = "float32"): Batch {
  if (!embedded) return lmBatch(chunk, V, dtype);
  return { x: dtype === "float64" ? Float64Array.from(chunk.x) : Float32Array.from(chunk.x), T: chunk.T, B: chunk.B, targets: chunk.y };
}

/** Windows number `items` (indices into set.starts) of a scaled series (N, F) as a batch. */
export function forecastBatch(scaled: ArrayLike<number>, n: number, set: WindowSet, items: ArrayLike<number>, dtype: DType = "float32"): Batch & { starts: Int32Array; offset: Float64Array } {
  const starts = new Int32Array(items.length);
  for (let i = 0; i < items.length; i++) {
    check(items[i] >= 0 && items[i] < set.starts.length, "window index", `an integer in [0, ${set.starts.length})`, items[i]);
    starts[i] = set.starts[items[i]];
  }
  const w = gatherWindows(scaled, n, set, starts, dtype);
  return { x: w.x, T: w.W, B: w.B, targets: w.y, starts, offset: w.offset };
}

/** Sequences number `items` of a data set, padded to the longest among them. */
export function classifyBatch(data: SequenceDataset, items: ArrayLike<number>, dtype: DType = "float32"): Batch & { labels: Int32Array; mask: Uint8Array; lengths: Int32Array } {
  const p = padBatch(Array.from(items, (i) => data.sequences[i]), data.features.length, dtype);
  return { x: p.x, T: p.T, B: p.B, targets: p.labels, mask: p.mask, lengths: p.lengths, labels: p.labels };
}
