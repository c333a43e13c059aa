// The temporal-order problems as Hochreiter & Schmidhuber (1997, Exp. 6a and 6b) define them
// (src/data/tasks/temporal-order-1997.ts): lengths 100–110, E first and the trigger B last
// in each sequence, the relevant X/Y positions, the class rules, and the criterion "the final
// error of all output units is below 0.3" applied to the softmax of the logits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { temporalOrder6a, temporalOrder6b, temporalOrder1997Ranges } from "../../src/data/tasks/temporal-order-1997.ts";
import { argmax, type Task, type TaskBatch } from "../../src/data/tasks/types.ts";
import { predictionsFrom } from "../../src/data/tasks/as-batch.ts";
import { Rng } from "../../src/rand.ts";

const [X, Y, B, E] = [4, 5, 6, 7];

/** Symbol indices of sequence j over its real steps (the mask's run of ones from step 0). */
function symbols(b: TaskBatch, j: number): number[] {
  const s: number[] = [];
  for (let t = 0; t < b.T && b.mask![t * b.B + j] === 1; t++) {
    let ones = 0;
    for (let i = 0; i < 8; i++) ones += b.x[(t * b.B + j) * 8 + i];
    assert.equal(ones, 1, "one-hot");
    s.push(argmax(b.x, (t * b.B + j) * 8, 8));
  }
  for (let t = s.length; t < b.T; t++) {
    assert.equal(b.mask![t * b.B + j], 0);
    for (let i = 0; i < 8; i++) assert.equal(b.x[(t * b.B + j) * 8 + i], 0, "padding is zero");
  }
  return s;
}

const cases: Array<[Task, Array<[number, number]>]> = [
  [temporalOrder6a, [[10, 20], [50, 60]]],
  [temporalOrder6b, [[10, 20], [33, 43], [66, 76]]],
];

for (const [task, paper] of cases) {
  test(`${task.name}: lengths 100–110, E first, trigger B last, X/Y exactly at the paper's positions, other steps a–d`, () => {
    assert.deepEqual(temporalOrder1997Ranges(task.name.endsWith("6a") ? "6a" : "6b", 100), paper);
    const b = task.generate({ length: 100, batch: 3000, rng: new Rng(4) });
    assert.equal(b.T, 110); assert.equal(task.steps(100), 110);
    const lens = new Set<number>(), seenAt = paper.map(() => new Set<number>());
    for (let j = 0; j < b.B; j++) {
      const s = symbols(b, j);
      lens.add(s.length);
      assert.equal(s[0], E); assert.equal(s[s.length - 1], B);
      const at = s.flatMap((c, t) => (c === X || c === Y ? [t] : []));
      assert.equal(at.length, paper.length);
      at.forEach((t, k) => { assert.ok(t >= paper[k][0] && t <= paper[k][1], `relevant step ${k} at ${t}`); seenAt[k].add(t); });
      assert.ok(s.every((c, t) => t === 0 || t === s.length - 1 || at.includes(t) || c < 4));
    }
    for (let L = 100; L <= 110; L++) assert.ok(lens.has(L), `length ${L}`);
    seenAt.forEach((seen, k) => assert.equal(seen.size, paper[k][1] - paper[k][0] + 1, `every position of range ${k} occurs`));
  });

  test(`${task.name}: the class is the X/Y pattern read as binary (X = 0, first symbol most significant), balanced`, () => {
    const b = task.generate({ length: 100, batch: 4000, rng: new Rng(5) });
    const n = task.outputSize, counts = new Array(n).fill(0);
    for (let j = 0; j < b.B; j++) {
      const pattern = symbols(b, j).filter((c) => c === X || c === Y).map((c) => (c === Y ? "Y" : "X")).join("");
      counts[b.target[j]]++;
      assert.equal(b.target[j], parseInt(pattern.replace(/X/g, "0").replace(/Y/g, "1"), 2), pattern);
    }
    for (const c of counts) assert.ok(Math.abs(c / b.B - 1 / n) < 0.03, `class balance ${counts}`);
  });

  test(`${task.name}: correct only when every softmax output is within 0.3 of the one-hot target, read at each sequence's trigger`, () => {
    const b = task.generate({ length: 100, batch: 300, rng: new Rng(6) });
    const n = task.outputSize;
    const lens = Array.from({ length: b.B }, (_, j) => symbols(b, j).length);
    // Logits giving the right class probability p (the rest shared evenly) at each trigger;
    // elsewhere logits that favour a wrong class.
    const outputs = (p: number) => {
      const out = new Float64Array(b.T * b.B * n);
      for (let j = 0; j < b.B; j++) for (let t = 0; t < b.T; t++) {
        const o = (t * b.B + j) * n, right = b.target[j];
        if (t === lens[j] - 1) for (let k = 0; k < n; k++) out[o + k] = Math.log(k === right ? p : (1 - p) / (n - 1));
        else out[o + ((right + 1) % n)] = 10;
      }
      return out;
    };
    assert.equal(task.score(predictionsFrom(b, outputs(0.71)), b).accuracy, 1);
    assert.equal(task.score(predictionsFrom(b, outputs(0.69)), b).accuracy, 0, "p = 0.69: the right unit's error is above 0.3");
    assert.equal(task.score(predictionsFrom(b, outputs(0.5)), b).accuracy, 0, "the argmax is right but not within 0.3");
  });
}

test("temporal-order-6b: the paper's rules, e.g. X,X,Y → R (1) and Y,X,X → V (4)", () => {
  const b = temporalOrder6b.generate({ length: 100, batch: 400, rng: new Rng(8) });
  const names = ["Q", "R", "S", "U", "V", "A", "B", "C"];
  const rules: Record<string, string> = { XXX: "Q", XXY: "R", XYX: "S", XYY: "U", YXX: "V", YXY: "A", YYX: "B", YYY: "C" };
  for (let j = 0; j < b.B; j++) {
    const pattern = symbols(b, j).filter((c) => c === X || c === Y).map((c) => (c === Y ? "Y" : "X")).join("");
    assert.equal(names[b.target[j]], rules[pattern]);
  }
});
