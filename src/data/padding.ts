// Variable-length sequences padded into one time-major batch: inputs (T, B, I) with zeros
// after each sequence's end, a (T, B) mask (1 = a real step, 0 = padding) for masked losses,
// the lengths (B) for many-to-one heads that read the last real step, and the labels (B).
// T is the longest sequence in the batch, not in the data set, so short batches stay cheap.
// Pure (no node: imports).
import { check } from "../errors.ts";
import type { LabeledSequence } from "./sequences.ts";

export interface PaddedBatch {
  T: number; B: number; I: number;
  /** (T, B, I) time-major, zero-padded. */
  x: Float32Array | Float64Array;
  /** (T, B): 1 where step t of sequence b exists (the trainer's Batch.mask). */
  mask: Uint8Array;
  /** (B) */
  lengths: Int32Array;
  /** (B) class indices. */
  labels: Int32Array;
}

export function padBatch(seqs: readonly LabeledSequence[], I: number, dtype: "float32" | "float64" = "float32"): PaddedBatch {
  check(seqs.length > 0, "batch", "at least one sequence", 0);
  const B = seqs.length;
  let T = 0;
  for (const s of seqs) {
    check(s.length > 0 && s.values.length === s.length * I, `sequence ${s.id}`, `${I} values per step`, s.values.length);
    T = Math.max(T, s.length);
  }
  const Arr = dtype === "float64" ? Float64Array : Float32Array;
  const x = new Arr(T * B * I), mask = new Uint8Array(T * B);
  const lengths = new Int32Array(B), labels = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const s = seqs[b];
    lengths[b] = s.length; labels[b] = s.label;
    for (let t = 0; t < s.length; t++) {
      mask[t * B + b] = 1;
      const dst = (t * B + b) * I, src = t * I;
      for (let i = 0; i < I; i++) x[dst + i] = s.values[src + i];
    }
  }
  return { T, B, I, x, mask, lengths, labels };
}
