// Language-model tasks (charlm, wordlm): a text tokenised by characters or PTB-style words,
// split 90/10 by position (or given as separate validation/test files, as PTB is), batched as
// B parallel streams cut into chunks of --seq steps, with the hidden state carried from chunk
// to chunk (truncated BPTT; Zaremba et al. 2014). Inputs are token ids through an embedding
// (--embedding E, the default for words) or one-hot over the vocabulary (characters).
// Not here: sampling (commands/generate.ts) or the training loop (./loop.ts).
import type { Network } from "../../model/network.ts";
import { readTextFile } from "../../node/text-file.ts";
import { prepareText, type TextData } from "../../data/prepare-text.ts";
import { LmBatches } from "../../data/lm-batches.ts";
import { chunkBatch } from "../../data/batches.ts";
import { Vocab } from "../../data/vocab.ts";
import { lmScores } from "../../baselines/metrics.ts";
import type { BatchEvaluator } from "../../train/batch-loss.ts";
import type { Vec } from "../../tensor/types.ts";
import type { Evaluation, TrainProblem } from "./problem.ts";
import type { TrainOptions } from "../options/train-options.ts";
import { basename } from "node:path";
import { checkWith } from "../../data/problem.ts";

export type LmRecord = { kind: "charlm" | "wordlm"; vocab: ReturnType<Vocab["toJSON"]>; seq: number; separate: boolean; val: number; test: number };

/** Reads and splits the text of a language-model run (vocabulary reused when given). */
export function loadText(o: Pick<TrainOptions, "task" | "text" | "validText" | "testText" | "val" | "test" | "maxVocab">, vocab?: Vocab): TextData {
  const level = o.task === "wordlm" ? "word" : "char";
  return prepareText(readTextFile(o.text!, "--text"), {
    level, vocab, where: `--text ${basename(o.text!)}`,
    valText: o.validText !== undefined ? readTextFile(o.validText, "--valid-text") : undefined,
    testText: o.testText !== undefined ? readTextFile(o.testText, "--test-text") : undefined,
    val: o.val, test: o.test, maxVocab: o.maxVocab ?? (level === "word" ? 10000 : undefined),
  });
}

/**
 * Mean cross-entropy per token (nats) of the model over a whole token stream, as B streams in
 * chunks of T with the state carried: every token but each stream's last is predicted once.
 * `onChunk(done, chunks)` is called after each chunk (a progress display).
 */
export function streamLoss(model: Network, scorer: BatchEvaluator, ids: Int32Array, V: number, T: number, maxB = 16, onChunk?: (done: number, chunks: number) => void): number {
  const B = Math.max(1, Math.min(maxB, Math.floor(ids.length / (T + 1))));
  const Tuse = ids.length >= B * (T + 1) ? T : Math.max(1, Math.floor(ids.length / B) - 1);
  const batches = new LmBatches(ids, B, Tuse, { where: "evaluation text" });
  let state: Vec[][] | null = null, total = 0, count = 0, done = 0;
  for (const chunk of batches) {
    const r = scorer.evaluate(chunkBatch(chunk, V, model.config.embedding > 0, model.dtype), state);
    total += r.loss * chunk.T * chunk.B; count += chunk.T * chunk.B;
    state = r.state;
    onChunk?.(++done, batches.length);
  }
  return total / count;
}

export function lmEvaluation(nats: number, tokens: number): Evaluation {
  const s = lmScores(nats);
  return { loss: nats, metrics: { bits: s.bits, perplexity: s.perplexity, tokens } };
}

export function lmProblem(o: TrainOptions, saved?: Vocab): TrainProblem<LmRecord> {
  const data = loadText(o, saved);
  const V = data.vocab.size;
  const batches = new LmBatches(data.train, o.batch, o.seq, { where: "training text" });
  checkWith(data.val.length >= 2, `--text ${basename(o.text!)}`, "a validation part of at least 2 tokens (raise --val or give --valid-text)", `${data.val.length}`);
  const unitName = o.task === "charlm" ? "chars" : "words";
  const record: LmRecord = {
    kind: o.task as "charlm" | "wordlm", vocab: data.vocab.toJSON(), seq: o.seq, separate: o.validText !== undefined,
    val: o.val ?? 0.1, test: o.test ?? 0,
  };
  return {
    task: o.task,
    describe: `${basename(o.text!)}: ${data.train.length.toLocaleString("en-US")} training / ${data.val.length.toLocaleString("en-US")} validation ${unitName}` +
      (data.test.length ? ` / ${data.test.length.toLocaleString("en-US")} test` : "") + `, vocabulary ${V}`,
    model: { input: V, output: V, outputActivation: "softmax", embedding: o.embedding ?? 0 },
    loss: "ce", manyToOne: false, unit: "tok", carry: true,
    batchesPerEpoch: batches.length,
    startEpoch: () => { /* streams are read in order: the carried state needs it */ },
    batch: (i) => chunkBatch(batches.chunk(i), V, (o.embedding ?? 0) > 0, "float32"),
    units: (b) => b.T * b.B,
    validate: (model, scorer, onProgress) => lmEvaluation(streamLoss(model, scorer, data.val, V, o.seq, 16, onProgress), data.val.length),
    record,
  };
}
