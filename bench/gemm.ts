// GEMM micro-benchmark: GFLOP/s of the plain TypeScript reference, the wasm SIMD kernel
// on one thread, and split over worker threads, at the shapes the C1 and C3 LSTM actually
// call (per step, hoisted over time, weight gradients), plus a sweep that finds where the
// thread hand-off starts to pay. --fma compares the two builds of the kernels on one thread,
// plain SIMD (mul + add) against relaxed SIMD (fused multiply-add), paired in one process:
// rounds alternate between them, so a busy machine slows both alike, and the table gives
// each one's median and the ratio of the medians.
//
//   node --import tsx bench/gemm.ts [--sweep | --ablation | --fma [--rounds N]] [--no-reference]
import { createFastBackend, type FastBackend } from "../src/tensor/fast.ts";
import { gemmReference, type Gemm } from "../src/tensor/gemm.ts";
import { allowRelaxedSimd, spawnNode, threadsReady } from "../src/node/threads.ts";

interface Shape { name: string; tA: boolean; tB: boolean; M: number; N: number; K: number }
const B = 32, T = 64, H = 256, I = 65, B3 = 64, T3 = 100, H3 = 512;
const SHAPES: Shape[] = [
  { name: "C1 step h·W_hhᵀ (fwd)", tA: false, tB: true, M: B, N: 4 * H, K: H },
  { name: "C1 step dg·W_hh (bwd)", tA: false, tB: false, M: B, N: H, K: 4 * H },
  { name: "C1 x·W_ihᵀ per step", tA: false, tB: true, M: B, N: 4 * H, K: I },
  { name: "C1 x·W_ihᵀ hoisted", tA: false, tB: true, M: T * B, N: 4 * H, K: I },
  { name: "C1 dW_hh = dgᵀ·h", tA: true, tB: false, M: 4 * H, N: H, K: T * B },
  { name: "C1 head h·Wᵀ", tA: false, tB: true, M: T * B, N: 65, K: H },
  { name: "C3 step h·W_hhᵀ (fwd)", tA: false, tB: true, M: B3, N: 4 * H3, K: H3 },
  { name: "C3 step dg·W_hh (bwd)", tA: false, tB: false, M: B3, N: H3, K: 4 * H3 },
  { name: "C3 x·W_ihᵀ hoisted", tA: false, tB: true, M: T3 * B3, N: 4 * H3, K: H3 },
  { name: "C3 dW_hh = dgᵀ·h", tA: true, tB: false, M: 4 * H3, N: H3, K: T3 * B3 },
  { name: "C2 step h·W_hhᵀ", tA: false, tB: true, M: 64, N: 128, K: 32 },
  // Generation at batch 1 (streamTokens): one row; the 4×8 register tile's 8 columns are rows
  // of A in this (swapped) mode, so 7 of 8 lanes carry padding.
  { name: "C1 generate h·W_hhᵀ (batch 1)", tA: false, tB: true, M: 1, N: 4 * H, K: H },
  // PTB's word head (Zaremba small: 20 steps × 20 rows, 200 units, 10,000 words): most of its step.
  { name: "PTB head h·Wᵀ", tA: false, tB: true, M: 400, N: 10_000, K: 200 },
  { name: "PTB head dW = dzᵀ·h", tA: true, tB: false, M: 10_000, N: 200, K: 400 },
  { name: "PTB head dh = dz·W", tA: false, tB: false, M: 400, N: 200, K: 10_000 },
];

// Single-threaded figures use this process's CPU time, not wall time: the machine is
// shared, and wall time counts the slices other processes take. Threaded figures need
// wall time (CPU time sums over threads), so they are noisier.
function gflops(g: Gemm, fb: FastBackend, s: Shape, seconds = 0.3, cpu = true): number {
  const A = fb.heap.allocF32(s.M * s.K)!, Bm = fb.heap.allocF32(s.K * s.N)!, C = fb.heap.allocF32(s.M * s.N)!;
  for (let i = 0; i < A.length; i++) A[i] = ((i * 7919) % 13) / 13 - 0.5;
  for (let i = 0; i < Bm.length; i++) Bm[i] = ((i * 104729) % 17) / 17 - 0.5;
  const run = () => g(s.tA, s.tB, s.M, s.N, s.K, A, 0, Bm, 0, C, 0, true);
  run();
  const now = cpu ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } : () => performance.now();
  let reps = 0;
  const t0 = now();
  const best: number[] = [];
  while (now() - t0 < seconds * 1000 || reps < 3) {
    const t = now(); run(); best.push(now() - t); reps++;
  }
  best.sort((a, b) => a - b);
  const median = best[best.length >> 1] / 1000;
  return 2 * s.M * s.N * s.K / median / 1e9;
}

const args = process.argv.slice(2);
allowRelaxedSimd();   // Node 20: before any module is compiled
const fb1 = createFastBackend({ fma: false });
const fb2 = createFastBackend({ fma: false, threads: 2, spawn: spawnNode, threadMinFlops: 0 });
await threadsReady(fb2);

if (args.includes("--fma")) {
  const fma = createFastBackend({ fma: true });
  const at = args.indexOf("--rounds"), rounds = at >= 0 ? Number(args[at + 1]) : 7;
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  console.log("| shape | M×N×K | SIMD GFLOP/s | FMA GFLOP/s | FMA ÷ SIMD |\n|---|---|---|---|---|");
  const ratios: number[] = [];
  for (const s of SHAPES) {
    const plain: number[] = [], fused: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so neither always follows the other's warm caches.
      if (r & 1) { fused.push(gflops(fma.gemm, fma, s, 0.1)); plain.push(gflops(fb1.gemm, fb1, s, 0.1)); }
      else { plain.push(gflops(fb1.gemm, fb1, s, 0.1)); fused.push(gflops(fma.gemm, fma, s, 0.1)); }
    }
    const p = median(plain), f = median(fused);
    ratios.push(f / p);
    console.log(`| ${s.name} | ${s.M}×${s.N}×${s.K} | ${p.toFixed(1)} | ${f.toFixed(1)} | ${(f / p).toFixed(2)}× |`);
  }
  const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
  console.log(`\nOne thread, CPU time, medians of ${rounds} alternating rounds of 0.1 s each; geometric mean of FMA ÷ SIMD ${geo.toFixed(2)}× (${fma.name} against ${fb1.name}).`);
  fma.stop();
} else if (args.includes("--ablation")) {
  // DESIGN §4.1 and §4.3 at C1 LSTM sizes: T per-step GEMMs against one GEMM over all steps.
  const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const timeIt = (f: () => void) => { f(); const r: number[] = []; for (let i = 0; i < 7; i++) { const t = cpuMs(); f(); r.push(cpuMs() - t); } return r.sort((a, b) => a - b)[3]; };
  const A = fb1.heap.allocF32(T * B * 4 * H)!, W = fb1.heap.allocF32(4 * H * H)!, C = fb1.heap.allocF32(T * B * 4 * H)!;
  const Hs = fb1.heap.allocF32(T * B * H)!; // (T, B, H)
  A.fill(0.1); W.fill(0.2); Hs.fill(0.3);
  const g = fb1.gemm;
  const rows: Array<[string, () => void, () => void]> = [
    ["input projection x·W_ihᵀ (I=65)", () => { for (let t = 0; t < T; t++) g(false, true, B, 4 * H, I, A, t * B * I, W, 0, C, t * B * 4 * H, false); },
      () => g(false, true, T * B, 4 * H, I, A, 0, W, 0, C, 0, false)],
    ["weight gradient dW_hh += dgᵀ·h", () => { for (let t = 0; t < T; t++) g(true, false, 4 * H, H, B, A, t * B * 4 * H, Hs, t * B * H, C, 0, true); },
      () => g(true, false, 4 * H, H, T * B, A, 0, Hs, 0, C, 0, true)],
  ];
  console.log("| C1 LSTM (T=64, B=32, H=256) | T per-step GEMMs, ms | one GEMM, ms | gain |\n|---|---|---|---|");
  for (const [name, per, one] of rows) {
    const a = timeIt(per), b = timeIt(one);
    console.log(`| ${name} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(a / b).toFixed(2)}× |`);
  }
  // Buffers in wasm memory against ordinary Float32Arrays copied in and out on every call,
  // for the T recurrent GEMMs of one C1 forward: h (B, H) · W_hhᵀ (4H, H) → (B, 4H).
  const hP = new Float32Array(B * H).fill(0.1), wP = new Float32Array(4 * H * H).fill(0.2), cP = new Float32Array(B * 4 * H);
  const hW = fb1.heap.allocF32(B * H)!.fill(0.1), wW = fb1.heap.allocF32(4 * H * H)!.fill(0.2), cW = fb1.heap.allocF32(B * 4 * H)!;
  const staged = timeIt(() => { for (let t = 0; t < T; t++) g(false, true, B, 4 * H, H, hP, 0, wP, 0, cP, 0, true); });
  const inPlace = timeIt(() => { for (let t = 0; t < T; t++) g(false, true, B, 4 * H, H, hW, 0, wW, 0, cW, 0, true); });
  console.log(`\n| T recurrent GEMMs of a C1 forward | copied in and out, ms | in wasm memory, ms | gain |\n|---|---|---|---|`);
  console.log(`| h·W_hhᵀ, 32×1024×256, ×64 | ${staged.toFixed(2)} | ${inPlace.toFixed(2)} | ${(staged / inPlace).toFixed(2)}× |`);
} else if (args.includes("--sweep")) {
  // Where does a second thread pay? Square-ish step GEMMs of growing size.
  console.log("| M×N×K | MFLOP | 1 thread GFLOP/s | 2 threads GFLOP/s | 2 ÷ 1 |\n|---|---|---|---|---|");
  for (const [M, N, K] of [[16, 64, 32], [32, 128, 32], [64, 128, 64], [32, 256, 128], [64, 256, 128], [32, 512, 128],
    [32, 1024, 128], [32, 1024, 256], [64, 1024, 256], [64, 2048, 512]]) {
    const s = { name: "", tA: false, tB: true, M, N, K };
    const one = gflops(fb1.gemm, fb1, s, 0.3, false), two = gflops(fb2.gemm, fb2, s, 0.3, false);
    console.log(`| ${M}×${N}×${K} | ${(2 * M * N * K / 1e6).toFixed(2)} | ${one.toFixed(1)} | ${two.toFixed(1)} | ${(two / one).toFixed(2)} |`);
  }
} else {
  const ref = !args.includes("--no-reference");
  console.log(`| shape | M×N×K | ${ref ? "reference | " : ""}wasm SIMD | wasm ×2 threads |\n|---|---|${ref ? "---|" : ""}---|---|`);
  for (const s of SHAPES) {
    const r = ref ? `${gflops(gemmReference, fb1, s, 0.2).toFixed(2)} | ` : "";
    console.log(`| ${s.name} | ${s.M}×${s.N}×${s.K} | ${r}${gflops(fb1.gemm, fb1, s).toFixed(1)} | ${gflops(fb2.gemm, fb2, s, 0.3, false).toFixed(1)} |`);
  }
  console.log("\nGFLOP/s, medians; one thread by CPU time, two threads by wall time (C's columns split, hand-off forced on).");
}
fb1.stop(); fb2.stop();
