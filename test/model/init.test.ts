import { test } from "node:test";
import assert from "node:assert/strict";
import { constant, glorotNormal, glorotUniform, lstmForgetGateBias, normal, orthogonal, perBlock, pytorchRnnDefault, uniform } from "../../src/model/init.ts";
import { Rng } from "../../src/rand.ts";
import { RecurrentError } from "../../src/errors.ts";

/** max |(WᵀW or WWᵀ) − gain² I| for a (rows, cols) row-major W, over the smaller side. */
function orthoError(w: ArrayLike<number>, rows: number, cols: number, gain = 1): number {
  const tall = rows >= cols, m = Math.min(rows, cols), n = Math.max(rows, cols);
  const at = (k: number, j: number) => tall ? w[k * cols + j] : w[j * cols + k];   // k over n, j over m
  let worst = 0;
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += at(k, a) * at(k, b);
    worst = Math.max(worst, Math.abs(s - (a === b ? gain * gain : 0)));
  }
  return worst;
}
function moments(w: ArrayLike<number>): { mean: number; variance: number; min: number; max: number } {
  let s = 0, s2 = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < w.length; i++) { s += w[i]; s2 += w[i] * w[i]; min = Math.min(min, w[i]); max = Math.max(max, w[i]); }
  const mean = s / w.length;
  return { mean, variance: s2 / w.length - mean * mean, min, max };
}

test("orthogonal gives QᵀQ = I for square, tall and wide matrices (float64 to 1e-12, float32 to 1e-5), scaled by gain²", () => {
  for (const [rows, cols] of [[32, 32], [50, 20], [20, 50], [1, 7], [7, 1]]) {
    const w64 = new Float64Array(rows * cols);
    orthogonal(w64, rows, cols, new Rng(rows * 100 + cols));
    assert.ok(orthoError(w64, rows, cols) < 1e-12, `${rows}×${cols} float64: ${orthoError(w64, rows, cols)}`);
    const w32 = new Float32Array(rows * cols);
    orthogonal(w32, rows, cols, new Rng(1), 2);
    assert.ok(orthoError(w32, rows, cols, 2) < 1e-5, `${rows}×${cols} float32 gain 2: ${orthoError(w32, rows, cols, 2)}`);
  }
  // Not trivially the identity or a permutation: entries spread like ±1/√n.
  const w = new Float64Array(64 * 64);
  orthogonal(w, 64, 64, new Rng(9));
  const meanSquare = Array.from(w).reduce((s, x) => s + x * x, 0) / w.length;
  assert.ok(Math.abs(meanSquare - 1 / 64) < 1e-12, `entries of an n×n orthogonal matrix have mean square 1/n: ${meanSquare}`);
  assert.ok(Array.from(w).filter((x) => Math.abs(x) > 0.5).length < 5);
});

test("orthogonal is unbiased in sign (PyTorch's sign correction): the mean diagonal entry of 2000 random 3×3 draws is ≈ 0", () => {
  const rng = new Rng(4), w = new Float64Array(9);
  let s = 0;
  for (let k = 0; k < 2000; k++) { orthogonal(w, 3, 3, rng); s += w[0] + w[4] + w[8]; }
  assert.ok(Math.abs(s / 6000) < 0.03, `mean diagonal ${s / 6000}`);
});

test("orthogonal per gate block: each (H, H) block of a (4H, H) weight_hh is orthogonal, and the blocks differ", () => {
  const H = 16, w = new Float32Array(4 * H * H);
  const rng = new Rng(2);
  perBlock(w, 4 * H, H, 4, (b, r, c) => orthogonal(b, r, c, rng));
  for (let g = 0; g < 4; g++) assert.ok(orthoError(w.subarray(g * H * H, (g + 1) * H * H), H, H) < 1e-5, `gate ${g}`);
  assert.notDeepEqual(w.subarray(0, H * H), w.subarray(H * H, 2 * H * H));
  assert.ok(orthoError(w, 4 * H, H) > 0.5, "the whole (4H, H) matrix is not orthonormal, only each block");
});

test("Glorot uniform: bounds ±√(6/(fi+fo)), variance 2/(fi+fo); Glorot normal: mean 0, variance gain²·2/(fi+fo)", () => {
  const rows = 200, cols = 300, target = 2 / (rows + cols);
  const u = new Float64Array(rows * cols);
  glorotUniform(u, rows, cols, new Rng(5));
  const mu = moments(u), a = Math.sqrt(6 / (rows + cols));
  assert.ok(mu.min >= -a && mu.max < a && mu.max > 0.99 * a && mu.min < -0.99 * a);
  assert.ok(Math.abs(mu.variance / target - 1) < 0.02, `uniform variance ${mu.variance} vs ${target}`);
  const g = new Float32Array(rows * cols);
  glorotNormal(g, rows, cols, new Rng(6), 1.5);
  const mg = moments(g);
  assert.ok(Math.abs(mg.mean) < 0.01 * Math.sqrt(target));
  assert.ok(Math.abs(mg.variance / (2.25 * target) - 1) < 0.03, `normal variance ${mg.variance} vs ${2.25 * target}`);
});

test("PyTorch's RNN default draws U(−1/√H, 1/√H): variance 1/(3H)", () => {
  const H = 64, w = new Float32Array(4 * H * 50);
  pytorchRnnDefault(w, H, new Rng(8));
  const m = moments(w), k = 1 / Math.sqrt(H);
  assert.ok(m.min >= -k && m.max <= k);
  assert.ok(Math.abs(m.variance * 3 * H - 1) < 0.03, `variance ${m.variance} vs ${1 / (3 * H)}`);
});

test("the same seed gives identical values and another seed different ones, for every random initialiser", () => {
  const draws: Array<(w: Float32Array, rng: Rng) => void> = [
    (w, r) => glorotUniform(w, 12, 10, r), (w, r) => glorotNormal(w, 12, 10, r),
    (w, r) => orthogonal(w, 12, 10, r), (w, r) => pytorchRnnDefault(w, 10, r),
    (w, r) => uniform(w, -1, 1, r), (w, r) => normal(w, 0, 1, r),
  ];
  for (const draw of draws) {
    const a = new Float32Array(120), b = new Float32Array(120), c = new Float32Array(120);
    draw(a, new Rng(77)); draw(b, new Rng(77)); draw(c, new Rng(78));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  }
});

test("constant and the LSTM forget-gate bias: b[H:2H] = 1, the i, g, o slices untouched", () => {
  const H = 3, b = new Float32Array(4 * H);
  constant(b, 0);
  lstmForgetGateBias(b, H);
  assert.deepEqual(Array.from(b), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  lstmForgetGateBias(b, H, 2);
  assert.deepEqual(Array.from(b.subarray(H, 2 * H)), [2, 2, 2]);
});

test("initialisers refuse a view of the wrong size, bad shapes, gains and ranges", () => {
  const rng = new Rng(1);
  const cases: Array<[() => void, RegExp]> = [
    [() => orthogonal(new Float32Array(10), 3, 4, rng), /orthogonal: w: expected length rows × cols = 3 × 4 = 12, got 10/],
    [() => glorotUniform(new Float32Array(0), 0, 4, rng), /glorotUniform: rows: expected an integer >= 1, got 0/],
    [() => glorotNormal(new Float32Array(4), 2, 2, rng, -1), /glorotNormal: gain: expected a finite number > 0, got -1/],
    [() => lstmForgetGateBias(new Float32Array(8), 3), /lstmForgetGateBias: bias: expected length 4H = 12, got 8/],
    [() => perBlock(new Float32Array(20), 5, 4, 2, () => {}), /perBlock: rows: expected a multiple of blocks \(2\), got 5/],
    [() => uniform(new Float32Array(2), 1, -1, rng), /uniform: range: expected finite lo <= hi, got "\[1, -1\]"/],
    [() => pytorchRnnDefault(new Float32Array(2), 0, rng), /pytorchRnnDefault: hidden: expected an integer >= 1, got 0/],
  ];
  for (const [fn, re] of cases) assert.throws(fn, (e: unknown) => e instanceof RecurrentError && re.test(e.message), String(re));
});
