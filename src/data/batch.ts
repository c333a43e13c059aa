// What training reads: one batch, and the batches of an epoch. The data layer makes them
// (./datasets.ts, ./batches.ts) and the training layer consumes them (src/train/trainer.ts,
// fit.ts), so the types live here, below both, and train re-exports them.
//
// Batches are time-major: x (T, B, I); targets per row n = t·B + b for many-to-many
// ((T·B) class indices or (T·B, O) values), per sequence for many-to-one ((B) or (B, O)).
import type { Rng } from "../rand.ts";
import type { Vec } from "../tensor/types.ts";

/** One batch. */
export interface Batch {
  x: Vec; T: number; B: number;
  targets: ArrayLike<number>;
  /** (T, B) 1 = real step; null when every sequence has length T. */
  mask?: Uint8Array | null;
  /** (B) lengths (many-to-one picks step lengths[b] − 1); derived from mask when absent. */
  lengths?: ArrayLike<number> | null;
  /** (T, B, O) previous-step targets for Jordan teacher forcing. */
  teacher?: Vec | null;
}

/** Targets [from, to): a view of typed-array targets, a copy of plain-array ones. */
export function targetsRange(targets: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  const t: ArrayLike<number> & { subarray?(from: number, to: number): ArrayLike<number> } = targets;
  return t.subarray ? t.subarray(from, to) : Array.prototype.slice.call(targets, from, to);
}

/** A copy of a batch's targets, of the same kind (an Int32Array of classes stays one). */
export function copyTargets(targets: ArrayLike<number>): ArrayLike<number> {
  const t: ArrayLike<number> & { slice?(): ArrayLike<number> } = targets;
  return t.slice ? t.slice() : Array.from(targets);
}

/** What fit() trains on: the batches of an epoch, in an order drawn from the run's Rng. */
export interface TrainData {
  /** Batches in one epoch. */
  readonly batchesPerEpoch: number;
  /** Draws this epoch's order from `rng` (called at each epoch's start, before batch(i));
   *  absent: the same order every epoch. */
  startEpoch?(rng: Rng): void;
  /** Batch i of the current epoch. */
  batch(i: number): Batch;
  /** The state carries from batch to batch within an epoch (streams cut into chunks). */
  readonly carry?: boolean;
  /** The loss is on each sequence's last real step only (classification, forecasts). */
  readonly manyToOne?: boolean;
  /** Units of work in a batch, for throughput (default: T·B tokens, or B sequences when many-to-one). */
  units?(b: Batch): number;
}
