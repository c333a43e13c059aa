// The temporal-order problems exactly as Hochreiter & Schmidhuber (1997, Experiments 6a and
// 6b) define them, variable lengths included. `temporal-order` (temporal-order.ts) is
// Pascanu et al.'s fixed-length form with other start and end symbols.
//   One-hot inputs over a, b, c, d, X, Y, B, E (I = 8). A sequence starts with E and ends
//   with the trigger symbol B; every other step is one of a..d, except the relevant steps,
//   which hold X or Y. Its length is drawn from [T, T + ⌊T/10⌋] (the paper: 100–110).
//   6a: two relevant steps, t1 ∈ [10, 20], t2 ∈ [50, 60]; 4 classes, XX → Q, XY → R,
//       YX → S, YY → U.
//   6b: three, t1 ∈ [10, 20], t2 ∈ [33, 43], t3 ∈ [66, 76]; 8 classes, XXX → Q, XXY → R,
//       XYX → S, XYY → U, YXX → V, YXY → A, YYX → B, YYY → C.
//   So the class index is the X/Y pattern read as a binary number, X = 0, first symbol most
//   significant. Positions count the start symbol E as step 0 (the paper does not say where
//   it counts from); ranges are inclusive and scale with T (the paper's at T = 100).
//   Correct (the paper): "the final error of all output units is below 0.3": with a softmax
//   head and a one-hot target, every |p_k − target_k| < 0.3, i.e. p_class > 0.7 (then every
//   other p_k < 0.3 too). `score` therefore takes logits (the Sequence model's outputs) and
//   applies the softmax itself; an argmax alone would be a looser criterion.
// The batch is padded to T + ⌊T/10⌋ steps after each sequence's trigger; mask (T, B) marks
// the real steps.
import type { Task, TaskBatch, GenerateOptions } from "./types.ts";
import { checkGenerate, checkPredictions } from "./types.ts";
import { zeros } from "../../tensor/types.ts";

export const TO1997_SYMBOLS = ["a", "b", "c", "d", "X", "Y", "B", "E"] as const;
const [SX, SB, SE] = [4, 6, 7];

/** The paper's relevant positions at T = 100, inclusive, per variant. */
const PAPER_RANGES: Record<"6a" | "6b", Array<[number, number]>> = {
  "6a": [[10, 20], [50, 60]],
  "6b": [[10, 20], [33, 43], [66, 76]],
};

/** The relevant positions' inclusive ranges [lo, hi] for minimal length T. */
export function temporalOrder1997Ranges(variant: "6a" | "6b", T: number): Array<[number, number]> {
  return PAPER_RANGES[variant].map(([lo, hi]) => [Math.max(1, Math.round((lo * T) / 100)), Math.round((hi * T) / 100)]);
}

/** softmax(logits)[k] at one row, k = 0..n−1, written into p. */
function softmaxRow(v: ArrayLike<number>, off: number, n: number, p: Float64Array): void {
  let m = -Infinity, s = 0;
  for (let k = 0; k < n; k++) m = Math.max(m, v[off + k]);
  for (let k = 0; k < n; k++) { p[k] = Math.exp(v[off + k] - m); s += p[k]; }
  for (let k = 0; k < n; k++) p[k] /= s;
}

function makeTask(variant: "6a" | "6b"): Task {
  const relevant = PAPER_RANGES[variant].length, classes = 2 ** relevant, name = `temporal-order-${variant}`;
  return {
    name,
    source: `Hochreiter & Schmidhuber (1997), Long short-term memory, Neural Computation 9(8), Experiment ${variant} (lengths T to T + T/10)`,
    inputSize: 8, outputSize: classes, targetKind: "class-last", minLength: 10,
    steps: (T) => T + Math.floor(T / 10),
    generate(opts: GenerateOptions): TaskBatch {
      const { T: minT, B, dtype } = checkGenerate(this, opts);
      const I = 8, rng = opts.rng, T = minT + Math.floor(minT / 10);
      const ranges = temporalOrder1997Ranges(variant, minT);
      const x = zeros(T * B * I, dtype), target = zeros(B, dtype), mask = zeros(T * B, dtype);
      for (let b = 0; b < B; b++) {
        const len = minT + rng.int(T - minT + 1);
        const at = ranges.map(([lo, hi]) => lo + rng.int(hi - lo + 1));
        const xy = at.map(() => rng.int(2));
        for (let t = 0; t < len; t++) {
          const k = at.indexOf(t);
          const sym = t === 0 ? SE : t === len - 1 ? SB : k >= 0 ? SX + xy[k] : rng.int(4);
          x[(t * B + b) * I + sym] = 1;
          mask[t * B + b] = 1;
        }
        target[b] = xy.reduce((c, s) => 2 * c + s, 0);
      }
      return { task: name, T, B, I, O: classes, x, target, targetKind: "class-last", mask };
    },
    score(pred, batch) {
      checkPredictions(pred, batch);
      const p = new Float64Array(classes);
      let correct = 0;
      for (let b = 0; b < batch.B; b++) {
        softmaxRow(pred, b * classes, classes, p);
        let ok = true;
        for (let k = 0; k < classes; k++) if (Math.abs(p[k] - (k === batch.target[b] ? 1 : 0)) >= 0.3) ok = false;
        if (ok) correct++;
      }
      return { correct, total: batch.B, accuracy: correct / batch.B };
    },
    baseline: () => ({ loss: Math.log(classes), lossName: "cross-entropy", predictor: `uniform over the ${classes} classes` }),
  };
}

export const temporalOrder6a = makeTask("6a");
export const temporalOrder6b = makeTask("6b");
