import { test } from "node:test";
import assert from "node:assert/strict";
import { maxSingularValue, spectralRadius, recurrentSpectra } from "../../src/analysis/gradients/spectral.ts";
import { GradientLog } from "../../src/analysis/gradients/clip-log.ts";
import { orthogonal } from "../../src/model/init.ts";
import { initialize } from "../../src/model/initialize.ts";
import { Sequence } from "../../src/train/sequence.ts";
import { Rng } from "../../src/rand.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";

const close = (a: number, b: number, rel: number, what: string) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} vs ${b}`);

test("spectral radius and σ_max of matrices with known answers", () => {
  close(spectralRadius([3, 0, 0, 0, -5, 0, 0, 0, 1], 3), 5, 1e-9, "diag ρ");
  close(maxSingularValue([3, 0, 0, 0, -5, 0, 0, 0, 1], 3, 3), 5, 1e-9, "diag σ");
  // A rotation by 1 rad scaled by 0.9 (eigenvalues 0.9·e^{±i}) beside 0.5: plain power iteration oscillates.
  const c = 0.9 * Math.cos(1), s = 0.9 * Math.sin(1);
  close(spectralRadius([c, -s, 0, s, c, 0, 0, 0, 0.5], 3), 0.9, 1e-6, "rotation ρ");
  // Non-normal: ρ = 0.5 but σ_max = the largest root of σ⁴ − (a²+b²+d²)σ² + (ad)² = 0.
  const a = 0.5, b = 10, d = 0.4, tr = a * a + b * b + d * d;
  close(spectralRadius([a, b, 0, d], 2), 0.5, 1e-2, "triangular ρ");
  close(maxSingularValue([a, b, 0, d], 2, 2), Math.sqrt((tr + Math.sqrt(tr * tr - 4 * (a * d) ** 2)) / 2), 1e-9, "triangular σ");
  // Orthogonal × 1.3: every eigenvalue and singular value has modulus 1.3.
  const Q = new Float64Array(40 * 40);
  orthogonal(Q, 40, 40, new Rng(4), 1.3);
  close(spectralRadius(Q, 40), 1.3, 2e-3, "orthogonal ρ");
  close(maxSingularValue(Q, 40, 40), 1.3, 1e-9, "orthogonal σ");
  // A wide matrix (rows < cols): σ_max of [[1, 1, 1]] is √3.
  close(maxSingularValue([1, 1, 1], 1, 3), Math.sqrt(3), 1e-12, "row σ");
  assert.equal(spectralRadius([0, 1, 0, 0], 2), 0);
});

test("σ_max is an upper bound of ‖Av‖/‖v‖ and of ρ for random matrices", () => {
  const rng = new Rng(8), n = 24;
  const A = Float64Array.from({ length: n * n }, () => rng.normal() / Math.sqrt(n));
  const sigma = maxSingularValue(A, n, n), rho = spectralRadius(A, n);
  assert.ok(rho <= sigma * (1 + 1e-9) && rho > 0.5 && rho < 1.5, `ρ=${rho} σ=${sigma}`);   // circular law: ρ ≈ 1
  for (let k = 0; k < 20; k++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    let nv = 0, nav = 0;
    for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += A[i * n + j] * v[j]; nav += s * s; nv += v[i] * v[i]; }
    assert.ok(Math.sqrt(nav / nv) <= sigma * (1 + 1e-9));
  }
});

test("recurrentSpectra names each gate block; orthogonal blocks (glorot scheme) have ρ = σ_max = 1", () => {
  for (const [cell, blocks] of [["lstm", "i,f,g,o"], ["gru", "r,z,n"], ["elman", "U"]] as const) {
    const m = new Sequence({ cell, input: 3, hidden: 16, output: 1 }, "float32");
    initialize(m, new Rng(1), "glorot");
    const s = recurrentSpectra(m);
    assert.equal(s.map((x) => x.block).join(","), blocks);
    for (const x of s) { close(x.maxSingular, 1, 1e-5, `${cell} ${x.block} σ`); close(x.spectralRadius, 1, 5e-3, `${cell} ${x.block} ρ`); }
  }
  const j = new Sequence({ cell: "jordan", input: 3, hidden: 4, output: 2, state: 5 });
  assert.deepEqual(recurrentSpectra(j).map((x) => [x.tensor, x.block, x.size]), [["weight_ss_l0", "ss", 5]]);
});

test("GradientLog counts the Trainer's clip events and gives the norm after clipping", () => {
  const m = new Sequence({ cell: "elman", input: 2, hidden: 6, output: 1 }, "float32");
  initialize(m, new Rng(3));
  const rng = new Rng(4);
  const batch = { x: Float32Array.from({ length: 10 * 8 * 2 }, () => rng.range(-1, 1)), T: 10, B: 8, targets: Float32Array.from({ length: 8 }, () => rng.range(-3, 3)) };
  const clip = 0.05;
  const tr = new Trainer(m, { loss: "mse", manyToOne: true, optimizer: makeOptimizer("sgd", { lr: 0.01 }), clipNorm: clip });
  const log = new GradientLog(clip);
  for (let k = 0; k < 30; k++) {
    const e = log.add(tr.trainStep(batch));
    assert.ok(e.after <= clip + 1e-9 && e.after <= e.before);
    if (!e.clipped) assert.equal(e.after, e.before);
  }
  const s = log.summary();
  assert.equal(s.clipEvents, tr.clipEvents);
  assert.ok(s.clipEvents > 0, "the small clip threshold should fire");
  assert.equal(s.clipRate, tr.clipEvents / 30);
  assert.ok(s.after.max <= clip + 1e-9 && s.before.max > clip);
  assert.equal(new GradientLog(0).add({ gradNorm: 3, clipped: false }).after, 3);
});
