// General matrix multiply, the one heavy primitive. Reference implementation in plain
// TypeScript; a fast backend (WebAssembly SIMD, threads) replaces it when installed
// (backend.ts's installBackend, through `setGemm`), and must agree with this one within
// float32 rounding.
//
//   C[M,N] (+)= op(A)[M,K] · op(B)[K,N]
//   A is stored (M,K) row-major, or (K,M) when transA; B is stored (K,N), or (N,K) when
//   transB; C is (M,N). Offsets index into the arrays, so callers slice without views.
//
// Every output element is summed over k in increasing order, whatever M is, so the
// same row gives the same bits in a batched call and in a one-step call.
import type { Vec } from "./types.ts";

export type Gemm = (
  transA: boolean, transB: boolean, M: number, N: number, K: number,
  A: Vec, aOff: number, B: Vec, bOff: number,
  C: Vec, cOff: number, accumulate: boolean,
) => void;

export const gemmReference: Gemm = (transA, transB, M, N, K, A, aOff, B, bOff, C, cOff, accumulate) => {
  if (!accumulate) C.fill(0, cOff, cOff + M * N);
  if (!transA && !transB) {
    // i-k-j order: the inner loop runs along contiguous rows of B and C.
    for (let i = 0; i < M; i++) {
      const ci = cOff + i * N;
      for (let k = 0; k < K; k++) {
        const a = A[aOff + i * K + k];
        if (a === 0) continue;
        const bk = bOff + k * N;
        for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
      }
    }
  } else if (!transA && transB) {
    // dot products of rows of A with rows of B.
    for (let i = 0; i < M; i++) {
      const ai = aOff + i * K;
      for (let j = 0; j < N; j++) {
        const bj = bOff + j * K;
        let s = 0;
        for (let k = 0; k < K; k++) s += A[ai + k] * B[bj + k];
        C[cOff + i * N + j] += s;
      }
    }
  } else if (transA && !transB) {
    // A^T B: used for weight gradients, sum over the K rows (time × batch).
    for (let k = 0; k < K; k++) {
      const ak = aOff + k * M, bk = bOff + k * N;
      for (let i = 0; i < M; i++) {
        const a = A[ak + i];
        if (a === 0) continue;
        const ci = cOff + i * N;
        for (let j = 0; j < N; j++) C[ci + j] += a * B[bk + j];
      }
    }
  } else {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[aOff + k * M + i] * B[bOff + j * K + k];
        C[cOff + i * N + j] += s;
      }
    }
  }
};

let active: Gemm = gemmReference;
let activeName = "reference";

/** The GEMM in use. Kernels call `gemm(...)`, which dispatches to the active backend. */
export const gemm: Gemm = (tA, tB, M, N, K, A, aOff, B, bOff, C, cOff, acc) =>
  active(tA, tB, M, N, K, A, aOff, B, bOff, C, cOff, acc);

/** The hook backend.ts's installBackend sets (benchmarks may wrap the GEMM through it). */
export function setGemm(impl: Gemm, name: string): void { active = impl; activeName = name; }
export function gemmName(): string { return activeName; }
