// The fast backend: a Backend (backend.ts) made of the WebAssembly SIMD GEMM
// (wasm/assembly/gemm.ts), the fused gate kernels (wasm/assembly/gates.ts) and an allocator
// that places every float32 buffer in their shared memory, so both read operands in place.
// One call: `useFastBackend()` builds and installs it; `useReferenceBackend()` installs the
// reference instead (buffers already handed out stay valid).
//
// Two builds of the kernels (wasm/modules.ts): plain SIMD ("wasm-simd") and relaxed SIMD with
// fused multiply-add ("wasm-relaxed-simd"). `fma` picks: "auto" (the default) takes the relaxed
// build where the host validates it, true insists on it, false keeps plain SIMD.
//
// Float32Arrays outside the heap still work: they are copied into a staging area and the
// result copied back. Float64Arrays (gradient checks) go to gemmReference. Every float32
// GEMM goes to wasm whatever its size, because a row's bits must not depend on M (the
// step API and the whole-sequence forward must agree bit for bit), and the wasm and
// reference kernels round differently. The gate kernels likewise run for every float32
// heap array, whatever the batch, and compute each row independently of the others.
//
// Threads claim chunks of C's columns, or of a batch's rows for a layer's whole time loop
// (threads.ts, wasm-gates.ts), which changes no bits.
//
// Not here: worker creation (the host passes `spawn`; see src/node/threads.ts).
import { gemmReference, type Gemm } from "./gemm.ts";
import { WasmHeap } from "./wasm-heap.ts";
import { relaxedSimdSupported, wasmModules } from "./wasm/modules.ts";
import { GemmPool, CTRL_INTS, SEQ_ARGS, type Spawn } from "./threads.ts";
import type { GateKernels } from "./gate-kernels.ts";
import { createGateKernels } from "./wasm-gates.ts";
import { installBackend, installedBackend, referenceBackend, type Backend } from "./backend.ts";

type WasmGemm = (tA: number, tB: number, M: number, N: number, K: number, a: number, b: number,
  c: number, acc: number, j0: number, j1: number, scratch: number) => void;

export interface FastOptions {
  /** Fused multiply-add (the relaxed-SIMD build): "auto" (default) where the host validates
   *  it, true to insist (throws where it does not), false for plain SIMD (the same bits on
   *  every machine). Node 20 validates it only after allowRelaxedSimd() (src/node/threads.ts). */
  fma?: boolean | "auto";
  /** Threads in all, counting the caller's (default 1). Needs `spawn` when above 1. */
  threads?: number;
  /** Starts a worker thread (see threads.ts). */
  spawn?: Spawn;
  /** Smallest 2·M·N·K worth splitting over threads (default: measured, see docs/performance.md). */
  threadMinFlops?: number;
  /** Iterations a worker spins before it sleeps. */
  spin?: number;
  /** Install the WebAssembly SIMD gate kernels (default true; false keeps the JavaScript
   *  gate loops, for ablations). */
  fusedGates?: boolean;
  /** With threads: the largest recurrent weight matrix (bytes) for which a layer's time loop
   *  is split by batch rows rather than each step's GEMM by columns (default
   *  SEQUENCE_SPLIT_MAX_WEIGHT_BYTES in wasm-gates.ts). */
  sequenceSplitMaxWeightBytes?: number;
  /** With threads: the fewest flops (2·T·B·G·H) for which a layer's time loop is split by
   *  batch rows (smaller ones run on the caller; default SEQUENCE_SPLIT_MIN_FLOPS). */
  sequenceSplitMinFlops?: number;
}

/** Default hand-off threshold in flops (2·M·N·K); measured by bench/gemm.ts on 2 cores. */
export const THREAD_MIN_FLOPS = 2_000_000;
/** Fewest columns of C worth splitting: threads split C by columns, and below this the chunks
 *  are too narrow to repay the hand-off and the repacking of A each chunk does (C2's weight
 *  gradients, 32 columns, ran 13–20 % slower split; measured in docs/performance.md). */
export const THREAD_MIN_COLUMNS = 64;

export interface FastBackend extends Backend {
  readonly name: "wasm-simd" | "wasm-relaxed-simd";
  heap: WasmHeap;
  /** The wasm GEMM, split over the threads when big enough. */
  gemm: Gemm;
  /** The wasm GEMM on the calling thread only, for benchmarks and tests. */
  gemmSingle: Gemm;
  /** The fused gate kernels over this heap (installed by useFastBackend unless fusedGates is false). */
  gates: GateKernels;
  /** A float32 buffer in the heap (an ordinary array when the heap is full). */
  allocF32: (n: number) => Float32Array;
  threads: number;
  /** Threads that have started (workers start asynchronously). */
  readyThreads(): number;
  /** GEMM chunks computed by worker threads so far. */
  chunksByWorkers(): number;
  stop(): void;
}

// The fast backend behind each installed Backend (the same object, or a copy without gates).
const fastOf = new WeakMap<Backend, FastBackend>();

/** Create the fast backend without installing it (tests compare it with the reference). */
export function createFastBackend(opts: FastOptions = {}): FastBackend {
  const threads = Math.max(1, Math.floor(opts.threads ?? 1));
  if (threads > 1 && !opts.spawn) throw new Error("useFastBackend: threads > 1 needs a spawn function (src/node/threads.ts)");
  const minFlops = opts.threadMinFlops ?? THREAD_MIN_FLOPS;
  const fma = opts.fma ?? "auto";
  if (fma === true && !relaxedSimdSupported()) {
    throw new Error("useFastBackend: expected a host that validates WebAssembly relaxed SIMD for fma: true, got one that does not (Node 20 needs allowRelaxedSimd() from src/node/threads.ts first; fma: \"auto\" falls back to plain SIMD)");
  }
  const build = fma === false || (fma === "auto" && !relaxedSimdSupported()) ? "simd" : "relaxed-simd";
  const { gemm: module, gates: gatesModule } = wasmModules(build);
  const heap = new WasmHeap();
  const inst = new WebAssembly.Instance(module as WebAssembly.Module, { env: { memory: heap.memory as WebAssembly.Memory } });
  const wgemm = inst.exports.gemm as WasmGemm;
  const scratchBytes = (inst.exports.scratchBytes as () => number)();
  const mainScratch = heap.allocBytes(scratchBytes);
  const workerScratch: number[] = [];
  for (let t = 1; t < threads; t++) workerScratch.push(heap.allocBytes(scratchBytes));
  const ctrl = threads > 1 ? heap.allocBytes(CTRL_INTS * 4) : -1;
  const seqArgs = heap.allocBytes(SEQ_ARGS * 4);
  if (mainScratch < 0 || ctrl < -1 || seqArgs < 0 || workerScratch.some((p) => p < 0)) throw new Error("useFastBackend: no wasm memory for scratch");
  // The gate kernels' module calls this thread's GEMM for its whole-sequence loops.
  const gates = new WebAssembly.Instance(gatesModule as WebAssembly.Module, { env: { memory: heap.memory as WebAssembly.Memory, gemm: wgemm } }).exports;
  const pool = threads > 1 ? new GemmPool(heap.memory, module, gatesModule, ctrl, workerScratch, opts.spawn!, opts.spin ?? 20000,
    wgemm, gates.sequence as (args: number, b0: number, b1: number, scratch: number) => void, mainScratch) : null;

  // Staging for operands that are not in the heap; grown on demand, never shrunk.
  let stage = -1, stageBytes = 0;

  function run(tA: boolean, tB: boolean, M: number, N: number, K: number, a: number, b: number, c: number, acc: boolean): void {
    if (pool && 2 * M * N * K >= minFlops && N >= THREAD_MIN_COLUMNS) {
      // Chunks of C's columns, claimed by whichever thread is free. Four per thread balance a
      // busy machine; a transposed A without transposed B is repacked by every chunk (M·K
      // each), so there one chunk per thread.
      pool.run(+tA, +tB, M, N, K, a, b, c, +acc, threads * (tA && !tB ? 1 : 4));
      return;
    }
    wgemm(+tA, +tB, M, N, K, a, b, c, +acc, 0, N, mainScratch);
  }

  function makeGemm(split: boolean): Gemm {
    return (tA, tB, M, N, K, A, aOff, B, bOff, C, cOff, acc) => {
      if (!(A instanceof Float32Array && B instanceof Float32Array && C instanceof Float32Array)) {
        gemmReference(tA, tB, M, N, K, A, aOff, B, bOff, C, cOff, acc);
        return;
      }
      if (M <= 0 || N <= 0) return;
      let pa = heap.addressOf(A, aOff), pb = heap.addressOf(B, bOff), pc = heap.addressOf(C, cOff);
      if (pa < 0 || pb < 0 || pc < 0) {
        // Copy what is outside the heap into staging: A (M·K), B (K·N), C (M·N).
        const need = (pa < 0 ? M * K : 0) + (pb < 0 ? K * N : 0) + (pc < 0 ? M * N : 0);
        if (need * 4 > stageBytes) {
          if (stage >= 0) heap.releaseBytes(stage, stageBytes);
          stageBytes = need * 4;
          stage = heap.allocBytes(stageBytes);
          if (stage < 0) { stageBytes = 0; gemmReference(tA, tB, M, N, K, A, aOff, B, bOff, C, cOff, acc); return; }
        }
        const view = new Float32Array(heap.memory.buffer, stage, need);
        let at = 0;
        if (pa < 0) { view.set(A.subarray(aOff, aOff + M * K), at); pa = stage + at * 4; at += M * K; }
        if (pb < 0) { view.set(B.subarray(bOff, bOff + K * N), at); pb = stage + at * 4; at += K * N; }
        if (pc < 0) {
          const cv = view.subarray(at, at + M * N);
          if (acc) cv.set(C.subarray(cOff, cOff + M * N));
          const p = stage + at * 4;
          if (split) run(tA, tB, M, N, K, pa, pb, p, acc); else wgemm(+tA, +tB, M, N, K, pa, pb, p, +acc, 0, N, mainScratch);
          C.set(cv, cOff);
          return;
        }
      }
      if (split) run(tA, tB, M, N, K, pa, pb, pc, acc); else wgemm(+tA, +tB, M, N, K, pa, pb, pc, +acc, 0, N, mainScratch);
    };
  }

  return {
    name: build === "simd" ? "wasm-simd" : "wasm-relaxed-simd",
    heap,
    allocF32: (n) => heap.allocF32(n) ?? new Float32Array(n),
    gemm: makeGemm(true),
    gemmSingle: makeGemm(false),
    gates: createGateKernels(heap, { exports: gates, scratch: mainScratch, args: seqArgs, pool, threads,
      splitMaxWeightBytes: opts.sequenceSplitMaxWeightBytes, splitMinFlops: opts.sequenceSplitMinFlops }),
    threads,
    readyThreads: () => 1 + (pool ? pool.ready() : 0),
    chunksByWorkers: () => pool ? pool.chunksByWorkers() : 0,
    stop: () => pool?.stop(),
  };
}

/**
 * Install the fast backend (installBackend): wasm SIMD GEMM for float32, float32 buffers in
 * wasm memory, optionally worker threads, with or without FMA (`fma`). Returns the backend
 * (its name, heap, thread count, stop()).
 */
export function useFastBackend(opts: FastOptions = {}): FastBackend {
  const fb = createFastBackend(opts);
  const b: Backend = opts.fusedGates === false ? { ...fb, gates: null } : fb;
  fastOf.set(b, fb);
  installBackend(b);
  return fb;
}

/** Back to the plain TypeScript GEMM and ordinary Float32Arrays (installBackend(referenceBackend)). */
export function useReferenceBackend(): void { installBackend(referenceBackend); }

/** The installed fast backend, if any. */
export function fastBackend(): FastBackend | null { return fastOf.get(installedBackend()) ?? null; }
