// Sequence classification data ready for training: the long-format tables parsed and
// joined (sequences.ts), a seeded stratified split, and batches padded to the longest
// sequence in each batch (batches.ts classifyBatch). Pure (no node: imports).
import { type Table } from "./csv.ts";
import { type SequenceColumns, type SequenceDataset, parseSequences } from "./sequences.ts";
import { type StratifiedSplit, stratifiedSplit } from "./stratified.ts";

export interface ClassifyOptions extends SequenceColumns {
  /** Validation and test shares (defaults 0.2 and 0). */
  val?: number;
  test?: number;
  seed?: number;
}

export interface ClassifyData extends SequenceDataset {
  split: StratifiedSplit;
  /** Longest sequence (steps). */
  maxLength: number;
}

export function prepareClassify(sequences: Table, labels: Table, opts: ClassifyOptions = {}): ClassifyData {
  const ds = parseSequences(sequences, labels, opts);
  const split = stratifiedSplit(ds.sequences.map((s) => s.label), opts.val ?? 0.2, opts.test ?? 0, opts.seed ?? 0);
  // A loop, not Math.max(...lengths): spreading 10^5 sequences' lengths overflows the stack.
  const maxLength = ds.sequences.reduce((m, s) => Math.max(m, s.length), 0);
  return { ...ds, split, maxLength };
}
