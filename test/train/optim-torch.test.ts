// Every optimiser against real torch.optim (golden values from
// test/fixtures/optim-torch.py, float64, 6 steps with a changing learning rate).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { makeOptimizer } from "../../src/train/optim/index.ts";

interface Golden { torch: string; theta0: number[]; lrs: number[]; A: number[]; B: number[]; cases: Array<{ name: string; options: Record<string, number | boolean>; path: number[][] }> }
const golden: Golden = JSON.parse(readFileSync(new URL("../fixtures/optim-torch.json", import.meta.url), "utf8"));

for (const c of golden.cases) {
  test(`${c.name} ${JSON.stringify(c.options)} equals torch ${golden.torch} to 1e-14 relative over 6 steps`, () => {
    const opt = makeOptimizer(c.name, c.options);
    const theta = Float64Array.from(golden.theta0);
    golden.lrs.forEach((lr, k) => {
      const t = k + 1;
      const g = theta.map((x, i) => golden.A[i] * x + golden.B[i] * ((t % 3) - 1));
      opt.step(theta, g, lr);
      c.path[k].forEach((want, i) => {
        assert.ok(Math.abs(theta[i] - want) <= 1e-14 * Math.max(1, Math.abs(want)), `step ${t}, θ${i}: ${theta[i]} vs torch ${want}`);
      });
    });
  });
}
