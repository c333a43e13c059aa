// The FMA kernels (the relaxed-SIMD build, "wasm-relaxed-simd") against the reference and the
// plain SIMD kernels. f32x4.relaxed_madd may or may not fuse on a given machine, so they are
// held to a tolerance, not to bits: the GEMM within float32 rounding of the reference for every
// transpose mode, each gate kernel within float32 rounding of the plain SIMD kernel on the same
// inputs, whole layers (forward, every gradient, masked or not) within float32 rounding of the
// reference. On one machine they are deterministic: a row's bits do not depend on M, the step API
// equals the whole-sequence forward, threads change no bits, and two runs agree bit for bit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { pathToFileURL } from "node:url";
import { relaxedSimdSupported } from "../../src/tensor/wasm/modules.ts";
import { allowRelaxedSimd, spawnNode, threadsReady } from "../../src/node/threads.ts";
import { createFastBackend, fastBackend, useFastBackend, useReferenceBackend, type FastBackend } from "../../src/tensor/fast.ts";
import { installedBackend, backendLabel } from "../../src/tensor/backend.ts";
import { gemmReference, gemmName } from "../../src/tensor/gemm.ts";
import { sigmoid } from "../../src/tensor/ops.ts";
import { Rng } from "../../src/rand.ts";
import type { ModelConfig } from "../../src/model/config.ts";
import { forwardBackward } from "../helpers/layer-run.ts";

const relaxedOnItsOwn = relaxedSimdSupported();   // Node 22+: without V8's flag
const relaxed = allowRelaxedSimd();   // Node 20: V8's flag, before any module is compiled

test("this Node runs relaxed SIMD once allowed; fma picks the build, auto takes FMA where it validates", () => {
  assert.ok(relaxed, "Node 20+ validates the relaxed-SIMD modules (with the flag on Node 20)");
  const plain = createFastBackend({ fma: false }), fused = createFastBackend({ fma: true }), auto = createFastBackend();
  assert.deepEqual([plain.name, fused.name, auto.name], ["wasm-simd", "wasm-relaxed-simd", "wasm-relaxed-simd"]);
  for (const b of [plain, fused, auto]) b.stop();
  const fb = useFastBackend({ fma: true });
  try {
    assert.equal(installedBackend(), fb);
    assert.equal(fastBackend(), fb);
    assert.equal(gemmName(), "wasm-relaxed-simd");
    assert.equal(backendLabel({ name: fb.name, threads: 2 }), "wasm-relaxed-simd ×2 threads");
  } finally { useReferenceBackend(); }
  assert.equal(installedBackend().name, "reference");
  assert.equal(fastBackend(), null);
});

function filled(fb: FastBackend, rng: Rng, n: number): Float32Array {
  const v = fb.heap.allocF32(n)!;
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return v;
}

test("the FMA GEMM equals the reference within float32 rounding in every mode; a row's bits do not depend on M", () => {
  const fb = createFastBackend({ fma: true });
  const rng = new Rng(17);
  try {
    for (let trial = 0; trial < 64; trial++) {
      const M = 1 + rng.int(40), N = 1 + rng.int(70), K = 1 + rng.int(trial < 56 ? 70 : 600);
      const tA = (trial & 1) === 1, tB = (trial & 2) === 2, acc = (trial & 4) === 4;
      const A = filled(fb, rng, M * K), B = filled(fb, rng, K * N), C = filled(fb, rng, M * N);
      const C0 = new Float32Array(C), R = new Float64Array(C0);
      fb.gemm(tA, tB, M, N, K, A, 0, B, 0, C, 0, acc);
      gemmReference(tA, tB, M, N, K, new Float64Array(A), 0, new Float64Array(B), 0, R, 0, acc);
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let mag = acc ? Math.abs(C0[i * N + j]) : 0;
        for (let k = 0; k < K; k++) mag += Math.abs(A[tA ? k * M + i : i * K + k] * B[tB ? j * K + k : k * N + j]);
        assert.ok(Math.abs(C[i * N + j] - R[i * N + j]) <= 2e-6 * mag + 1e-30, `M=${M} N=${N} K=${K} tA=${tA} tB=${tB}: C[${i},${j}] = ${C[i * N + j]}, float64 ${R[i * N + j]}`);
      }
      // Row i alone (M = 1, op(A)'s row i) gives the same bits as inside the M-row product.
      const i = rng.int(M), row = fb.heap.allocF32(K)!, one = fb.heap.allocF32(N)!;
      for (let k = 0; k < K; k++) row[k] = A[tA ? k * M + i : i * K + k];
      one.set(C0.subarray(i * N, (i + 1) * N));
      fb.gemm(false, tB, 1, N, K, row, 0, B, 0, one, 0, acc);
      assert.deepEqual(Array.from(one), Array.from(C.subarray(i * N, (i + 1) * N)), `row ${i} of M=${M}, N=${N}, K=${K}`);
    }
  } finally { fb.stop(); }
});

/** Distance in float32 ulps of the true value; below the smallest normal, in units of it. */
function ulps(got: number, want: number): number {
  const a = Math.abs(want);
  const ulp = a < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
  return Math.abs(got - want) / ulp;
}

test("the FMA kernels' tanh and sigmoid are within 3 float32 ulps of the true values", () => {
  const fb = createFastBackend({ fma: true });
  const xs: number[] = [0, 1e-30, -3e-4, 0.6249, 0.625, 0.6251, 9, 44, 88, -88, -100, 1e4];
  for (let i = 0; i <= 100_000; i++) xs.push(-30 + 60 * i / 100_000);
  const x = fb.heap.allocF32(xs.length)!, y = fb.heap.allocF32(xs.length)!;
  x.set(xs);
  for (const act of ["tanh", "sigmoid"] as const) {
    fb.gates.activate(x, 0, y, 0, xs.length, act);
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      const want = act === "tanh" ? Math.tanh(x[i]) : sigmoid(x[i]);
      if (Math.abs(want) < 1e-38) { assert.ok(Math.abs(y[i]) <= 1e-38); continue; }
      worst = Math.max(worst, ulps(y[i], want));
    }
    assert.ok(worst <= 3, `${act}: worst ${worst} ulps`);
  }
  fb.stop();
});

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0, diff = 0;
  for (let i = 0; i < a.length; i++) { scale = Math.max(scale, Math.abs(b[i])); diff = Math.max(diff, Math.abs(a[i] - b[i])); }
  return diff / Math.max(scale, 1e-30);
}

test("each FMA gate kernel equals the plain SIMD kernel within float32 rounding (H with a scalar tail, soft and hard gates)", () => {
  const plain = createFastBackend({ fma: false }), fused = createFastBackend({ fma: true });
  const rows = 5, H = 13;
  // The same inputs in each backend's heap: `make` draws them once, `inputs` copies them in.
  const rng = new Rng(3);
  const sizes = { g4: rows * 4 * H, g3: rows * 3 * H, h: rows * H, c2: 2 * rows * H, b3: 3 * H };
  const draw = Object.fromEntries(Object.entries(sizes).map(([k, n]) => [k, Float32Array.from({ length: n }, () => 1.5 * rng.normal())])) as Record<keyof typeof sizes, Float32Array>;
  const inputs = (fb: FastBackend) => Object.fromEntries(Object.entries(draw).map(([k, v]) => [k, (() => { const a = fb.heap.allocF32(v.length)!; a.set(v); return a; })()])) as Record<keyof typeof sizes, Float32Array>;
  // Activations for the backward kernels: gate outputs in (0, 1), tanh outputs in (−1, 1).
  const squash = (v: Float32Array) => v.map((x) => 1 / (1 + Math.exp(-x)));
  type Run = (fb: FastBackend, a: Record<keyof typeof sizes, Float32Array>, hard: boolean) => Float32Array[];
  const kernels: Record<string, Run> = {
    lstmForward: (fb, a, hard) => { fb.gates.lstmForward(a.g4, 0, a.c2, 0, rows * H, a.h, 0, rows, H, hard); return [a.g4, a.c2, a.h]; },
    lstmBackward: (fb, a, hard) => { a.g4.set(squash(a.g4)); fb.gates.lstmBackward(a.g4, 0, a.c2, 0, rows * H, a.h, 0, null, 0, a.c2, rows * H, rows, H, hard); return [a.g4, a.c2]; },
    gruForward: (fb, a, hard) => { const hw = fb.heap.allocF32(sizes.g3)!; hw.set(draw.g3.map((x) => -x)); fb.gates.gruForward(a.g3, 0, hw, 0, a.b3, a.c2, 0, rows * H, a.h, 0, rows, H, hard); return [a.g3, a.c2, a.h]; },
    gruBackward: (fb, a, hard) => { a.g3.set(squash(a.g3)); const dhw = fb.heap.allocF32(sizes.g3)!; fb.gates.gruBackward(a.g3, 0, a.h, 0, a.c2, 0, a.c2, rows * H, null, 0, dhw, 0, rows, H, hard); return [a.g3, dhw, a.c2]; },
    activate: (fb, a) => { fb.gates.activate(a.h, 0, a.h, 0, rows * H, "tanh"); fb.gates.activate(a.g3, 0, a.g3, 0, sizes.g3, "sigmoid"); return [a.h, a.g3]; },
    activateBackward: (fb, a) => { a.c2.set(squash(a.c2)); fb.gates.activateBackward(a.c2, 0, a.h, 0, a.g4, 0, a.g3, 0, rows * H, "tanh"); return [a.g3]; },
  };
  try {
    for (const [name, run] of Object.entries(kernels)) for (const hard of [false, true]) {
      const want = run(plain, inputs(plain), hard), got = run(fused, inputs(fused), hard);
      want.forEach((w, k) => assert.ok(maxRel(got[k], w) < 2e-6, `${name}${hard ? " (hard)" : ""} output ${k}: ${maxRel(got[k], w)}`));
    }
  } finally { plain.stop(); fused.stop(); }
});

const configs: Array<Partial<ModelConfig>> = [
  { cell: "elman", input: 5, hidden: 13, layers: 2, output: 3 },
  { cell: "jordan", input: 5, hidden: 11, state: 4, output: 3 },
  { cell: "lstm", input: 5, hidden: 13, layers: 2, output: 3 },
  { cell: "lstm", input: 4, hidden: 8, output: 2, gateActivation: "hard_sigmoid" },
  { cell: "gru", input: 5, hidden: 13, layers: 2, output: 3 },
];

for (const cfg of configs) for (const masked of [false, true]) {
  test(`FMA backend: ${JSON.stringify(cfg)}${masked ? ", masked" : ""} forward and backward equal the reference within float32 rounding; step API and a second run bit-exact`, () => {
    useReferenceBackend();
    const ref = forwardBackward(cfg, masked);
    useFastBackend({ fma: true });
    try {
      const a = forwardBackward(cfg, masked), b = forwardBackward(cfg, masked);
      assert.ok(maxRel(a.out, ref.out) < 1e-5, `outputs ${maxRel(a.out, ref.out)}`);
      assert.ok(maxRel(a.grads, ref.grads) < 1e-4, `grads ${maxRel(a.grads, ref.grads)}`);
      assert.ok(maxRel(a.dx, ref.dx) < 1e-4, `dx ${maxRel(a.dx, ref.dx)}`);
      assert.deepEqual([Array.from(b.out), Array.from(b.grads)], [Array.from(a.out), Array.from(a.grads)], "a second run gives the same bits");
      const m = a.model, I = m.config.input, O = m.outputSize, { T, B } = a;
      const whole = m.forward(a.x, T, B).out.slice();
      m.resetState(B);
      for (let t = 0; t < T; t++) {
        const s = m.step(a.x.subarray(t * B * I, (t + 1) * B * I));
        assert.deepEqual(Array.from(s), Array.from(whole.subarray(t * B * O, (t + 1) * B * O)), `step ${t}`);
      }
    } finally { useReferenceBackend(); }
  });
}

test("FMA backend: two threads give the same bits as one", async () => {
  const cfg: Partial<ModelConfig> = { cell: "gru", input: 16, hidden: 64, output: 4 };
  useFastBackend({ fma: true });
  const one = forwardBackward(cfg, false);
  const fb = useFastBackend({ fma: true, threads: 2, spawn: spawnNode, threadMinFlops: 0, sequenceSplitMinFlops: 0 });
  try {
    assert.equal(fb.name, "wasm-relaxed-simd");
    await threadsReady(fb);
    const two = forwardBackward(cfg, false);
    assert.deepEqual([Array.from(two.out), Array.from(two.grads), Array.from(two.dx)], [Array.from(one.out), Array.from(one.grads), Array.from(one.dx)]);
  } finally { useReferenceBackend(); }
});

/** What a fresh process's entry installs at load, under RECURRENT_BACKEND=env. */
function atLoad(entry: string, env: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const e = { ...process.env };
    if (env === undefined) delete e.RECURRENT_BACKEND; else e.RECURRENT_BACKEND = env;
    const p = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e",
      `const r = await import(${JSON.stringify(pathToFileURL(entry).href)}); process.stdout.write(r.defaultBackend().name + " " + r.installedBackend().name);`], { env: e });
    let out = "", err = "";
    p.stdout.on("data", (d) => { out += d; });
    p.stderr.on("data", (d) => { err += d; });
    p.on("close", (code) => code === 0 ? resolve(out) : reject(new Error(err)));
  });
}

test("the package installs FMA kernels at load where the host runs them (the Node entry allows them first), plain SIMD where not, and RECURRENT_BACKEND chooses", async () => {
  const got = await Promise.all([
    atLoad("src/index.ts", undefined), atLoad("src/index.ts", "simd"), atLoad("src/index.ts", "reference"),
    atLoad("src/browser.ts", undefined),   // the browser entry in Node 20: no flag set, so no relaxed SIMD
  ]);
  assert.deepEqual(got, ["wasm-relaxed-simd wasm-relaxed-simd", "wasm-simd wasm-simd", "reference reference",
    relaxedOnItsOwn ? "wasm-relaxed-simd wasm-relaxed-simd" : "wasm-simd wasm-simd"]);
});
