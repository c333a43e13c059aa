// The embedded Reber grammar (Cleeremans, Servan-Schreiber & McClelland 1989; used as a
// long-lag benchmark by Hochreiter & Schmidhuber 1997, Experiment 1). Symbols B T P S X V E,
// one-hot (I = O = 7). A string is B, then T or P, then a Reber string, then the same T or P
// again, then E. The task is next-symbol prediction: the target at each step is the SET of
// legal next symbols (multi-hot, binary-every-step). The only hard prediction is the
// second-to-last symbol, which repeats the branch symbol from step 1 across the whole inner
// string. Correct (H&S 1997): at every step the k most active outputs are exactly the k legal
// next symbols; a string is correct when every step is.
// Strings vary in length; --length T is the padded length: strings longer than T are
// rejected and redrawn (so T conditions the distribution), padding steps have mask 0.
// The shortest embedded string has 9 symbols, so T >= 9.
import type { Task, TaskBatch, GenerateOptions } from "./types.ts";
import { checkGenerate, checkPredictions } from "./types.ts";
import { zeros } from "../../tensor/types.ts";
import type { Rng } from "../../rand.ts";

export const REBER_SYMBOLS = ["B", "T", "P", "S", "X", "V", "E"] as const;
const [SB, ST, SP, SS, SX, SV, SE] = [0, 1, 2, 3, 4, 5, 6];

// The inner Reber graph: node → [symbol, next node] pairs; node 5 emits E and ends.
const GRAPH: ReadonlyArray<ReadonlyArray<[number, number]>> = [
  [[ST, 1], [SP, 2]],
  [[SS, 1], [SX, 3]],
  [[ST, 2], [SV, 4]],
  [[SX, 2], [SS, 5]],
  [[SP, 3], [SV, 5]],
];

/** One inner Reber string, B ... E, each transition chosen with probability 1/2. */
export function reberString(rng: Rng): number[] {
  const s = [SB];
  let node = 0;
  while (node !== 5) {
    const [sym, next] = GRAPH[node][rng.int(2)];
    s.push(sym); node = next;
  }
  s.push(SE);
  return s;
}

/** One embedded Reber string: B, T|P, inner string, the same T|P, E. */
export function embeddedReberString(rng: Rng): number[] {
  const branch = rng.int(2) === 0 ? ST : SP;
  return [SB, branch, ...reberString(rng), branch, SE];
}

/**
 * The legal next symbols after each prefix of an embedded Reber string, by tracking the
 * grammar on the symbols seen so far (the perfect predictor: an oracle, used by tests and as
 * the targets here). Returns one set (array of symbol indices) per position.
 */
export function legalNext(s: readonly number[]): number[][] {
  const out: number[][] = [];
  let branch = -1, node = -1; // node -1: before the inner B; 0..5 inner; 6: after inner E
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (i === 0) { out.push([ST, SP]); continue; }
    if (i === 1) { branch = c; out.push([SB]); continue; }
    if (node === -1) { node = 0; out.push([ST, SP]); continue; }        // inner B
    if (node >= 0 && node < 5) {
      const edge = GRAPH[node].find(([sym]) => sym === c);
      if (!edge) { out.push([]); node = 7; continue; }                   // not grammatical
      node = edge[1];
      out.push(node === 5 ? [SE] : GRAPH[node].map(([sym]) => sym));
      continue;
    }
    if (node === 5) { node = 6; out.push([branch]); continue; }          // inner E
    if (node === 6) { node = 8; out.push([SE]); continue; }              // branch repeated
    out.push([]);                                                        // final E
  }
  return out;
}

export const reber: Task = {
  name: "reber",
  source: "Cleeremans, Servan-Schreiber & McClelland (1989); Hochreiter & Schmidhuber (1997), Experiment 1",
  inputSize: 7, outputSize: 7, targetKind: "binary-every-step", minLength: 9,
  steps: (length) => length,
  generate(opts: GenerateOptions): TaskBatch {
    const { T, B, dtype } = checkGenerate(this, opts);
    const I = 7;
    const x = zeros(T * B * I, dtype), target = zeros(T * B * I, dtype), mask = zeros(T * B, dtype);
    for (let b = 0; b < B; b++) {
      let s = embeddedReberString(opts.rng);
      while (s.length > T) s = embeddedReberString(opts.rng);
      const legal = legalNext(s);
      for (let t = 0; t < s.length; t++) {
        x[(t * B + b) * I + s[t]] = 1;
        if (t === s.length - 1) break; // nothing follows the final E
        mask[t * B + b] = 1;
        for (const k of legal[t]) target[(t * B + b) * I + k] = 1;
      }
    }
    return { task: "reber", T, B, I, O: 7, x, target, targetKind: "binary-every-step", mask };
  },
  score(pred, batch) {
    checkPredictions(pred, batch);
    const { T, B, O } = batch;
    let correct = 0, steps = 0, stepsRight = 0;
    for (let b = 0; b < B; b++) {
      let all = true;
      for (let t = 0; t < T; t++) {
        if (!batch.mask || batch.mask[t * B + b] === 0) continue;
        const off = (t * B + b) * O;
        const ok = topKIsLegal(pred, batch.target, off, O);
        steps++; if (ok) stepsRight++; else all = false;
      }
      if (all) correct++;
    }
    return { correct, total: B, accuracy: correct / B, stepAccuracy: stepsRight / steps };
  },
  // Constant outputs equal to each symbol's marginal frequency of being legal would be the
  // best constant; we state the simpler 0.5 everywhere: BCE ln 2 per output.
  baseline: () => ({ loss: Math.LN2, lossName: "binary-cross-entropy", predictor: "0.5 for every symbol" }),
};

// With k legal symbols, the step is right when every legal output beats every illegal one.
function topKIsLegal(pred: ArrayLike<number>, legal: ArrayLike<number>, off: number, O: number): boolean {
  let minLegal = Infinity, maxIllegal = -Infinity;
  for (let k = 0; k < O; k++) {
    const v = pred[off + k];
    if (legal[off + k] > 0.5) { if (v < minLegal) minLegal = v; } else if (v > maxIllegal) maxIllegal = v;
  }
  return minLegal > maxIllegal;
}
