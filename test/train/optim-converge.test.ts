// Every optimiser minimises an ill-conditioned quadratic and the Rosenbrock function,
// on float32 parameters, from a fixed start, in a few thousand steps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeOptimizer } from "../../src/train/optim/index.ts";

// f(x) = ½ Σ aᵢ xᵢ², condition number 100; minimum 0 at x = 0.
const a = [1, 3, 10, 30, 100];
const quad = (x: Float32Array, g: Float32Array) => { let f = 0; for (let i = 0; i < x.length; i++) { f += 0.5 * a[i] * x[i] ** 2; g[i] = a[i] * x[i]; } return f; };
// Rosenbrock f(x, y) = (1 − x)² + 100 (y − x²)²; minimum 0 at (1, 1).
const rosen = (p: Float32Array, g: Float32Array) => {
  const [x, y] = p;
  g[0] = -2 * (1 - x) - 400 * x * (y - x * x); g[1] = 200 * (y - x * x);
  return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
};

function minimise(name: string, options: Record<string, number | boolean>, f: typeof quad, start: number[], n: number): { first: number; last: number; x: number[] } {
  const opt = makeOptimizer(name, options);
  const x = Float32Array.from(start), g = new Float32Array(x.length);
  const first = f(x, g);
  for (let k = 0; k < n; k++) { f(x, g); opt.step(x, g); }
  return { first, last: f(x, g), x: Array.from(x) };
}

const quadCases: Array<[string, Record<string, number | boolean>]> = [
  ["sgd", { lr: 0.015 }],
  ["sgd", { lr: 0.005, momentum: 0.9 }],
  ["sgd", { lr: 0.005, momentum: 0.9, nesterov: true }],
  ["adam", { lr: 0.05 }],
  ["adamw", { lr: 0.05, weightDecay: 0.01 }],
  ["rmsprop", { lr: 0.01 }],
  ["rmsprop", { lr: 0.003, momentum: 0.5, centered: true }],
  ["adagrad", { lr: 0.5 }],
];
for (const [name, o] of quadCases) {
  test(`${name} ${JSON.stringify(o)} takes a condition-100 quadratic below 1e-6 of its start in 2000 steps`, () => {
    const r = minimise(name, o, quad, [1, -1, 1, -1, 1], 2000);
    assert.ok(r.last < 1e-6 * r.first, `f went from ${r.first} to ${r.last}`);
  });
}

const rosenCases: Array<[string, Record<string, number | boolean>, number]> = [
  ["sgd", { lr: 1e-3, momentum: 0.9 }, 5000],
  ["sgd", { lr: 1e-3, momentum: 0.9, nesterov: true }, 5000],
  ["adam", { lr: 0.02 }, 5000],
  ["adamw", { lr: 0.02, weightDecay: 1e-4 }, 5000],
  ["rmsprop", { lr: 1e-3, momentum: 0.9 }, 5000],
  ["adagrad", { lr: 1 }, 20000],
];
for (const [name, o, n] of rosenCases) {
  test(`${name} ${JSON.stringify(o)} reaches the Rosenbrock minimum (1, 1) to 0.02 from (−1.5, 2) in ${n} steps`, () => {
    const r = minimise(name, o, rosen, [-1.5, 2], n);
    assert.ok(Math.abs(r.x[0] - 1) < 0.02 && Math.abs(r.x[1] - 1) < 0.02, `ended at ${r.x} with f = ${r.last}`);
  });
}
