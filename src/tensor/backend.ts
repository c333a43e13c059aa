// The backend: one value that says which kernels the numeric core runs on (its name, threads,
// GEMM, gate kernels and float32 allocator), installed in one place (installBackend). The core's
// hooks (setGemm in gemm.ts, setGateKernels in gate-kernels.ts, setF32Allocator in types.ts)
// are set here and nowhere else in src/; useFastBackend and useReferenceBackend (fast.ts), the
// package entries (default-backend.ts) and the command line (src/cli/session/backend.ts) all come
// through installBackend. A checkpoint records the installed backend's name, because the
// kernels round differently: a run resumed on other kernels does not end with the same bits.
//
//   reference          plain TypeScript (float32 or float64), the same bits everywhere
//   wasm-simd          WebAssembly SIMD, a·b + c as a mul then an add: the same bits everywhere
//   wasm-relaxed-simd  WebAssembly relaxed SIMD, a·b + c as f32x4.relaxed_madd (one rounding
//                      where the CPU has FMA): the same bits on one machine, run after run
//
// Threads change no bits (threads.ts): they are part of the label, not of the name.
//
// Not here: building a backend (fast.ts), or any Node import.
import { gemmReference, setGemm, type Gemm } from "./gemm.ts";
import { setGateKernels, type GateKernels } from "./gate-kernels.ts";
import { setF32Allocator } from "./types.ts";

export type BackendName = "reference" | "wasm-simd" | "wasm-relaxed-simd";
export const BACKEND_NAMES = ["reference", "wasm-simd", "wasm-relaxed-simd"] as const;

export interface Backend {
  readonly name: BackendName;
  /** Threads in all, counting the caller's. */
  readonly threads: number;
  /** C (+)= op(A)·op(B) (gemm.ts), for float32 and float64. */
  readonly gemm: Gemm;
  /** The fused gate kernels, or null for the cells' JavaScript loops. */
  readonly gates: GateKernels | null;
  /** Where zeros(n, "float32") comes from (the fast backend: its WebAssembly memory). */
  readonly allocF32: (n: number) => Float32Array;
  /** Releases what it holds (worker threads); called when another backend is installed. */
  stop(): void;
}

/** The plain TypeScript kernels and ordinary Float32Arrays. */
export const referenceBackend: Backend = {
  name: "reference", threads: 1, gemm: gemmReference, gates: null,
  allocF32: (n) => new Float32Array(n), stop: () => {},
};

let current: Backend = referenceBackend;

/** Installs `b` for the whole core (stopping the one it replaces); returns it. Buffers already
 *  handed out stay valid: the fast kernels copy what is not in their memory. */
export function installBackend<B extends Backend>(b: B): B {
  if (current !== b) current.stop();
  setGemm(b.gemm, backendLabel(b));
  setGateKernels(b.gates);
  setF32Allocator(b.allocF32);
  current = b;
  return b;
}

/** The installed backend (the reference until something installs another). */
export function installedBackend(): Backend { return current; }

/** "wasm-relaxed-simd ×2 threads": the name, and the threads when more than one. */
export function backendLabel(b: { name: string; threads: number }): string {
  return b.threads > 1 ? `${b.name} ×${b.threads} threads` : b.name;
}

/** How a backend's kernels multiply and add, for messages: "relaxed SIMD, FMA", "SIMD, no FMA". */
export function backendArithmetic(name: string): string {
  return name === "wasm-relaxed-simd" ? "relaxed SIMD, FMA" : name === "wasm-simd" ? "SIMD, no FMA" : name === "reference" ? "TypeScript, no FMA" : "unknown kernels";
}
