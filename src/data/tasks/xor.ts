// Elman's temporal XOR (Elman 1990, "Finding structure in time", section "Exclusive-OR"):
// a stream of bit triples (a, b, a XOR b), presented one bit per step; the target at each
// step is the next bit. Only every third bit (the XOR bit) is predictable, so only those
// steps are scored; the loss covers every step, as in Elman's training. Sequences start at
// a triple boundary. Not the static XOR problem.
import type { Task, TaskBatch, GenerateOptions } from "./types.ts";
import { checkGenerate, checkPredictions } from "./types.ts";
import { zeros } from "../../tensor/types.ts";

/** True when the target at step t (the bit at t + 1) is an XOR bit. */
export function xorPredictable(t: number): boolean { return (t + 1) % 3 === 2; }

export const xor: Task = {
  name: "xor",
  source: "Elman (1990), Finding structure in time, Cognitive Science 14",
  inputSize: 1, outputSize: 1, targetKind: "binary-every-step", minLength: 3,
  steps: (length) => length,
  generate(opts: GenerateOptions): TaskBatch {
    const { T, B, dtype } = checkGenerate(this, opts);
    const x = zeros(T * B, dtype), target = zeros(T * B, dtype), mask = zeros(T * B, dtype);
    const bits = new Uint8Array(T + 1);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i <= T; i++) {
        bits[i] = i % 3 === 2 ? bits[i - 1] ^ bits[i - 2] : opts.rng.int(2);
      }
      for (let t = 0; t < T; t++) {
        x[t * B + b] = bits[t];
        target[t * B + b] = bits[t + 1];
        mask[t * B + b] = 1;
      }
    }
    return { task: "xor", T, B, I: 1, O: 1, x, target, targetKind: "binary-every-step", mask };
  },
  // Correct: the output is on the right side of 0.5 at every XOR step of the sequence.
  score(pred, batch) {
    checkPredictions(pred, batch);
    const { T, B } = batch;
    let correct = 0, steps = 0, stepsRight = 0;
    for (let b = 0; b < B; b++) {
      let all = true;
      for (let t = 0; t < T; t++) {
        if (!xorPredictable(t)) continue;
        const i = t * B + b, ok = (pred[i] > 0.5) === (batch.target[i] > 0.5);
        steps++; if (ok) stepsRight++; else all = false;
      }
      if (all) correct++;
    }
    return { correct, total: B, accuracy: correct / B, stepAccuracy: stepsRight / steps };
  },
  // Constant 0.5 everywhere: MSE 1/4 (and binary cross-entropy ln 2) per step.
  baseline: () => ({ loss: Math.LN2, lossName: "binary-cross-entropy", predictor: "0.5 at every step" }),
};
