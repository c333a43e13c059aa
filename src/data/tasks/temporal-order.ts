// The temporal-order problem (Hochreiter & Schmidhuber 1997, Experiment 6a), in the
// length-scaled form of Martens & Sutskever (2011) that Pascanu, Mikolov & Bengio (2013,
// "On the difficulty of training recurrent neural networks") use: one-hot inputs over 8
// symbols a, b, c, d, X, Y, B, E (I = 8). Step 0 is B and step T - 1 is E; every other step
// is one of a..d, except at t1 ∈ [T/10, 2T/10) and t2 ∈ [5T/10, 6T/10), which hold X or Y.
// The class at the end is the ordered pair: XX → 0, XY → 1, YX → 2, YY → 3 (the paper's
// Q, R, S, U). Correct: argmax of the last output is the class. Baseline: chance, 1/4, and
// cross-entropy ln 4.
import type { Task, TaskBatch, GenerateOptions } from "./types.ts";
import { argmax, checkGenerate, checkPredictions } from "./types.ts";
import { zeros } from "../../tensor/types.ts";

export const TO_SYMBOLS = ["a", "b", "c", "d", "X", "Y", "B", "E"] as const;

/** The ranges of the two relevant positions for length T: [lo, hi) each. */
export function temporalOrderRanges(T: number): [[number, number], [number, number]] {
  const r = (a: number, b: number): [number, number] => {
    const lo = Math.max(1, Math.floor((a * T) / 10));
    return [lo, Math.max(lo + 1, Math.floor((b * T) / 10))];
  };
  return [r(1, 2), r(5, 6)];
}

export const temporalOrder: Task = {
  name: "temporal-order",
  source: "Hochreiter & Schmidhuber (1997) Experiment 6a; Pascanu, Mikolov & Bengio (2013), ICML, after Martens & Sutskever (2011)",
  inputSize: 8, outputSize: 4, targetKind: "class-last", minLength: 10,
  steps: (length) => length,
  generate(opts: GenerateOptions): TaskBatch {
    const { T, B, dtype } = checkGenerate(this, opts);
    const I = 8, rng = opts.rng;
    const x = zeros(T * B * I, dtype), target = zeros(B, dtype);
    const [[a1, b1], [a2, b2]] = temporalOrderRanges(T);
    for (let b = 0; b < B; b++) {
      const t1 = a1 + rng.int(b1 - a1), t2 = a2 + rng.int(b2 - a2);
      const s1 = rng.int(2), s2 = rng.int(2);
      for (let t = 0; t < T; t++) {
        let sym: number;
        if (t === 0) sym = 6;
        else if (t === T - 1) sym = 7;
        else if (t === t1) sym = 4 + s1;
        else if (t === t2) sym = 4 + s2;
        else sym = rng.int(4);
        x[(t * B + b) * I + sym] = 1;
      }
      target[b] = 2 * s1 + s2;
    }
    return { task: "temporal-order", T, B, I, O: 4, x, target, targetKind: "class-last" };
  },
  score(pred, batch) {
    checkPredictions(pred, batch);
    let correct = 0;
    for (let b = 0; b < batch.B; b++) if (argmax(pred, b * 4, 4) === batch.target[b]) correct++;
    return { correct, total: batch.B, accuracy: correct / batch.B };
  },
  baseline: () => ({ loss: Math.log(4), lossName: "cross-entropy", predictor: "uniform over the 4 classes" }),
};
