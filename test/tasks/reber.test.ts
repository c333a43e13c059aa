import { test } from "node:test";
import assert from "node:assert/strict";
import { reber, embeddedReberString, legalNext, reberString, REBER_SYMBOLS } from "../../src/data/tasks/reber.ts";
import { argmax } from "../../src/data/tasks/types.ts";
import { Rng } from "../../src/rand.ts";

const word = (s: number[]) => s.map((k) => REBER_SYMBOLS[k]).join("");
// A direct walker of the graph in the docs, independent of legalNext's bookkeeping.
function grammatical(s: string): boolean {
  const edges: Record<number, Record<string, number>> = {
    0: { T: 1, P: 2 }, 1: { S: 1, X: 3 }, 2: { T: 2, V: 4 }, 3: { X: 2, S: 5 }, 4: { P: 3, V: 5 },
  };
  if (s[0] !== "B" || s[s.length - 1] !== "E") return false;
  let node = 0;
  for (const c of s.slice(1, -1)) { const n = edges[node]?.[c]; if (n === undefined) return false; node = n; }
  return node === 5;
}

test("reber: inner strings follow the grammar; embedded strings repeat the branch symbol", () => {
  const rng = new Rng(3);
  for (let i = 0; i < 500; i++) assert.ok(grammatical(word(reberString(rng))));
  let branchT = 0;
  for (let i = 0; i < 2000; i++) {
    const s = word(embeddedReberString(rng));
    assert.ok(s.length >= 9);
    assert.equal(s[0], "B"); assert.equal(s.at(-1), "E");
    assert.equal(s[1], s.at(-2));
    assert.ok("TP".includes(s[1]));
    assert.ok(grammatical(s.slice(2, -2)), s);
    if (s[1] === "T") branchT++;
  }
  assert.ok(Math.abs(branchT / 2000 - 0.5) < 0.04);
  assert.equal(word([0, 1, 0, 1, 4, 3, 6, 1, 6]), "BTBTXSETE");
  assert.deepEqual(legalNext([0, 1, 0, 1, 4, 3, 6, 1, 6]).map((l) => l.map((k) => REBER_SYMBOLS[k]).join("")),
    ["TP", "B", "TP", "SX", "XS", "E", "T", "E", ""]);
});

test("reber: strings fit the padded length, targets are the legal next symbols, padding is masked", () => {
  const T = 14, b = reber.generate({ length: T, batch: 300, rng: new Rng(6) });
  for (let j = 0; j < b.B; j++) {
    const s: number[] = [];
    for (let t = 0; t < T; t++) {
      let hot = 0;
      for (let k = 0; k < 7; k++) hot += b.x[(t * b.B + j) * 7 + k];
      if (hot === 0) break;
      s.push(argmax(b.x, (t * b.B + j) * 7, 7));
    }
    assert.ok(s.length >= 9 && s.length <= T);
    const legal = legalNext(s);
    for (let t = 0; t < T; t++) {
      assert.equal(b.mask?.[t * b.B + j], t < s.length - 1 ? 1 : 0);
      if (t >= s.length - 1) continue;
      const want = new Array(7).fill(0);
      for (const k of legal[t]) want[k] = 1;
      assert.deepEqual(Array.from(b.target.subarray((t * b.B + j) * 7, (t * b.B + j + 1) * 7)), want);
    }
  }
});

test("reber: the oracle (grammar tracking) is correct; forgetting the branch at the end is not", () => {
  const b = reber.generate({ length: 30, batch: 400, rng: new Rng(12) });
  const good = new Float32Array(b.T * b.B * 7), forgetful = new Float32Array(b.T * b.B * 7);
  for (let j = 0; j < b.B; j++) {
    const s: number[] = [];
    for (let t = 0; t < b.T && b.x.subarray((t * b.B + j) * 7, (t * b.B + j + 1) * 7).some((v) => v > 0); t++) {
      s.push(argmax(b.x, (t * b.B + j) * 7, 7));
    }
    const legal = legalNext(s);
    for (let t = 0; t < s.length; t++) {
      for (const k of legal[t]) good[(t * b.B + j) * 7 + k] = 0.9;
      // A first-order (Markov) predictor: after the inner E it cannot know the branch, says both.
      const set = t === s.length - 3 ? [1, 2] : legal[t];
      for (const k of set) forgetful[(t * b.B + j) * 7 + k] = 0.9;
    }
  }
  const g = reber.score(good, b), f = reber.score(forgetful, b);
  assert.equal(g.accuracy, 1); assert.equal(g.stepAccuracy, 1);
  assert.equal(f.accuracy, 0);
  assert.ok((f.stepAccuracy ?? 0) > 0.8, "every other step is right");
});
