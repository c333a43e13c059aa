// The WebAssembly side of the fused gate kernels: wraps an instance of wasm/assembly/gates.ts on the
// wasm heap's memory, turning (array, element offset) pairs into the byte pointers it takes,
// and decides where a whole-sequence job runs (the caller, or row ranges over the threads).
// Which build of the module (plain or relaxed SIMD) is loaded: wasm/modules.ts.
import type { GateKernels, KernelActivation, SequenceJob, SequenceJobName } from "./gate-kernels.ts";
import { SEQ_ARGS, type GemmPool } from "./threads.ts";
import type { Vec } from "./types.ts";
import type { WasmHeap } from "./wasm-heap.ts";
import type { WasmExports } from "./wasm/host.ts";

type Fn = (...args: number[]) => void;
type NumFn = (...args: number[]) => number;

const ACT: Record<KernelActivation, number> = { tanh: 0, sigmoid: 1 };

/** Largest recurrent weight matrix (bytes) for which a threaded sequence job splits the batch
 *  rather than leaving the threads to split each step's GEMMs by columns. Split by rows, each
 *  thread streams the whole matrix every step, which pays while it stays in the core's own
 *  cache (1 MiB of L2 here): rows won for C1's GRU (768 KiB), columns for C1's LSTM (1 MiB) and
 *  C3's (4 MiB) (`npm run bench -- --thread-split columns`, docs/performance.md). */
export const SEQUENCE_SPLIT_MAX_WEIGHT_BYTES = 768 * 1024;
/** Fewest flops (2·T·B·G·H, its recurrent GEMMs) for which a sequence job is split over the
 *  threads: C2's Elman (6.6 MFLOP a job) trained at 1.76M tokens/s split and 2.80M on one
 *  thread; C2's LSTM and GRU (20–26 MFLOP) gained 1.0–1.4× (docs/performance.md). */
export const SEQUENCE_SPLIT_MIN_FLOPS = 16e6;
/** Fewest batch rows per thread for a split sequence job. */
const SEQUENCE_MIN_ROWS = 4;

const GATE_BLOCKS: Record<SequenceJobName, number> = {
  lstmForward: 4, lstmBackward: 4, gruForward: 3, gruBackward: 3, elmanForward: 1, elmanBackward: 1,
};

/** A job's flag and arrays in the order assembly/gates.ts's `sequence` reads them (its SEQ_*
 *  constants): the one place in TypeScript that writes the positional order down. The flag is
 *  1 for hard-sigmoid gates (LSTM, GRU) or a sigmoid Elman layer, else 0. */
function positional(j: SequenceJob): { flag: number; arrays: Array<Vec | null> } {
  switch (j.job) {
    case "lstmForward": return { flag: +j.hard, arrays: [j.gates, j.hs, j.cs, j.Whh] };
    case "lstmBackward": return { flag: +j.hard, arrays: [j.gates, j.cs, j.dh, j.dc, j.dOut, j.Whh] };
    case "gruForward": return { flag: +j.hard, arrays: [j.xw, j.hw, j.hs, j.hn, j.Whh, j.bhh] };
    case "gruBackward": return { flag: +j.hard, arrays: [j.act, j.hn, j.hs, j.dh, j.dOut, j.dhw, j.Whh] };
    case "elmanForward": return { flag: ACT[j.act], arrays: [j.hs, j.U] };
    case "elmanBackward": return { flag: ACT[j.act], arrays: [j.hs, j.dh, j.dOut, j.dpre, j.U] };
  }
}

export interface GateKernelsSetup {
  /** The gates instance's exports (instantiated with env.gemm, the caller's GEMM). */
  exports: WasmExports;
  /** The caller's GEMM scratch, and an argument block of SEQ_ARGS Int32s, both in the heap. */
  scratch: number; args: number;
  /** The thread pool, if any, and how many threads it has with the caller. */
  pool: GemmPool | null; threads: number;
  /** Override SEQUENCE_SPLIT_MAX_WEIGHT_BYTES and SEQUENCE_SPLIT_MIN_FLOPS. */
  splitMaxWeightBytes?: number; splitMinFlops?: number;
}

/** The gate kernels over `heap`; they address only float32 arrays that live in it. */
export function createGateKernels(heap: WasmHeap, setup: GateKernelsSetup): GateKernels {
  const ex = setup.exports as Record<string, Fn>;
  const num = setup.exports as Record<string, NumFn>;
  const glob = (name: string): number => (setup.exports[name] as WebAssembly.Global).value as number;
  const JOBS: Record<SequenceJobName, number> = {
    lstmForward: glob("SEQ_LSTM_FORWARD"), lstmBackward: glob("SEQ_LSTM_BACKWARD"),
    gruForward: glob("SEQ_GRU_FORWARD"), gruBackward: glob("SEQ_GRU_BACKWARD"),
    elmanForward: glob("SEQ_ELMAN_FORWARD"), elmanBackward: glob("SEQ_ELMAN_BACKWARD"),
  };
  const nArgs = glob("SEQ_ARGS");
  if (nArgs !== SEQ_ARGS) throw new Error(`gates.wasm takes ${nArgs} sequence arguments, threads.ts passes ${SEQ_ARGS}: rebuild`);
  const maxWeight = setup.splitMaxWeightBytes ?? SEQUENCE_SPLIT_MAX_WEIGHT_BYTES;
  const minFlops = setup.splitMinFlops ?? SEQUENCE_SPLIT_MIN_FLOPS;
  const argBlock = (): Int32Array => new Int32Array(heap.memory.buffer, setup.args, nArgs);
  const p = (v: Vec, off: number): number => heap.addressOf(v, off);
  return {
    has: (v) => v instanceof Float32Array && heap.addressOf(v, 0) >= 0,
    lstmForward: (gates, gOff, cs, cPrevOff, cCurOff, hs, hCurOff, rows, H, hard) =>
      ex.lstmForward(p(gates, gOff), p(cs, cPrevOff), p(cs, cCurOff), p(hs, hCurOff), rows, H, +hard),
    lstmBackward: (gates, gOff, cs, cPrevOff, cCurOff, dh, dhOff, dOut, dOutOff, dc, dcOff, rows, H, hard) =>
      ex.lstmBackward(p(gates, gOff), p(cs, cPrevOff), p(cs, cCurOff), p(dh, dhOff), dOut ? p(dOut, dOutOff) : 0,
        p(dc, dcOff), rows, H, +hard),
    gruForward: (xw, xwOff, hw, hwOff, bhh, hs, hPrevOff, hCurOff, hn, hnOff, rows, H, hard) =>
      ex.gruForward(p(xw, xwOff), p(hw, hwOff), p(bhh, 0), p(hs, hPrevOff), p(hs, hCurOff), p(hn, hnOff), rows, H, +hard),
    gruBackward: (act, actOff, hn, hnOff, hs, hPrevOff, dh, dhOff, dOut, dOutOff, dhw, dhwOff, rows, H, hard) =>
      ex.gruBackward(p(act, actOff), p(hn, hnOff), p(hs, hPrevOff), p(dh, dhOff), dOut ? p(dOut, dOutOff) : 0,
        p(dhw, dhwOff), rows, H, +hard),
    addBias: (x, off, rows, bias, n) => ex.addBias(p(x, off), rows, p(bias, 0), n),
    addBiasBackward: (dbias, dx, off, rows, n) => ex.addBiasBackward(p(dbias, 0), p(dx, off), rows, n),
    activate: (x, xOff, y, yOff, n, act) => ex.activate(p(x, xOff), p(y, yOff), n, ACT[act]),
    sequence: (job, T, B, H) => {
      const { pool, threads } = setup;
      const weightBytes = GATE_BLOCKS[job.job] * H * H * 4;
      // Too big for every thread to stream the weights, or too few rows to share: decline, so
      // that the caller's per-step loop lets the threads split each step's GEMMs instead.
      if (pool && (weightBytes > maxWeight || B < 2 * SEQUENCE_MIN_ROWS)) return false;
      const { flag, arrays } = positional(job);
      const args = [JOBS[job.job], T, B, H, flag, ...arrays.map((v) => (v ? p(v, 0) : 0))];
      // Rows over the threads when the job repays waking a worker; else the caller runs it all.
      if (pool && 2 * T * B * weightBytes / 4 >= minFlops) {
        pool.runSequence(args, Math.min(threads, Math.floor(B / SEQUENCE_MIN_ROWS)));
      } else {
        argBlock().set(args);   // a fresh view: the memory's buffer changes when it grows
        ex.sequence(setup.args, 0, B, setup.scratch);
      }
      return true;
    },
    activateBackward: (y, yOff, dh, dhOff, dOut, dOutOff, dpre, dpreOff, n, act) =>
      ex.activateBackward(p(y, yOff), p(dh, dhOff), dOut ? p(dOut, dOutOff) : 0, p(dpre, dpreOff), n, ACT[act]),
    rowMax: (z, off, n) => num.rowMax(p(z, off), n),
    softmaxRow: (z, zOff, d, dOff, n, m, scale) => num.softmaxRow(p(z, zOff), d ? p(d, dOff) : 0, n, m, scale),
  };
}
