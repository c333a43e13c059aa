import { test } from "node:test";
import assert from "node:assert/strict";
import { clipByGlobalNorm, clipByValue, globalNorm } from "../../src/train/clip.ts";
import { RecurrentError } from "../../src/errors.ts";

test("clip by global norm: ‖(3, 4)‖ = 5 > 1 is rescaled to norm 1/(1 + 1e-6)·5 … and reports the norm before clipping", () => {
  const g = Float64Array.of(3, 0, -4);
  const r = clipByGlobalNorm(g, 1);
  assert.equal(r.norm, 5);
  assert.equal(r.clipped, true);
  assert.ok(Math.abs(r.scale - 1 / (5 + 1e-6)) < 1e-15);
  assert.deepEqual(Array.from(g), [3 * r.scale, 0, -4 * r.scale]);
  assert.ok(Math.abs(globalNorm(g) - 1) < 1e-6, "direction kept, norm ≈ c (Pascanu et al.)");
});

test("clip by global norm leaves a gradient under the threshold untouched; maxNorm 0 only measures", () => {
  const g = Float32Array.of(0.3, -0.4);
  const before = g.slice();
  const r = clipByGlobalNorm(g, 1);
  assert.equal(r.clipped, false); assert.equal(r.scale, 1);
  assert.ok(Math.abs(r.norm - 0.5) < 1e-7);
  assert.deepEqual(g, before);
  const big = Float32Array.of(30, 40);
  assert.deepEqual(clipByGlobalNorm(big, 0), { norm: 50, clipped: false, scale: 1 });
  assert.deepEqual(Array.from(big), [30, 40]);
});

test("clip by global norm works on float32 gradients of a realistic size and lands at the threshold", () => {
  const g = Float32Array.from({ length: 10000 }, (_, i) => Math.sin(i) * 10);
  const r = clipByGlobalNorm(g, 5);
  assert.ok(r.clipped && r.norm > 5);
  assert.ok(Math.abs(globalNorm(g) - 5) < 1e-4);
});

test("a non-finite gradient norm is reported and leaves the gradient unchanged, or throws on request", () => {
  const g = Float32Array.of(1, NaN, 2);
  const r = clipByGlobalNorm(g, 1);
  assert.ok(Number.isNaN(r.norm)); assert.equal(r.clipped, false);
  assert.equal(g[0], 1); assert.equal(g[2], 2);
  assert.throws(() => clipByGlobalNorm(Float32Array.of(Infinity), 1, { errorIfNonfinite: true }), /clipByGlobalNorm: gradient norm: expected a finite number, got Infinity/);
});

test("clip by value clamps each entry to [−c, c], counts the changes and keeps NaN", () => {
  const g = Float64Array.of(-3, -0.5, 0, 0.5, 2, NaN);
  assert.equal(clipByValue(g, 1), 2);
  assert.deepEqual(Array.from(g).slice(0, 5), [-1, -0.5, 0, 0.5, 1]);
  assert.ok(Number.isNaN(g[5]));
});

test("clipping refuses bad thresholds and non-typed-array gradients", () => {
  assert.throws(() => clipByGlobalNorm(new Float32Array(2), -1), (e: unknown) => e instanceof RecurrentError && /clipByGlobalNorm: maxNorm: expected a finite number >= 0 \(0 = measure only\), got -1/.test(e.message));
  assert.throws(() => clipByGlobalNorm(new Float32Array(2), Infinity), /maxNorm: expected a finite number >= 0/);
  assert.throws(() => clipByValue(new Float32Array(2), 0), /clipByValue: clipValue: expected a finite number > 0, got 0/);
  assert.throws(() => clipByValue([1, 2] as unknown as Float32Array, 1), /clipByValue: grads: expected a Float32Array or Float64Array/);
});
