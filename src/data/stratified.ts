// Stratified split of labelled items: each class is shuffled (seeded) and cut in the same
// proportions, so a validation set of a balanced two-class data set stays balanced and no
// class is left out of training. Pure (no node: imports).
import { Rng } from "../rand.ts";
import { checkWith } from "./problem.ts";

export interface StratifiedSplit {
  /** Item indices, ascending within each part. */
  train: number[]; val: number[]; test: number[];
}

/** labels: class index of each item; val/test: shares in [0, 1). */
export function stratifiedSplit(labels: ArrayLike<number>, val: number, test: number, seed: number): StratifiedSplit {
  checkWith(val >= 0 && test >= 0 && val + test < 1, "stratified split", "validation and test shares with a sum below 1", `${val} + ${test}`);
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(i);
  }
  const out: StratifiedSplit = { train: [], val: [], test: [] };
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const items = rng.shuffle(byClass.get(c)!) as number[];
    const nVal = Math.round(val * items.length), nTest = Math.round(test * items.length);
    checkWith(items.length - nVal - nTest >= 1, `class ${c}`, "at least one training item after the split", `${items.length} items`);
    out.val.push(...items.slice(0, nVal));
    out.test.push(...items.slice(nVal, nVal + nTest));
    out.train.push(...items.slice(nVal + nTest));
  }
  for (const part of [out.train, out.val, out.test]) part.sort((a, b) => a - b);
  return out;
}
