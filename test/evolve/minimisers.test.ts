import { test } from "node:test";
import assert from "node:assert/strict";
import { MINIMISERS, getMinimiser, cmaes, anneal } from "../../src/evolve/index.ts";
import type { Objective } from "../../src/evolve/index.ts";
import { RecurrentError } from "../../src/errors.ts";
import { Rng } from "../../src/rand.ts";

const sphere: Objective = (x) => x.reduce((s, v) => s + v * v, 0);
const rosenbrock: Objective = (x) => {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
  return s;
};

test("every trainer takes sphere (N = 10, from 3·1, f = 90) below 1e-6 within 20000 evaluations, 3 seeds", () => {
  for (const [name, m] of Object.entries(MINIMISERS)) {
    for (const seed of [1, 2, 3]) {
      const r = m(sphere, new Array(10).fill(3), { budget: 20000, sigma: 1 }, new Rng(seed));
      assert.ok(r.bestLoss < 1e-6, `${name} seed ${seed}: ${r.bestLoss}`);
      assert.ok(r.evaluations <= 20000);
      assert.ok(Math.abs(sphere(r.best) - r.bestLoss) < 1e-15, "best is the point of bestLoss");
    }
  }
});

test("Rosenbrock (N = 2, from (-1.2, 1)): CMA-ES and PSO to 1e-10, GA to 1e-6, annealing to 1e-2", () => {
  const want: Record<string, [number, number, number]> = { // tolerance, budget, sigma
    cmaes: [1e-10, 2000, 1], pso: [1e-10, 10000, 1], ga: [1e-6, 20000, 1], anneal: [1e-2, 20000, 0.1],
  };
  for (const [name, [tol, budget, sigma]] of Object.entries(want)) {
    for (const seed of [1, 2, 3]) {
      const r = getMinimiser(name)(rosenbrock, [-1.2, 1], { budget, sigma }, new Rng(seed));
      assert.ok(r.bestLoss < tol, `${name} seed ${seed}: ${r.bestLoss} after ${r.evaluations}`);
    }
  }
});

test("cmaes: Rosenbrock in N = 5 to 1e-10 within 4000 evaluations (the curved valley needs the covariance)", () => {
  for (const seed of [1, 2]) {
    const r = cmaes(rosenbrock, new Array(5).fill(0), { budget: 4000, sigma: 1 }, new Rng(seed));
    assert.ok(r.bestLoss < 1e-10, `seed ${seed}: ${r.bestLoss}`);
  }
});

test("cmaes: full covariance solves a rotated ellipsoid (condition 1e6, N = 10); the diagonal variant cannot", () => {
  const n = 10, r = new Rng(99);
  const v = Array.from({ length: n }, () => r.normal()), vn = Math.hypot(...v);
  const ellipsoid = (x: ArrayLike<number>) => { let s = 0; for (let i = 0; i < n; i++) s += 1e6 ** (i / (n - 1)) * x[i] ** 2; return s; };
  const rotated: Objective = (x) => { // Householder reflection: an orthogonal, non-axis-aligned basis
    let d = 0; for (let i = 0; i < n; i++) d += (x[i] * v[i]) / vn;
    return ellipsoid(x.map((xi, i) => xi - (2 * d * v[i]) / vn));
  };
  const full = cmaes(rotated, new Array(n).fill(1), { budget: 8000, sigma: 1, target: 1e-8, diagonal: false }, new Rng(1));
  assert.ok(full.bestLoss <= 1e-8, `full: ${full.bestLoss}`);
  const sep = cmaes(rotated, new Array(n).fill(1), { budget: 8000, sigma: 1, target: 1e-8, diagonal: true }, new Rng(1));
  assert.ok(sep.bestLoss > 1e-3, `sep on rotated: ${sep.bestLoss}`);
  const sepAxis = cmaes((x) => ellipsoid(x), new Array(n).fill(1), { budget: 8000, sigma: 1, target: 1e-8, diagonal: true }, new Rng(1));
  assert.ok(sepAxis.bestLoss <= 1e-8, `sep on the axis-aligned one: ${sepAxis.bestLoss}`);
});

test("trainers are seeded and deterministic, count every evaluation, keep a non-increasing history", () => {
  for (const [name, m] of Object.entries(MINIMISERS)) {
    let calls = 0;
    const f: Objective = (x) => { calls++; return rosenbrock(x); };
    const a = m(f, [0, 0, 0], { budget: 777, sigma: 0.5 }, new Rng(5));
    assert.equal(a.evaluations, calls, `${name}: evaluations counted`);
    assert.ok(a.evaluations <= 777 && a.evaluations > 700, `${name}: spends the budget (${a.evaluations})`);
    const b = m(rosenbrock, [0, 0, 0], { budget: 777, sigma: 0.5 }, new Rng(5));
    const c = m(rosenbrock, [0, 0, 0], { budget: 777, sigma: 0.5 }, new Rng(6));
    assert.deepEqual(a.best, b.best); assert.equal(a.bestLoss, b.bestLoss);
    assert.notDeepEqual(a.best, c.best, `${name}: another seed, another path`);
    for (let i = 1; i < a.history.length; i++) {
      assert.ok(a.history[i].bestLoss <= a.history[i - 1].bestLoss);
      assert.ok(a.history[i].evaluations > a.history[i - 1].evaluations);
    }
    assert.equal(a.history.at(-1)?.evaluations, a.evaluations);
  }
});

test("trainers stop at the target, and survive NaN and Infinity losses", () => {
  for (const [name, m] of Object.entries(MINIMISERS)) {
    const r = m(sphere, [1, 1], { budget: 50000, sigma: 0.5, target: 1e-3 }, new Rng(1));
    assert.ok(r.bestLoss <= 1e-3 && r.evaluations < 50000, `${name} stops early at ${r.evaluations}`);
    const wild: Objective = (x) => (x[0] > 1.5 ? NaN : x[1] < -1.5 ? Infinity : sphere(x));
    const w = m(wild, [1, 1], { budget: 3000, sigma: 1 }, new Rng(2));
    assert.ok(Number.isFinite(w.bestLoss) && w.bestLoss < 0.1, `${name} with NaN regions: ${w.bestLoss}`);
  }
});

test("bad options and unknown names are one clear line", () => {
  assert.throws(() => anneal(sphere, [1], { budget: 0 }, new Rng(1)), (e: unknown) => e instanceof RecurrentError && e.message.includes("budget"));
  assert.throws(() => cmaes(sphere, [], { budget: 10 }, new Rng(1)), RecurrentError);
  assert.throws(() => cmaes(sphere, [1], { budget: 10, sigma: -1 }, new Rng(1)), RecurrentError);
  assert.throws(() => getMinimiser("adam"), (e: unknown) => e instanceof RecurrentError && e.message.includes("ga|anneal|pso|cmaes"));
});
