import { test } from "node:test";
import assert from "node:assert/strict";
import { checkSchedule, lrAt, type Schedule } from "../../src/train/schedule.ts";
import { RecurrentError } from "../../src/errors.ts";

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-15 * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test("constant, step and exponential schedules give η₀, η₀γ^⌊t/k⌋ and η₀γᵗ", () => {
  assert.equal(lrAt({ kind: "constant", lr: 0.3 }, 1234), 0.3);
  const step: Schedule = { kind: "step", lr: 0.1, stepSize: 3, gamma: 0.5 };
  assert.deepEqual([0, 1, 2, 3, 5, 6, 9].map((t) => lrAt(step, t)), [0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]);
  const exp: Schedule = { kind: "exponential", lr: 2, gamma: 0.9 };
  near(lrAt(exp, 0), 2); near(lrAt(exp, 1), 1.8); near(lrAt(exp, 3), 2 * 0.729);
});

test("cosine starts at η₀, is halfway at T/2, reaches η_min at T and stays there", () => {
  const s: Schedule = { kind: "cosine", lr: 1, tMax: 100, lrMin: 0.1 };
  near(lrAt(s, 0), 1);
  near(lrAt(s, 50), 0.55);
  near(lrAt(s, 25), 0.1 + 0.9 * (1 + Math.SQRT1_2) / 2);
  near(lrAt(s, 100), 0.1);
  near(lrAt(s, 1000), 0.1);
  for (let t = 1; t <= 100; t++) assert.ok(lrAt(s, t) <= lrAt(s, t - 1), `decreasing at ${t}`);
  near(lrAt({ kind: "cosine", lr: 0.4, tMax: 10 }, 10), 0);
});

test("linear warm-up rises (t + 1)/W to the wrapped schedule's start, then runs it from its own step 0", () => {
  const s: Schedule = { kind: "warmup", steps: 4, then: { kind: "step", lr: 0.8, stepSize: 2, gamma: 0.5 } };
  [0.2, 0.4, 0.6, 0.8].forEach((want, t) => near(lrAt(s, t), want));
  assert.deepEqual([4, 5, 6, 7, 8].map((t) => lrAt(s, t)), [0.8, 0.8, 0.4, 0.4, 0.2]);
  const wc: Schedule = { kind: "warmup", steps: 10, then: { kind: "cosine", lr: 1, tMax: 90 } };
  near(lrAt(wc, 9), 1); near(lrAt(wc, 55), 0.5); near(lrAt(wc, 100), 0);
});

test("schedules are plain JSON: they survive a config.json round trip unchanged", () => {
  const s: Schedule = { kind: "warmup", steps: 5, then: { kind: "cosine", lr: 3e-3, tMax: 1000, lrMin: 1e-5 } };
  const back = checkSchedule(JSON.parse(JSON.stringify(s)));
  for (const t of [0, 3, 5, 400, 1004, 2000]) assert.equal(lrAt(back, t), lrAt(s, t));
});

test("bad schedules and steps are refused with one line naming the field", () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ kind: "linear", lr: 1 }, /schedule.kind: expected one of constant\|step\|exponential\|cosine\|warmup, got "linear"/],
    [{ kind: "constant", lr: -1 }, /schedule.lr: expected a finite number >= 0, got -1/],
    [{ kind: "step", lr: 1, stepSize: 0, gamma: 0.5 }, /schedule.stepSize: expected an integer >= 1, got 0/],
    [{ kind: "exponential", lr: 1, gamma: 1.5 }, /schedule.gamma: expected a number in \(0, 1\], got 1.5/],
    [{ kind: "cosine", lr: 1, tMax: 10, lrMin: 2 }, /schedule.lrMin: expected a number <= lr \(1\), got 2/],
    [{ kind: "warmup", steps: 3, then: { kind: "cosine", lr: 1 } }, /schedule.then.tMax: expected an integer >= 1, got undefined/],
    ["cosine", /schedule: expected an object \{kind, ...\}, got "cosine"/],
  ];
  for (const [s, re] of cases) assert.throws(() => lrAt(s as Schedule, 0), (e: unknown) => e instanceof RecurrentError && re.test(e.message), String(re));
  assert.throws(() => lrAt({ kind: "constant", lr: 1 }, -1), /lrAt: step: expected an integer >= 0, got -1/);
  assert.throws(() => lrAt({ kind: "constant", lr: 1 }, 0.5), /lrAt: step: expected an integer >= 0, got 0.5/);
});
