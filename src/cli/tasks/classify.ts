// The sequence-classification task: long-format sequences and labels (the layout of
// ../shared/data/sequence_classification), a seeded stratified split (80/20 by default),
// padded batches with masks, and the class read at each sequence's last real step
// (many-to-one, softmax cross-entropy). Scores: accuracy and a confusion matrix.
import type { Network } from "../../model/network.ts";
import { basename } from "node:path";
import { readClassifyFiles } from "../../node/sequences-file.ts";
import type { ClassifyData } from "../../data/prepare-classify.ts";
import { LabelMap } from "../../data/label-map.ts";
import { classifyBatch, epochOrder, sliceBatches } from "../../data/batches.ts";
import { accuracy, argmaxRows, confusionMatrix } from "../../baselines/metrics.ts";
import { sequenceOutputs } from "../../train/readout.ts";
import type { BatchEvaluator } from "../../train/batch-loss.ts";
import { zeros } from "../../tensor/types.ts";
import { softmaxRows } from "../../tensor/ops.ts";
import { padBatch } from "../../data/padding.ts";
import type { SequenceSteps } from "../../data/sequences.ts";
import { checkWith } from "../../data/problem.ts";
import type { Rng } from "../../rand.ts";
import type { Evaluation, TrainProblem } from "./problem.ts";
import type { TrainOptions } from "../options/train-options.ts";

/** What a classifier's config.json keeps of its task; `labelColumn` only when training read
 * the classes from a column not called "label". */
export type ClassifyRecord = { kind: "classify"; features: string[]; labels: string[]; val: number; test: number; seed: number; labelColumn?: string };

/** The class column of the labels file (--label-column): given, else the model's, else "label". */
export interface LabelColumnOption { labelColumn?: string }

export function loadClassify(o: Pick<TrainOptions, "sequences" | "labels" | "features" | "val" | "test" | "seed"> & LabelColumnOption, saved?: ClassifyRecord): ClassifyData {
  const data = readClassifyFiles(o.sequences!, o.labels!, {
    features: saved ? saved.features : o.features, val: saved ? saved.val : o.val ?? 0.2, test: saved ? saved.test : o.test ?? 0, seed: saved ? saved.seed : o.seed,
    label: o.labelColumn ?? saved?.labelColumn,
  });
  if (saved) {
    const want = LabelMap.fromJSON({ labels: saved.labels }, "model labels");
    checkWith(data.labels.labels.join("\u0000") === want.labels.join("\u0000"), `--labels ${basename(o.labels!)}`,
      `the model's classes ${want.labels.map((l) => JSON.stringify(l)).join(", ")}`, data.labels.labels.map((l) => JSON.stringify(l)).join(", "));
  }
  return data;
}

export interface ClassScores { loss: number; accuracy: number; confusion: number[][]; count: number; majority: number }

/** Loss, accuracy and confusion matrix over the sequences `items` (batches of 64);
 * `onBatch(done, items)` after each batch with the sequences scored so far. */
export function classifyScores(model: Network, scorer: BatchEvaluator, data: ClassifyData, items: number[], onBatch?: (done: number, of: number) => void): ClassScores {
  checkWith(items.length > 0, "evaluation", "at least one sequence", "none");
  const K = data.labels.size, pred: number[] = [], actual: number[] = [];
  let total = 0;
  for (let i0 = 0; i0 < items.length; i0 += 64) {
    const b = classifyBatch(data, items.slice(i0, i0 + 64), model.dtype);
    const last = sequenceOutputs(model, b.x, b.T, b.B, { mask: b.mask, lengths: b.lengths });
    pred.push(...argmaxRows(last, K)); actual.push(...b.labels);
    total += scorer.evaluate(b).loss * b.B;
    onBatch?.(Math.min(i0 + 64, items.length), items.length);
  }
  const counts = new Array<number>(K).fill(0);
  for (const i of items) counts[data.sequences[i].label]++;
  return { loss: total / items.length, accuracy: accuracy(pred, actual), confusion: confusionMatrix(pred, actual, K), count: items.length, majority: Math.max(...counts) / items.length };
}

export interface ClassPrediction { id: string; label: string; probabilities: number[] }

/** Each sequence's class: the softmax of the model's output at its last real step, the most
 * likely class named from `classes` (batches of 64; `onBatch(done, of)` after each). */
export function predictClasses(model: Network, classes: readonly string[], seqs: SequenceSteps["sequences"], onBatch?: (done: number, of: number) => void): ClassPrediction[] {
  const K = classes.length, I = model.config.input, out: ClassPrediction[] = [];
  checkWith(model.outputSize === K, "model", `an output per class (${K})`, `${model.outputSize} outputs`);
  for (let i0 = 0; i0 < seqs.length; i0 += 64) {
    const part = seqs.slice(i0, i0 + 64);
    const b = padBatch(part.map((s) => ({ ...s, label: 0 })), I, model.dtype);
    const last = sequenceOutputs(model, b.x, b.T, b.B, { mask: b.mask, lengths: b.lengths });
    softmaxRows(last, last, 0, b.B, K);
    const best = argmaxRows(last, K);
    part.forEach((s, j) => out.push({ id: s.id, label: classes[best[j]], probabilities: Array.from(last.subarray(j * K, (j + 1) * K)) }));
    onBatch?.(out.length, seqs.length);
  }
  return out;
}

export function classifyProblem(o: TrainOptions): TrainProblem<ClassifyRecord> {
  const data = loadClassify(o);
  const K = data.labels.size, train = data.split.train;
  let batches: Int32Array[] = [];
  const { labelColumn } = o;   // train's --label-column
  const record: ClassifyRecord = { kind: "classify", features: data.features, labels: [...data.labels.labels], val: o.val ?? 0.2, test: o.test ?? 0, seed: o.seed, ...(labelColumn ? { labelColumn } : {}) };
  return {
    task: "classify",
    describe: `${basename(o.sequences!)}: ${data.sequences.length} sequences (${data.split.train.length} training / ${data.split.val.length} validation` +
      `${data.split.test.length ? ` / ${data.split.test.length} test` : ""}), ${data.features.length} features, ${K} classes, longest ${data.maxLength} steps`,
    model: { input: data.features.length, output: K, outputActivation: "softmax" },
    loss: "ce", manyToOne: true, unit: "seq", carry: false,
    batchesPerEpoch: Math.ceil(train.length / o.batch),
    startEpoch: (rng: Rng) => { batches = sliceBatches(epochOrder(train.length, rng), o.batch); },
    batch: (i) => classifyBatch(data, Array.from(batches[i], (k) => train[k])),
    units: (b) => b.B,
    validate: (model, scorer, onProgress) => {
      const s = classifyScores(model, scorer, data, data.split.val, onProgress);
      return { loss: s.loss, metrics: { accuracy: s.accuracy } };
    },
    record,
  };
}
