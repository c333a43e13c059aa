// Data for fit(), from plain JavaScript values: the three everyday shapes of recurrent-network
// data, each split into training and validation parts and batched the way the command line
// batches them (it uses the same pieces: lm-batches.ts, windows.ts, padding.ts).
//   textData      a text → character or word ids, B parallel streams cut into chunks of T
//                 steps, the state carried from chunk to chunk (truncated BPTT);
//   windowData    a series (N) or (N, F) → sliding windows of W steps predicting the next H
//                 values of column 0, scaled on the training part, shuffled each epoch;
//   sequenceData  sequences of any lengths (each (L, I)) with one label or target each →
//                 padded batches with masks, shuffled each epoch (many-to-one).
// Splits are by position: the last `validation` share is the validation part (for series that
// is the future, as forecasting needs). Pure (no node: imports): runs in browsers too.
import { check, checkInt, RecurrentError } from "../errors.ts";
import { checkWith } from "./problem.ts";
import type { Rng } from "../rand.ts";
import type { Batch } from "./batch.ts";
import type { TrainData } from "./batch.ts";
import { Vocab } from "./vocab.ts";
import { prepareText, type TextLevel } from "./prepare-text.ts";
import { LmBatches } from "./lm-batches.ts";
import { chunkBatch, epochOrder, sliceBatches, forecastBatch } from "./batches.ts";
import { StandardScaler } from "./scaler.ts";
import { windowsIn, type WindowSet } from "./windows.ts";
import { padBatch } from "./padding.ts";
import type { LabeledSequence } from "./sequences.ts";
import { encodeChars, decodeChars } from "./char-tokenizer.ts";
import { decodeWords, encodeWords, splitWords } from "./word-tokenizer.ts";

type DType = "float32" | "float64";

export interface TextDataOptions {
  /** Characters (default) or PTB-style words (with <unk> and <eos>). */
  level?: TextLevel;
  /** Streams per batch (default 32). */
  batchSize?: number;
  /** Steps per chunk: how far back truncated BPTT reaches (default 64). */
  seqLength?: number;
  /** Validation share at the end of the text (default 0.1; 0: none). */
  validation?: number;
  /** A vocabulary to reuse (a saved model's); default: built from the text. */
  vocab?: Vocab;
  /** Word vocabulary cap (default 10 000). */
  maxVocab?: number;
  /** Feed token ids (a model with an embedding) instead of one-hot vectors (default false). */
  ids?: boolean;
}

export interface TextDatasets {
  train: TrainData;
  validation: TrainData | null;
  vocab: Vocab;
  /** Token ids of a string, and a string of ids, in this vocabulary. */
  encode(text: string): Int32Array;
  decode(ids: ArrayLike<number>): string;
}

/** A text as language-model data: next-token prediction over parallel streams (see above). */
export function textData(text: string, options: TextDataOptions = {}): TextDatasets {
  check(typeof text === "string", "textData: text", "a string", text);
  const level = options.level ?? "char";
  const B = options.batchSize ?? 32, T = options.seqLength ?? 64, val = options.validation ?? 0.1;
  checkInt(B, "textData: batchSize"); checkInt(T, "textData: seqLength");
  check(val >= 0 && val < 1, "textData: validation", "a share in [0, 1)", val);
  const d = prepareText(text, { level, val, vocab: options.vocab, maxVocab: options.maxVocab ?? (level === "word" ? 10000 : undefined), where: "textData: text" });
  const V = d.vocab.size, ids = Boolean(options.ids);
  const stream = (batches: LmBatches): TrainData => ({
    batchesPerEpoch: batches.length, carry: true,
    batch: (i) => chunkBatch(batches.chunk(i), V, ids),
    units: (b) => b.T * b.B,
  });
  const train = stream(new LmBatches(d.train, B, T, { where: "textData: training part" }));
  const validation = val > 0 && d.val.length >= 2 ? stream(LmBatches.forEval(d.val, B, T, "textData: validation part")) : null;
  const vocab = d.vocab;
  return {
    train, validation, vocab,
    encode: (s) => level === "char" ? encodeChars(vocab, s, { unknown: "skip" }) : encodeWords(vocab, splitWords(s)),
    decode: (x) => level === "char" ? decodeChars(vocab, x) : decodeWords(vocab, x),
  };
}

export interface WindowDataOptions {
  /** Input steps per window (required). */
  window: number;
  /** Steps predicted at once (default 1): the model's output size. */
  horizon?: number;
  /** Windows per batch (default 32). */
  batchSize?: number;
  /** Validation share at the end of the series (default 0.15; 0: none). */
  validation?: number;
  /** Inputs and targets relative to each window's last value (NLinear; default false). */
  relative?: boolean;
  /** Column names, for the scaler (default "x0", "x1", ...). */
  columns?: string[];
}

export interface WindowDatasets {
  train: TrainData;
  validation: TrainData | null;
  /** Fitted on the training part; column 0 is the target. */
  scaler: StandardScaler;
  /** Columns per step (the model's input size) and steps predicted (its output size). */
  features: number;
  horizon: number;
}

/** A series (N values, or N rows of F values with the target first) as forecasting windows. */
export function windowData(series: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>, options: WindowDataOptions): WindowDatasets {
  check(typeof options === "object" && options !== null, "windowData: options", "an object with at least {window}", options);
  const rows = toRows(series, "windowData: series");
  const n = rows.length, F = rows[0].length;
  const W = options.window, H = options.horizon ?? 1, B = options.batchSize ?? 32, val = options.validation ?? 0.15;
  checkInt(W, "windowData: window"); checkInt(H, "windowData: horizon"); checkInt(B, "windowData: batchSize");
  check(val >= 0 && val < 1, "windowData: validation", "a share in [0, 1)", val);
  const trainEnd = val > 0 ? Math.round(n * (1 - val)) : n;
  const flat = new Float64Array(n * F);
  rows.forEach((r, t) => { for (let k = 0; k < F; k++) flat[t * F + k] = r[k]; });
  const columns = options.columns ?? Array.from({ length: F }, (_, k) => `x${k}`);
  check(columns.length === F, "windowData: columns", `${F} names`, columns.length);
  const scaler = StandardScaler.fit(columns, flat, trainEnd, "windowData: series");
  const scaled = scaler.transform(flat, "windowData: series");
  const relative = Boolean(options.relative);
  const part = (set: WindowSet, shuffle: boolean): TrainData => {
    let batches = sliceBatches(epochOrder(set.starts.length, null), B);
    return {
      batchesPerEpoch: batches.length, manyToOne: true,
      startEpoch: shuffle ? (rng: Rng) => { batches = sliceBatches(epochOrder(set.starts.length, rng), B); } : undefined,
      batch: (i) => forecastBatch(scaled, n, set, batches[i]),
      units: (b) => b.B,
    };
  };
  const train = part(windowsIn(0, trainEnd, W, H, F, "windowData: training part", relative), true);
  const validation = trainEnd < n ? part(windowsIn(trainEnd, n, W, H, F, "windowData: validation part", relative), false) : null;
  return { train, validation, scaler, features: F, horizon: H };
}

export interface SequenceDataOptions {
  /** Sequences per batch (default 16). */
  batchSize?: number;
  /** Validation share: the last sequences (default 0.2; 0: none). */
  validation?: number;
}

export interface SequenceDatasets {
  train: TrainData;
  validation: TrainData | null;
  /** Class names in id order (labels given as strings or numbers), or null for numeric targets. */
  classes: string[] | null;
  /** Features per step (the model's input size) and the model's output size. */
  features: number;
  outputs: number;
}

/**
 * Sequences of any lengths, each (L, I) as an array of steps, with one target each: a class
 * (string or integer: classification, softmax output, cross-entropy) or a vector of numbers
 * (regression, linear output, MSE). Padded per batch, with masks; the loss reads each
 * sequence's own last step.
 */
export function sequenceData(sequences: ReadonlyArray<ReadonlyArray<ArrayLike<number>>>, targets: ReadonlyArray<string | number | ArrayLike<number>>, options: SequenceDataOptions = {}): SequenceDatasets {
  check(Array.isArray(sequences) && sequences.length > 0, "sequenceData: sequences", "a non-empty array of sequences", sequences);
  check(Array.isArray(targets) && targets.length === sequences.length, "sequenceData: targets", `one per sequence (${sequences.length})`, Array.isArray(targets) ? targets.length : targets);
  const B = options.batchSize ?? 16, val = options.validation ?? 0.2;
  checkInt(B, "sequenceData: batchSize");
  check(val >= 0 && val < 1, "sequenceData: validation", "a share in [0, 1)", val);
  const I = (sequences[0][0] ?? []).length;
  const vectors = typeof targets[0] === "object";
  const classes = vectors ? null : [...new Set(targets.map(String))].sort((a, b) => (Number.isFinite(Number(a)) && Number.isFinite(Number(b)) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  const O = vectors ? (targets[0] as ArrayLike<number>).length : classes!.length;
  const seqs: LabeledSequence[] = sequences.map((s, i) => {
    const where = `sequenceData: sequences[${i}]`;
    checkWith(Array.isArray(s) && s.length > 0, where, "at least one step", Array.isArray(s) ? "none" : JSON.stringify(s));
    const values = new Float64Array(s.length * I);
    s.forEach((step, t) => {
      check(step.length === I, `${where}[${t}]`, `${I} features (as the first step of the first sequence)`, step.length);
      for (let k = 0; k < I; k++) {
        check(Number.isFinite(step[k]), `${where}[${t}][${k}]`, "a finite number", step[k]);
        values[t * I + k] = step[k];
      }
    });
    return { id: String(i), length: s.length, values, label: vectors ? 0 : classes!.indexOf(String(targets[i])) };
  });
  if (vectors) targets.forEach((y, i) => {
    check(typeof y === "object" && (y as ArrayLike<number>).length === O, `sequenceData: targets[${i}]`, `${O} numbers`, y);
    for (let k = 0; k < O; k++) check(Number.isFinite((y as ArrayLike<number>)[k]), `sequenceData: targets[${i}][${k}]`, "a finite number", (y as ArrayLike<number>)[k]);
  });
  if (!vectors) checkWith(classes!.length >= 2, "sequenceData: targets", "at least two classes", `only ${JSON.stringify(classes![0])}`);
  const nTrain = val > 0 ? Math.max(1, Math.round(seqs.length * (1 - val))) : seqs.length;
  const part = (from: number, to: number, shuffle: boolean): TrainData => {
    let batches = sliceBatches(epochOrder(to - from, null), B);
    const batch = (items: Int32Array, dtype: DType = "float32"): Batch => {
      const p = padBatch(Array.from(items, (i) => seqs[from + i]), I, dtype);
      if (!vectors) return { x: p.x, T: p.T, B: p.B, targets: p.labels, mask: p.mask, lengths: p.lengths };
      const y = new Float32Array(p.B * O);
      items.forEach((i, b) => { const t = targets[from + i] as ArrayLike<number>; for (let k = 0; k < O; k++) y[b * O + k] = t[k]; });
      return { x: p.x, T: p.T, B: p.B, targets: y, mask: p.mask, lengths: p.lengths };
    };
    return {
      batchesPerEpoch: batches.length, manyToOne: true,
      startEpoch: shuffle ? (rng: Rng) => { batches = sliceBatches(epochOrder(to - from, rng), B); } : undefined,
      batch: (i) => batch(batches[i]),
      units: (b) => b.B,
    };
  };
  return {
    train: part(0, nTrain, true), validation: nTrain < seqs.length ? part(nTrain, seqs.length, false) : null,
    classes, features: I, outputs: O,
  };
}

function toRows(series: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>, where: string): Array<ArrayLike<number>> {
  check(series !== null && typeof series === "object" && series.length > 0, where, "a non-empty array of numbers or of rows", series);
  const rows = typeof series[0] === "number" ? Array.from(series as ArrayLike<number>, (v) => [v]) : Array.from(series as ReadonlyArray<ArrayLike<number>>);
  const F = rows[0].length;
  rows.forEach((r, t) => {
    if (r.length !== F) throw new RecurrentError(`${where}[${t}]: expected ${F} values (as row 0), got ${r.length}`);
    for (let k = 0; k < F; k++) check(Number.isFinite(r[k]), `${where}[${t}]${F > 1 ? `[${k}]` : ""}`, "a finite number", r[k]);
  });
  return rows;
}
