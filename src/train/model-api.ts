// The Keras-like methods of a model (Network.fit, evaluate, predict, generate), as functions:
// each turns plain JavaScript arrays into the toolkit's batches (src/data/datasets.ts) and
// hands them to the one training loop (./fit.ts), the trainer's loss, or the step API.
// Every argument is checked, and bad input throws one RecurrentError line naming it.
// Pure (no node: imports).
import { check, checkInt } from "../errors.ts";
import { checkWith } from "../data/problem.ts";
import { Rng } from "../rand.ts";
import type { Network } from "../model/network.ts";
import { argmax, sampleTokens } from "../model/sample.ts";
import { zeros } from "../tensor/types.ts";
import { sequenceData } from "../data/datasets.ts";
import { evaluator } from "./batch-loss.ts";
import { sequenceOutputs } from "./readout.ts";
import { defaultLoss, evaluateData, fit, type Evaluation, type FitOptions, type History, type TrainData } from "./fit.ts";

/** Sequences (each an array of steps, each step an array of I numbers) with one target each:
 *  a class (string or integer) or a vector of O numbers. */
export interface SequenceArrays {
  x: ReadonlyArray<ReadonlyArray<ArrayLike<number>>>;
  y: ReadonlyArray<string | number | ArrayLike<number>>;
}

export type FitData = TrainData | SequenceArrays;

export interface ModelFitOptions extends Omit<FitOptions, "validationData"> {
  /** With {x, y} arrays: sequences per batch (default 32). */
  batchSize?: number;
  /** With {x, y} arrays: the share of the last sequences kept for validation (default 0). */
  validationSplit?: number;
  validationData?: FitOptions["validationData"] | SequenceArrays;
}

/** model.fit: trains on a TrainData (src/data/datasets.ts) or on {x, y} arrays. */
export async function fitModel(model: Network, data: FitData, options: ModelFitOptions = {}): Promise<History> {
  const { batchSize, validationSplit, validationData, ...rest } = options;
  let train: TrainData, validation: FitOptions["validationData"];
  if (isArrays(data)) {
    const d = arraysData(model, data, batchSize ?? 32, validationSplit ?? 0, "fit: data");
    train = d.train;
    validation = d.validation ?? undefined;
  } else {
    check(batchSize === undefined && validationSplit === undefined, "fit: batchSize", "none with a TrainData (its batches are made already; batchSize and validationSplit apply to {x, y} arrays)", batchSize ?? validationSplit);
    train = data;
  }
  if (validationData !== undefined) {
    validation = isArrays(validationData) ? arraysData(model, validationData, batchSize ?? 32, 0, "fit: validationData").train : validationData;
  }
  return fit(model, train, { ...rest, ...(validation ? { validationData: validation } : {}) });
}

/** model.evaluate: mean loss over every batch, with accuracy for classification (many-to-one, cross-entropy). */
export function evaluateModel(model: Network, data: FitData, options: { batchSize?: number } = {}): Evaluation {
  const d = isArrays(data) ? arraysData(model, data, options.batchSize ?? 32, 0, "evaluate: data").train : data;
  const loss = defaultLoss(model);
  const O = model.outputSize;
  let correct = 0, seen = 0;
  const ev = evaluateData(evaluator(model, { loss, manyToOne: Boolean(d.manyToOne) }), d, loss === "ce" && d.manyToOne ? (b) => {
    const last = sequenceOutputs(model, b.x, b.T, b.B, { mask: b.mask, lengths: b.lengths ?? null });
    for (let k = 0; k < b.B; k++, seen++) if (argmax(last, k * O, O) === b.targets[k]) correct++;
  } : undefined);
  return { loss: ev.loss, metrics: seen ? { accuracy: correct / seen } : {} };
}

/** model.predict: the output at each sequence's last step (B, O), or at every step when allSteps (B, L, O). */
export function predictModel(model: Network, sequences: SequenceArrays["x"], options: { allSteps?: boolean } = {}): number[][] | number[][][] {
  const I = model.config.embedding > 0 ? 1 : model.config.input, O = model.outputSize;
  check(Array.isArray(sequences) && sequences.length > 0, "predict: sequences", "a non-empty array of sequences (each an array of steps)", sequences);
  const out: Array<number[] | number[][]> = [];
  for (let i = 0; i < sequences.length; i++) {
    const s = sequences[i], where = `predict: sequences[${i}]`;
    checkWith(Array.isArray(s) && s.length > 0, where, "at least one step", Array.isArray(s) ? "none" : JSON.stringify(s));
    const T = s.length, x = zeros(T * I, model.dtype);
    s.forEach((step, t) => {
      check(step.length === I, `${where}[${t}]`, `${I} inputs (the model's input size)`, step.length);
      for (let k = 0; k < I; k++) { check(Number.isFinite(step[k]), `${where}[${t}][${k}]`, "a finite number", step[k]); x[t * I + k] = step[k]; }
    });
    if (!options.allSteps && model.config.bidirectional) { out.push(Array.from(sequenceOutputs(model, x, T, 1))); continue; }   // both directions' summary
    const y = model.freeRunning().forward(x, T, 1, { inference: true }).out;   // (T, 1, O)
    const row = (t: number) => Array.from(y.subarray(t * O, (t + 1) * O));
    out.push(options.allSteps ? Array.from({ length: T }, (_, t) => row(t)) : row(T - 1));
  }
  return out as number[][] | number[][][];
}

export interface GenerateOptions {
  /** Text to start from (at least one known token). */
  prompt: string;
  /** Tokens to generate (default 200). */
  length?: number;
  /** Softmax temperature (default 1; 0: always the most likely token). */
  temperature?: number;
  /** Draw among the k most likely tokens only (default: all). */
  topK?: number;
  /** Seed of the draws (default 1). */
  seed?: number;
}

/** model.generate: text from a next-token model, with the codec of its data (textData's). */
export function generateText(model: Network, codec: { encode(text: string): Int32Array; decode(ids: ArrayLike<number>): string }, options: GenerateOptions): string {
  check(typeof codec?.encode === "function" && typeof codec.decode === "function", "generate: codec", "an object with encode and decode (textData's result)", codec);
  check(typeof options?.prompt === "string", "generate: prompt", "a string", options?.prompt);
  const length = options.length ?? 200;
  checkInt(length, "generate: length", 0);
  const prompt = codec.encode(options.prompt);
  check(prompt.length > 0, "generate: prompt", "at least one token the vocabulary knows", JSON.stringify(options.prompt));
  const ids = sampleTokens(model, { prompt, length, temperature: options.temperature, topK: options.topK, rng: new Rng(options.seed ?? 1) });
  return codec.decode(ids);
}

function isArrays(d: unknown): d is SequenceArrays {
  return typeof d === "object" && d !== null && "x" in d && "y" in d && !("batch" in d);
}

function arraysData(model: Network, d: SequenceArrays, batchSize: number, validation: number, where: string) {
  const data = sequenceData(d.x, d.y, { batchSize, validation });
  const I = model.config.embedding > 0 ? 1 : model.config.input;
  check(data.features === I, `${where}.x`, `${I} features per step (the model's input size)`, data.features);
  checkWith(data.outputs === model.outputSize, `${where}.y`, `targets for ${model.outputSize} outputs (the model's output size)`, data.classes ? `${data.outputs} classes` : `${data.outputs} numbers per target`);
  return data;
}
