import { test } from "node:test";
import assert from "node:assert/strict";
import { getTask, TASK_NAMES } from "../../src/data/tasks/index.ts";
import { RecurrentError } from "../../src/errors.ts";
import { Rng } from "../../src/rand.ts";

test("tasks: the registry holds the six tasks of issue 5", () => {
  assert.deepEqual([...TASK_NAMES].sort(), ["adding", "adding-arjovsky", "copy", "reber", "temporal-order", "xor"]);
});

test("tasks: an unknown name is one clear line naming the choices", () => {
  assert.throws(() => getTask("addding"), (e: unknown) =>
    e instanceof RecurrentError && !e.message.includes("\n") && e.message.includes("adding-arjovsky") && e.message.includes('"addding"'));
  assert.throws(() => getTask("toString"), RecurrentError);
});

test("tasks: a length below what the task needs is one clear line", () => {
  for (const name of TASK_NAMES) {
    const task = getTask(name);
    assert.throws(() => task.generate({ length: task.minLength - 1, batch: 2, rng: new Rng(1) }), (e: unknown) =>
      e instanceof RecurrentError && !e.message.includes("\n") && e.message.includes(`>= ${task.minLength}`) && e.message.includes(name));
    assert.throws(() => task.generate({ length: 2.5, batch: 2, rng: new Rng(1) }), RecurrentError);
    assert.throws(() => task.generate({ length: 30, batch: 0, rng: new Rng(1) }), RecurrentError);
  }
});

test("tasks: every task at its minimum length generates well-formed batches, seeded", () => {
  for (const name of TASK_NAMES) {
    const task = getTask(name);
    for (const length of [task.minLength, 40]) {
      const a = task.generate({ length, batch: 5, rng: new Rng(9) });
      const b = task.generate({ length, batch: 5, rng: new Rng(9) });
      const c = task.generate({ length, batch: 5, rng: new Rng(10) });
      assert.equal(a.T, task.steps(length));
      assert.equal(a.x.length, a.T * a.B * a.I);
      assert.equal(a.I, task.inputSize); assert.equal(a.O, task.outputSize);
      assert.ok(a.x instanceof Float32Array);
      assert.deepEqual(a.x, b.x); assert.deepEqual(a.target, b.target);
      assert.notDeepEqual(a.x, c.x, `${name}: another seed gives other data`);
      const t64 = task.generate({ length, batch: 5, rng: new Rng(9), dtype: "float64" });
      assert.ok(t64.x instanceof Float64Array);
      const wantTarget = { "regression-last": a.B * a.O, "class-last": a.B, "class-every-step": a.T * a.B, "binary-every-step": a.T * a.B * a.O }[a.targetKind];
      assert.equal(a.target.length, wantTarget, name);
      if (a.targetKind.endsWith("every-step")) assert.equal(a.mask?.length, a.T * a.B);
    }
  }
});

test("tasks: predictions of the wrong size are one clear line", () => {
  const task = getTask("adding");
  const batch = task.generate({ length: 20, batch: 4, rng: new Rng(1) });
  assert.throws(() => task.score(new Float32Array(3), batch), (e: unknown) => e instanceof RecurrentError && e.message.includes("expected 4 numbers"));
});

test("tasks: the trainer glue gives each kind its loss, and turns outputs into scoreable predictions", async () => {
  const { trainingFor, asTrainerBatch, predictionsFrom } = await import("../../src/data/tasks/as-batch.ts");
  assert.deepEqual(trainingFor("regression-last"), { loss: "mse", outputActivation: "linear", manyToOne: true });
  assert.equal(trainingFor("class-every-step").loss, "ce");
  assert.equal(trainingFor("binary-every-step").outputActivation, "sigmoid");
  const task = getTask("temporal-order");
  const b = task.generate({ length: 20, batch: 3, rng: new Rng(2) });
  const out = new Float32Array(b.T * b.B * b.O); // logits (T, B, O): only the last step matters
  for (let j = 0; j < b.B; j++) out[((b.T - 1) * b.B + j) * b.O + b.target[j]] = 3;
  assert.equal(task.score(predictionsFrom(b, out), b).accuracy, 1);
  const r = getTask("reber").generate({ length: 30, batch: 4, rng: new Rng(3) });
  const tb = asTrainerBatch(r);
  assert.ok(tb.mask instanceof Uint8Array && tb.mask.length === r.T * r.B && tb.mask.includes(0));
  const logits = Float32Array.from(r.target, (v) => (v > 0 ? 4 : -4));
  const p = predictionsFrom(r, logits);
  assert.ok(p.every((v) => v > 0 && v < 1));
  assert.equal(getTask("reber").score(p, r).accuracy, 1);
});
