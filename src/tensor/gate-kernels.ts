// The fused gate kernels' hook: a backend (fast.ts) may install WebAssembly SIMD versions of
// the per-step element-wise work of the LSTM, GRU and Elman layers. The JavaScript loops in
// src/cells stay the reference, and run whenever no kernels are installed or an array is not
// one the kernels can address (float64, or float32 outside the wasm heap).
//
// Offsets are in elements, as everywhere in the core; `rows` consecutive batch rows are done
// per call (see wasm/assembly/gates.ts for what each kernel reads and writes).
import type { Vec } from "./types.ts";

export type KernelActivation = "tanh" | "sigmoid";

/**
 * A layer's whole time loop (wasm/assembly/gates.ts `sequence`) and the arrays it works on, by
 * name: each is a whole buffer (offset 0). wasm-gates.ts turns a job into the kernel's
 * positional argument block, in one place. Shapes as in the cells (src/cells/*.ts):
 * gates (T, B, 4H), xw/act/dhw (T, B, 3H), hs/cs (T+1, B, H), hn/dpre/dOut (T, B, H),
 * hw (B, 3H), dh/dc (B, H). `hard`: the gates' hard sigmoid; `act`: Elman's activation.
 */
export type SequenceJob =
  | { job: "lstmForward"; hard: boolean; gates: Vec; hs: Vec; cs: Vec; Whh: Vec }
  /** gates are overwritten by their gradients; dOut null when already added into dh. */
  | { job: "lstmBackward"; hard: boolean; gates: Vec; cs: Vec; dh: Vec; dc: Vec; dOut: Vec | null; Whh: Vec }
  | { job: "gruForward"; hard: boolean; xw: Vec; hw: Vec; hs: Vec; hn: Vec; Whh: Vec; bhh: Vec }
  /** act is overwritten by the gradient wrt W_ih x + b_ih. */
  | { job: "gruBackward"; hard: boolean; act: Vec; hn: Vec; hs: Vec; dh: Vec; dOut: Vec | null; dhw: Vec; Whh: Vec }
  | { job: "elmanForward"; act: KernelActivation; hs: Vec; U: Vec }
  | { job: "elmanBackward"; act: KernelActivation; hs: Vec; dh: Vec; dOut: Vec | null; dpre: Vec; U: Vec };

/** The name of a whole-sequence job. */
export type SequenceJobName = SequenceJob["job"];

export interface GateKernels {
  /** True when the kernels can address v in place. */
  has(v: Vec): boolean;
  lstmForward(gates: Vec, gOff: number, cs: Vec, cPrevOff: number, cCurOff: number,
    hs: Vec, hCurOff: number, rows: number, H: number, hard: boolean): void;
  /** dOut null: already added into dh by the caller. */
  lstmBackward(gates: Vec, gOff: number, cs: Vec, cPrevOff: number, cCurOff: number, dh: Vec, dhOff: number,
    dOut: Vec | null, dOutOff: number, dc: Vec, dcOff: number, rows: number, H: number, hard: boolean): void;
  gruForward(xw: Vec, xwOff: number, hw: Vec, hwOff: number, bhh: Vec, hs: Vec, hPrevOff: number, hCurOff: number,
    hn: Vec, hnOff: number, rows: number, H: number, hard: boolean): void;
  gruBackward(act: Vec, actOff: number, hn: Vec, hnOff: number, hs: Vec, hPrevOff: number, dh: Vec, dhOff: number,
    dOut: Vec | null, dOutOff: number, dhw: Vec, dhwOff: number, rows: number, H: number, hard: boolean): void;
  /** x (rows, n) += bias, and dbias += column sums of dx: the same bits as ops.ts's loops. */
  addBias(x: Vec, off: number, rows: number, bias: Vec, n: number): void;
  addBiasBackward(dbias: Vec, dx: Vec, off: number, rows: number, n: number): void;
  activate(x: Vec, xOff: number, y: Vec, yOff: number, n: number, act: KernelActivation): void;
  /**
   * Runs a layer's whole time loop (no masks) in WebAssembly: per step the recurrent GEMM and
   * the gate kernel above, the same bits as the cell's per-step loop over them. With threads it
   * cuts the batch into row ranges, one per thread, when the recurrent weights are small enough
   * for that to beat splitting each step's GEMM; otherwise it declines (returns false) and the
   * caller runs its per-step loop. The job names its arrays (SequenceJob).
   */
  sequence(job: SequenceJob, T: number, B: number, H: number): boolean;
  activateBackward(y: Vec, yOff: number, dh: Vec, dhOff: number, dOut: Vec | null, dOutOff: number,
    dpre: Vec, dpreOff: number, n: number, act: KernelActivation): void;
  /** The largest of z[off, off + n): a softmax row's shift. */
  rowMax(z: Vec, off: number, n: number): number;
  /**
   * Σ_j e^{z_j − m} over z[zOff, zOff + n), summed in float64; with d, also writes
   * d[dOff + j] = e^{z_j − m} · scale / Σ (softmax cross-entropy's gradient, less its −scale at
   * the target). Not a gate, but the same element-wise exp in the same module.
   */
  softmaxRow(z: Vec, zOff: number, d: Vec | null, dOff: number, n: number, m: number, scale: number): number;
}

let installed: GateKernels | null = null;

/** Installs (or, with null, removes) the fused gate kernels. */
export function setGateKernels(k: GateKernels | null): void { installed = k; }

/** The installed kernels when every array given is one they can address in place, else null
 *  (the caller then runs its JavaScript reference loop). */
export function gateKernelsFor(...arrays: Vec[]): GateKernels | null {
  if (!installed) return null;
  for (const v of arrays) if (!installed.has(v)) return null;
  return installed;
}
