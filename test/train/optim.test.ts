// Each optimiser against PyTorch's update rule: literal hand-computed first steps, then
// several steps against an independent float64 re-statement of torch.optim's pseudo-code
// (written here from the docs, not shared with src/), with a changing learning rate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeOptimizer, type Optimizer } from "../../src/train/optim/index.ts";
import { RecurrentError } from "../../src/errors.ts";

type Opts = Record<string, number | boolean>;
type Ref = (theta: number[], grads: (theta: number[], t: number) => number[], lrs: number[], o: Opts) => number[][];

const P = 5;
const A = [0.5, 1.5, -2, 3, 0.25];
const B = [0.1, -0.3, 0.7, 0.05, -1.2];
// A gradient that depends on θ and on the step, so state errors change the path.
const gradOf = (th: number[], t: number) => th.map((x, i) => A[i] * x + B[i] * ((t % 3) - 1));
const theta0 = [0.3, -1.1, 2.5, 0.01, -0.7];
const lrs = [0.05, 0.04, 0.03, 0.06, 0.02, 0.05];

const refSgd: Ref = (theta, grads, lrs, o) => {
  const { momentum: mu = 0, dampening: tau = 0, weightDecay: wd = 0, nesterov = false } = o as Record<string, number>;
  const th = theta.slice(); let b: number[] = [];
  const path: number[][] = [];
  lrs.forEach((lr, k) => {
    const t = k + 1;
    let g = grads(th, t).map((gi, i) => gi + wd * th[i]);
    if (mu !== 0) {
      b = t === 1 ? g.slice() : b.map((bi, i) => mu * bi + (1 - tau) * g[i]);
      g = nesterov ? g.map((gi, i) => gi + mu * b[i]) : b.slice();
    }
    for (let i = 0; i < th.length; i++) th[i] = th[i] - lr * g[i];
    path.push(th.slice());
  });
  return path;
};

const refAdam = (decoupled: boolean): Ref => (theta, grads, lrs, o) => {
  const b1 = (o.beta1 ?? 0.9) as number, b2 = (o.beta2 ?? 0.999) as number, eps = (o.eps ?? 1e-8) as number;
  const wd = (o.weightDecay ?? (decoupled ? 1e-2 : 0)) as number, ams = o.amsgrad === true;
  const th = theta.slice(); const m = th.map(() => 0), v = th.map(() => 0), vmax = th.map(() => 0);
  const path: number[][] = [];
  lrs.forEach((lr, k) => {
    const t = k + 1;
    let g = grads(th, t);
    if (decoupled) for (let i = 0; i < th.length; i++) th[i] = th[i] - lr * wd * th[i];
    else g = g.map((gi, i) => gi + wd * th[i]);
    for (let i = 0; i < th.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2;
      const mHat = m[i] / (1 - b1 ** t);
      vmax[i] = Math.max(vmax[i], v[i]);
      const vHat = (ams ? vmax[i] : v[i]) / (1 - b2 ** t);
      th[i] = th[i] - lr * mHat / (Math.sqrt(vHat) + eps);
    }
    path.push(th.slice());
  });
  return path;
};

const refRmsProp: Ref = (theta, grads, lrs, o) => {
  const alpha = (o.alpha ?? 0.99) as number, eps = (o.eps ?? 1e-8) as number, wd = (o.weightDecay ?? 0) as number;
  const mu = (o.momentum ?? 0) as number, centered = o.centered === true;
  const th = theta.slice(); const v = th.map(() => 0), gAve = th.map(() => 0), b = th.map(() => 0);
  const path: number[][] = [];
  lrs.forEach((lr, k) => {
    const g = grads(th, k + 1).map((gi, i) => gi + wd * th[i]);
    for (let i = 0; i < th.length; i++) {
      v[i] = alpha * v[i] + (1 - alpha) * g[i] ** 2;
      let vt = v[i];
      if (centered) { gAve[i] = alpha * gAve[i] + (1 - alpha) * g[i]; vt = vt - gAve[i] ** 2; }
      if (mu > 0) { b[i] = mu * b[i] + g[i] / (Math.sqrt(vt) + eps); th[i] = th[i] - lr * b[i]; }
      else th[i] = th[i] - lr * g[i] / (Math.sqrt(vt) + eps);
    }
    path.push(th.slice());
  });
  return path;
};

const refAdagrad: Ref = (theta, grads, lrs, o) => {
  const eta = (o.lrDecay ?? 0) as number, wd = (o.weightDecay ?? 0) as number;
  const tau = (o.initialAccumulatorValue ?? 0) as number, eps = (o.eps ?? 1e-10) as number;
  const th = theta.slice(); const s = th.map(() => tau);
  const path: number[][] = [];
  lrs.forEach((lr, k) => {
    const t = k + 1;
    const clr = lr / (1 + (t - 1) * eta);
    const g = grads(th, t).map((gi, i) => gi + wd * th[i]);
    for (let i = 0; i < th.length; i++) { s[i] = s[i] + g[i] ** 2; th[i] = th[i] - clr * g[i] / (Math.sqrt(s[i]) + eps); }
    path.push(th.slice());
  });
  return path;
};

const cases: Array<[string, Opts, Ref]> = [
  ["sgd", {}, refSgd],
  ["sgd", { momentum: 0.9 }, refSgd],
  ["sgd", { momentum: 0.8, dampening: 0.3, weightDecay: 0.1 }, refSgd],
  ["sgd", { momentum: 0.9, nesterov: true, weightDecay: 0.05 }, refSgd],
  ["adam", {}, refAdam(false)],
  ["adam", { beta1: 0.8, beta2: 0.95, eps: 1e-3, weightDecay: 0.1 }, refAdam(false)],
  ["adam", { amsgrad: true }, refAdam(false)],
  ["adamw", {}, refAdam(true)],
  ["adamw", { weightDecay: 0.3, amsgrad: true, eps: 1e-4 }, refAdam(true)],
  ["rmsprop", {}, refRmsProp],
  ["rmsprop", { centered: true, momentum: 0.5, weightDecay: 0.2, alpha: 0.9 }, refRmsProp],
  ["rmsprop", { momentum: 0.9, eps: 1e-2 }, refRmsProp],
  ["adagrad", {}, refAdagrad],
  ["adagrad", { lrDecay: 0.1, weightDecay: 0.05, initialAccumulatorValue: 0.2, eps: 1e-6 }, refAdagrad],
];

function run(opt: Optimizer, params: Float32Array | Float64Array, lrs: number[]): number[][] {
  const path: number[][] = [];
  lrs.forEach((lr, k) => {
    const g = gradOf(Array.from(params), k + 1);
    opt.step(params, params instanceof Float64Array ? Float64Array.from(g) : Float32Array.from(g), lr);
    path.push(Array.from(params));
  });
  return path;
}

for (const [name, o, ref] of cases) {
  test(`${name} ${JSON.stringify(o)} follows PyTorch's update rule for 6 steps (float64 to 1e-13, float32 to 2e-6)`, () => {
    const want = ref(theta0, gradOf, lrs, o);
    const got64 = run(makeOptimizer(name, o), Float64Array.from(theta0), lrs);
    const got32 = run(makeOptimizer(name, o), Float32Array.from(theta0), lrs);
    let moved = 0;
    for (let k = 0; k < lrs.length; k++) {
      for (let i = 0; i < P; i++) {
        const w = want[k][i];
        assert.ok(Math.abs(got64[k][i] - w) <= 1e-13 * Math.max(1, Math.abs(w)), `step ${k + 1}, θ${i}: ${got64[k][i]} vs ${w}`);
        assert.ok(Math.abs(got32[k][i] - w) <= 2e-6 * Math.max(1, Math.abs(w)), `float32 step ${k + 1}, θ${i}: ${got32[k][i]} vs ${w}`);
        moved = Math.max(moved, Math.abs(w - theta0[i]));
      }
    }
    assert.ok(moved > 1e-3, "the reference path should move the parameters");
  });
}

// Literal hand-computed values, with θ' = θ as gradient (loss θ²/2) unless stated.
function steps(name: string, o: Opts, theta: number, n: number, grad = (x: number) => x): number[] {
  const opt = makeOptimizer(name, o); const p = Float64Array.of(theta); const out: number[] = [];
  for (let k = 0; k < n; k++) { opt.step(p, Float64Array.of(grad(p[0]))); out.push(p[0]); }
  return out;
}
const close = (a: number[], b: number[], tol = 1e-12) => a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < tol, `${i}: ${x} vs ${b[i]}`));

test("sgd with momentum 0.9, lr 0.1 from θ = 1: 0.9, 0.72, 0.486 (buffer starts at g)", () => {
  close(steps("sgd", { lr: 0.1, momentum: 0.9 }, 1, 3), [0.9, 0.72, 0.486]);
});

test("sgd with Nesterov momentum 0.9, lr 0.1 from θ = 1: 0.81, 0.5751", () => {
  close(steps("sgd", { lr: 0.1, momentum: 0.9, nesterov: true }, 1, 2), [0.81, 0.5751]);
});

test("adam's first step is lr·g/(|g| + ε) whatever the gradient's scale (bias correction)", () => {
  for (const g of [1e-3, 1, 250]) close(steps("adam", { lr: 0.1 }, 1, 1, () => g), [1 - 0.1 * g / (g + 1e-8)]);
});

test("adamw decays θ by (1 − lr·λ) outside the moments; adam adds λθ to the gradient", () => {
  // θ = 2, g = 1, lr 0.1, λ 0.5. AdamW: 2·0.95 − 0.1·1/(1 + 1e-8). Adam: g = 2, step 0.1·2/(2 + 1e-8).
  close(steps("adamw", { lr: 0.1, weightDecay: 0.5 }, 2, 1, () => 1), [1.9 - 0.1 / (1 + 1e-8)]);
  close(steps("adam", { lr: 0.1, weightDecay: 0.5 }, 2, 1, () => 1), [2 - 0.1 * 2 / (2 + 1e-8)]);
});

test("rmsprop's first step is lr·g/(√((1 − α)g²) + ε), ε outside the root; centred subtracts ḡ²", () => {
  close(steps("rmsprop", { lr: 0.01 }, 1, 1, () => 1), [1 - 0.01 / (0.1 + 1e-8)]);
  close(steps("rmsprop", { lr: 0.01, centered: true }, 1, 1, () => 1), [1 - 0.01 / (Math.sqrt(0.01 - 0.0001) + 1e-8)]);
});

test("adagrad: γ/(1 + (t−1)η) over √(Σg²): θ = 1, g = 1, lr 0.1, η = 1 → 0.9, then 0.9 − 0.05/√2", () => {
  close(steps("adagrad", { lr: 0.1, lrDecay: 1 }, 1, 2, () => 1), [1 - 0.1 / (1 + 1e-10), 0.9 - 0.05 / (Math.SQRT2 + 1e-10)], 1e-9);
});

test("makeOptimizer refuses unknown names, unknown options and bad values with one clear line", () => {
  const cases: Array<[() => unknown, RegExp]> = [
    [() => makeOptimizer("adma"), /optimizer: expected one of sgd\|adam\|adamw\|rmsprop\|adagrad, got "adma"/],
    [() => makeOptimizer("adam", { betas: 0.9 }), /adam: option: expected one of lr, beta1, beta2, eps, weightDecay, amsgrad, got "betas"/],
    [() => makeOptimizer("adam", { beta1: 1 }), /adam: beta1: expected a number in \[0, 1\), got 1/],
    [() => makeOptimizer("sgd", { lr: -0.1 }), /sgd: lr: expected a finite number >= 0, got -0.1/],
    [() => makeOptimizer("sgd", { lr: NaN }), /sgd: lr: expected a finite number >= 0, got NaN/],
    [() => makeOptimizer("sgd", { nesterov: true }), /sgd: nesterov: expected momentum > 0 and dampening = 0/],
    [() => makeOptimizer("rmsprop", { centered: 1 }), /rmsprop: centered: expected true or false, got 1/],
    [() => makeOptimizer("adagrad", { eps: -1 }), /adagrad: eps: expected a finite number >= 0, got -1/],
  ];
  for (const [fn, re] of cases) assert.throws(fn, (e: unknown) => e instanceof RecurrentError && re.test(e.message));
});

test("step refuses mismatched lengths, a changed parameter count and a bad lr", () => {
  const opt = makeOptimizer("adam");
  assert.throws(() => opt.step(new Float32Array(3), new Float32Array(4)), /adam.step: grads: expected length 3 \(the length of params\), got 4/);
  opt.step(new Float32Array(3), new Float32Array(3));
  assert.throws(() => opt.step(new Float32Array(5), new Float32Array(5)), /adam.step: params: expected length 3/);
  assert.throws(() => opt.step(new Float32Array(3), new Float32Array(3), -1), /adam.step: lr: expected a finite number >= 0, got -1/);
  assert.throws(() => opt.step([1, 2, 3] as unknown as Float32Array, new Float32Array(3)), /adam.step: params: expected a Float32Array or Float64Array/);
});
