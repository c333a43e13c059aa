// The fused gate kernels' hook: a backend (fast.ts) may install WebAssembly SIMD versions of
// the per-step element-wise work of the LSTM, GRU and Elman layers. The JavaScript loops in
// src/cells stay the reference, and run whenever no kernels are installed or an array is not
// one the kernels can address (float64, or float32 outside the wasm heap).
//
// Offsets are in elements, as everywhere in the core; `rows` consecutive batch rows are done
// per call (see wasm/assembly/gates.ts for what each kernel reads and writes).
import type { Vec } from "./types.ts";

export type KernelActivation = "tanh" | "sigmoid";

/** A layer's whole time loop (wasm/assembly/gates.ts `sequence`); the arrays it takes, in order:
 *  lstmForward gates, hs, cs, W_hh · lstmBackward gates, cs, dh, dc, dOut, W_hh ·
 *  gruForward xw, hw, hs, hn, W_hh, b_hh · gruBackward act, hn, hs, dh, dOut, dhw, W_hh ·
 *  elmanForward hs, U · elmanBackward hs, dh, dOut, dpre, U. */
export type SequenceJob = "lstmForward" | "lstmBackward" | "gruForward" | "gruBackward" | "elmanForward" | "elmanBackward";

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
   * caller runs its per-step loop. Arrays are whole buffers, in the job's order (SequenceJob);
   * null for an absent dOut. flag: gates hard (1) or not (0); Elman 0 tanh, 1 sigmoid.
   */
  sequence(job: SequenceJob, T: number, B: number, H: number, flag: number, arrays: Array<Vec | null>): boolean;
  activateBackward(y: Vec, yOff: number, dh: Vec, dhOff: number, dOut: Vec | null, dOutOff: number,
    dpre: Vec, dpreOff: number, n: number, act: KernelActivation): void;
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
