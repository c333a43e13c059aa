// The copy-memory problem as Arjovsky, Shah & Bengio (2016, section 4.1) define it (after
// Hochreiter & Schmidhuber 1997): categories a0..a9, one-hot inputs (I = 10). A sequence has
// T + 20 steps: 10 symbols drawn uniformly with replacement from a1..a8, then T - 1 blanks
// (a0), the delimiter a9, then 10 blanks. The target is a0 for the first T + 10 steps, then
// the 10 symbols in order. Outputs are the 9 classes a0..a8 (a9 is never a target).
// --length is the gap T, so a batch has T + 20 steps. Baseline: blanks, then uniform over
// a1..a8 for the last 10 steps: mean cross-entropy 10·ln 8 / (T + 20). Correct: the paper
// reports cross-entropy only; we count a sequence correct when the argmax is right at every
// step, and stepAccuracy over the 10 recall steps (the blanks are trivially predictable).
import type { Task, TaskBatch, GenerateOptions } from "./types.ts";
import { argmax, checkGenerate, checkPredictions } from "./types.ts";
import { zeros } from "../../tensor/types.ts";

export const COPY_SYMBOLS = 10;   // symbols to remember
export const COPY_ALPHABET = 8;   // a1..a8

export const copy: Task = {
  name: "copy",
  source: "Arjovsky, Shah & Bengio (2016), Unitary evolution RNNs, ICML, section 4.1",
  inputSize: 10, outputSize: 9, targetKind: "class-every-step", minLength: 1,
  steps: (length) => length + 20,
  generate(opts: GenerateOptions): TaskBatch {
    const { T: gap, B, dtype } = checkGenerate(this, opts);
    const T = gap + 20, I = 10;
    const x = zeros(T * B * I, dtype), target = zeros(T * B, dtype), mask = zeros(T * B, dtype);
    mask.fill(1);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        let sym = 0;
        if (t < COPY_SYMBOLS) sym = 1 + opts.rng.int(COPY_ALPHABET);
        else if (t === gap + 9) sym = 9;  // after 10 symbols and T - 1 blanks
        x[(t * B + b) * I + sym] = 1;
      }
      for (let k = 0; k < COPY_SYMBOLS; k++) {
        const src = argmax(x, (k * B + b) * I, I);
        target[(gap + 10 + k) * B + b] = src;
      }
    }
    return { task: "copy", T, B, I, O: 9, x, target, targetKind: "class-every-step", mask };
  },
  score(pred, batch) {
    checkPredictions(pred, batch);
    const { T, B, O } = batch;
    let correct = 0, recallRight = 0;
    for (let b = 0; b < B; b++) {
      let all = true;
      for (let t = 0; t < T; t++) {
        const ok = argmax(pred, (t * B + b) * O, O) === batch.target[t * B + b];
        if (!ok) all = false;
        if (ok && t >= T - COPY_SYMBOLS) recallRight++;
      }
      if (all) correct++;
    }
    return { correct, total: B, accuracy: correct / B, stepAccuracy: recallRight / (B * COPY_SYMBOLS) };
  },
  baseline: (length) => ({
    loss: (COPY_SYMBOLS * Math.log(COPY_ALPHABET)) / (length + 20),
    lossName: "cross-entropy",
    predictor: "a0 for T + 10 steps, then uniform over a1..a8",
  }),
};
