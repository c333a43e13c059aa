import { test } from "node:test";
import assert from "node:assert/strict";
import { temporalOrder, temporalOrderRanges } from "../../src/data/tasks/temporal-order.ts";
import { argmax } from "../../src/data/tasks/types.ts";
import { Rng } from "../../src/rand.ts";
import type { TaskBatch } from "../../src/data/tasks/types.ts";

function symbols(b: TaskBatch, j: number): number[] {
  return Array.from({ length: b.T }, (_, t) => argmax(b.x, (t * b.B + j) * 8, 8));
}

test("temporal order (Pascanu 2013): B first, E last, X/Y exactly at t1 ∈ [T/10, 2T/10), t2 ∈ [5T/10, 6T/10)", () => {
  for (const T of [10, 57, 100]) {
    const b = temporalOrder.generate({ length: T, batch: 400, rng: new Rng(T) });
    const [[a1, b1], [a2, b2]] = temporalOrderRanges(T);
    if (T === 100) assert.deepEqual([a1, b1, a2, b2], [10, 20, 50, 60]);
    const classes = [0, 0, 0, 0];
    for (let j = 0; j < b.B; j++) {
      const s = symbols(b, j);
      assert.equal(s[0], 6); assert.equal(s[T - 1], 7);
      const xy = s.flatMap((c, t) => (c === 4 || c === 5 ? [t] : []));
      assert.equal(xy.length, 2);
      assert.ok(xy[0] >= a1 && xy[0] < b1 && xy[1] >= a2 && xy[1] < b2, `positions ${xy} at T=${T}`);
      assert.ok(s.slice(1, T - 1).every((c, i) => xy.includes(i + 1) || c < 4));
      classes[b.target[j]]++;
    }
    for (const c of classes) assert.ok(Math.abs(c / b.B - 0.25) < 0.07, `class balance ${classes}`);
  }
});

test("temporal order: the oracle (read X/Y in order) is correct; using only the first of them is not", () => {
  const b = temporalOrder.generate({ length: 60, batch: 1000, rng: new Rng(8) });
  const good = new Float32Array(b.B * 4), half = new Float32Array(b.B * 4);
  for (let j = 0; j < b.B; j++) {
    const xy = symbols(b, j).filter((c) => c === 4 || c === 5).map((c) => c - 4);
    good[j * 4 + 2 * xy[0] + xy[1]] = 1;
    half[j * 4 + 2 * xy[0]] = 1;   // guesses the second is X
  }
  assert.equal(temporalOrder.score(good, b).accuracy, 1);
  const h = temporalOrder.score(half, b).accuracy;
  assert.ok(Math.abs(h - 0.5) < 0.06, `only the first symbol: ${h}`);
});
