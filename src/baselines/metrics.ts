// Scores for models and baselines: forecast errors (MAE, RMSE, MASE), classification
// (accuracy, confusion matrix) and language-model unit conversions (nats, bits, perplexity).
// Pure (no node: imports). Not losses for training: those live in src/train.
import { check } from "../errors.ts";
import { checkWith } from "../data/problem.ts";

function checkPair(pred: ArrayLike<number>, actual: ArrayLike<number>, where: string): void {
  checkWith(pred.length === actual.length && pred.length > 0, where, `predictions and actuals of the same non-zero length`, `${pred.length} and ${actual.length}`);
}

/** Mean absolute error. */
export function mae(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkPair(pred, actual, "mae");
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += Math.abs(pred[i] - actual[i]);
  return s / pred.length;
}

/** Root mean squared error. */
export function rmse(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkPair(pred, actual, "rmse");
  let s = 0;
  for (let i = 0; i < pred.length; i++) { const d = pred[i] - actual[i]; s += d * d; }
  return Math.sqrt(s / pred.length);
}

/** In-sample MAE of the (seasonal, lag m) naive forecast on the training series: the scale
 * of MASE (Hyndman & Koehler 2006). */
export function naiveScale(train: ArrayLike<number>, m = 1): number {
  checkWith(train.length > m, "MASE scale", `a training series longer than the lag ${m}`, `${train.length} steps`);
  let s = 0;
  for (let t = m; t < train.length; t++) s += Math.abs(train[t] - train[t - m]);
  return s / (train.length - m);
}

/** Mean absolute scaled error: MAE / in-sample naive MAE of the training part. Below 1: better
 * than the one-step naive forecast was in training. Infinite for a constant training series. */
export function mase(pred: ArrayLike<number>, actual: ArrayLike<number>, train: ArrayLike<number>, m = 1): number {
  const scale = naiveScale(train, m);
  const e = mae(pred, actual);
  return scale > 0 ? e / scale : e === 0 ? 0 : Infinity;
}

/** Share of equal labels. */
export function accuracy(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkPair(pred, actual, "accuracy");
  let hit = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === actual[i]) hit++;
  return hit / pred.length;
}

/** K × K counts: row = actual class, column = predicted class (scikit-learn's layout). */
export function confusionMatrix(pred: ArrayLike<number>, actual: ArrayLike<number>, K: number): number[][] {
  checkPair(pred, actual, "confusion matrix");
  const m = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let i = 0; i < pred.length; i++) {
    const a = actual[i], p = pred[i];
    checkWith(Number.isInteger(a) && a >= 0 && a < K && Number.isInteger(p) && p >= 0 && p < K, "confusion matrix", `class indices in [0, ${K})`, `${a} and ${p}`);
    m[a][p]++;
  }
  return m;
}

/** Index of the largest score in each row of scores (B, K). */
export function argmaxRows(scores: ArrayLike<number>, K: number): Int32Array {
  const B = scores.length / K;
  check(Number.isInteger(B), "argmax", `a length divisible by ${K}`, scores.length);
  const out = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (scores[b * K + k] > scores[b * K + best]) best = k;
    out[b] = best;
  }
  return out;
}

/** Cross-entropy per token in nats → bits per token (bits per character for char models). */
export function natsToBits(nats: number): number { return nats / Math.LN2; }

/** Cross-entropy per token in nats → perplexity exp(nats). */
export function perplexity(nats: number): number { return Math.exp(nats); }

/** Perplexity → nats per token. */
export function perplexityToNats(ppl: number): number { return Math.log(ppl); }

/** The three language-model figures from the mean cross-entropy per token in nats. */
export function lmScores(nats: number): { nats: number; bits: number; perplexity: number } {
  return { nats, bits: natsToBits(nats), perplexity: perplexity(nats) };
}
