// A pool of GEMM worker threads over shared WebAssembly memory. A job is C's columns cut
// into a few chunks (a GEMM job), or a batch's rows cut into chunks that each run a layer's
// whole time loop (a sequence job: wasm/assembly/gates.ts `sequence`). The caller and every
// worker claim chunks one at a time from a shared counter (Atomics.compareExchange) and
// compute them with their own instances of the same wasm modules and their own scratch,
// until none is left. A worker that is asleep or has
// no core (a busy machine) simply claims nothing, and the caller does the work; the
// caller waits only for chunks a worker has actually claimed. No messages: arguments go
// through a small control block of Int32s in the shared memory. Workers spin briefly
// before sleeping, because a futex wake-up costs about as much as a small GEMM.
//
// Not tied to Node: the host supplies `spawn`, which starts a worker running
// WORKER_SOURCE (src/node/threads.ts does it with node:worker_threads).
//
// A worker that dies (out of memory, an uncaught error, process.exit in it) never finishes the
// chunk it claimed, so the caller would wait forever. The host watches its workers from a
// thread that is not blocked (Node: a sentinel thread that sees the dead worker's MessagePort
// close) and marks the loss in the LOST slot, waking the caller (markLost); the caller checks
// LOST while it waits and before every job, and throws one line instead of waiting. The pool
// is then unusable: every later job throws the same.
import { RecurrentError } from "../errors.ts";
import type { WasmMemory, WasmModule } from "./wasm/host.ts";

/** Control block layout, in Int32 slots. */
const SEQ = 0;    // bumped for every job, wakes the workers
const NEXT = 1;   // claim word: job tag << 16 | chunk count << 8 | next chunk index
const DONE = 2;   // chunks finished in the current job
const ERROR = 3;  // a worker trapped
const ARGS = 4;   // tA, tB, M, N, K, a, b, c, accumulate, chunk width (a sequence job: only the width, in rows)
const BY_WORKERS = 14; // chunks computed by workers so far (tests check they took part)
const JOB = 15;   // 0: GEMM job; 1: sequence job
const SEQ_ARGS_AT = 16; // a sequence job's argument block (gates.ts SEQ_*; row count at + 2)
export const SEQ_ARGS = 12;
const LOST = 28;  // 1 + the id of a worker that died (0: none); set by the host, see markLost
const READY = 32; // + worker id: 1 once started
export const CTRL_INTS = 48;
const MAX_WORKERS = CTRL_INTS - READY;

/** What a worker needs: the shared memory, the compiled module, the control block, its scratch. */
export interface WorkerInit {
  memory: WasmMemory; module: WasmModule; gates: WasmModule;
  ctrl: number; scratch: number; id: number; spin: number;
}
export type Spawn = (source: string, init: WorkerInit) => { terminate(): unknown };

// Claim chunks of the current job and compute them; shared, as text, by the caller
// (through `new Function`) and the workers, so both follow the same protocol.
const CLAIM_LOOP = `
for (;;) {
  const cur = Atomics.load(ctrl, ${NEXT});
  const idx = cur & 255, cnt = (cur >>> 8) & 255;
  if (idx >= cnt) break;
  if (Atomics.compareExchange(ctrl, ${NEXT}, cur, cur + 1) !== cur) continue;
  // A claimed chunk keeps its job open, so the arguments cannot change under us.
  const a = ${ARGS}, cw = ctrl[a + 9];
  try {
    if (ctrl[${JOB}] === 0) {
      const N = ctrl[a + 3], j0 = idx * cw, j1 = Math.min(N, j0 + cw);
      gemm(ctrl[a], ctrl[a + 1], ctrl[a + 2], N, ctrl[a + 4], ctrl[a + 5], ctrl[a + 6], ctrl[a + 7], ctrl[a + 8], j0, j1, scratch);
    } else {
      const B = ctrl[${SEQ_ARGS_AT} + 2], b0 = idx * cw;
      sequence(ctrlPtr + ${SEQ_ARGS_AT} * 4, b0, Math.min(B, b0 + cw), scratch);
    }
  } catch (e) { Atomics.store(ctrl, ${ERROR}, 1); }
  if (isWorker) Atomics.add(ctrl, ${BY_WORKERS}, 1);
  Atomics.add(ctrl, ${DONE}, 1);
  Atomics.notify(ctrl, ${DONE});
}`;

/**
 * The worker's program, as plain JavaScript run in the worker with its init data in
 * `init` (the host wraps it). Kept as a string so the core needs no bundler or file path.
 */
export const WORKER_SOURCE = `
const inst = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
const gemm = inst.exports.gemm, scratch = init.scratch, isWorker = true, ctrlPtr = init.ctrl;
const sequence = new WebAssembly.Instance(init.gates, { env: { memory: init.memory, gemm } }).exports.sequence;
const ctrl = new Int32Array(init.memory.buffer, init.ctrl, ${CTRL_INTS});
let seen = Atomics.load(ctrl, ${SEQ});
Atomics.store(ctrl, ${READY} + init.id, 1);
for (;;) {
  let n = 0;
  while (Atomics.load(ctrl, ${SEQ}) === seen) {
    if (++n > init.spin) { Atomics.wait(ctrl, ${SEQ}, seen); n = 0; }
  }
  seen = Atomics.load(ctrl, ${SEQ});
  if (seen < 0) break;
  ${CLAIM_LOOP}
}
`;

type WasmFn = (...args: number[]) => void;

export class GemmPool {
  private ctrl: Int32Array;
  private tag = 0;
  private handles: Array<{ terminate(): unknown }> = [];
  private claim: (ctrl: Int32Array, gemm: WasmFn, sequence: WasmFn, ctrlPtr: number, scratch: number, isWorker: boolean) => void;
  // Main threads of browsers may not block; they spin instead.
  private canWait = typeof (globalThis as { document?: unknown }).document === "undefined";

  /** Starts `scratch.length` workers; scratch[w] is worker w's scratch area. */
  constructor(memory: WasmMemory, module: WasmModule, gates: WasmModule, private ctrlPtr: number,
    scratch: number[], spawn: Spawn, spin: number, private gemm: WasmFn, private sequence: WasmFn, private mainScratch: number) {
    if (scratch.length > MAX_WORKERS) throw new Error(`GemmPool: at most ${MAX_WORKERS} workers`);
    this.ctrl = new Int32Array(memory.buffer, ctrlPtr, CTRL_INTS);
    this.claim = new Function("ctrl", "gemm", "sequence", "ctrlPtr", "scratch", "isWorker", CLAIM_LOOP) as GemmPool["claim"];
    scratch.forEach((s, id) => this.handles.push(spawn(WORKER_SOURCE, { memory, module, gates, ctrl: ctrlPtr, scratch: s, id, spin })));
  }

  /** Workers that have started. */
  ready(): number {
    let n = 0;
    for (let w = 0; w < this.handles.length; w++) n += Atomics.load(this.ctrl, READY + w);
    return n;
  }

  /** Chunks the workers (not the caller) have computed since the pool started. */
  chunksByWorkers(): number { return Atomics.load(this.ctrl, BY_WORKERS); }

  /** C (+)= op(A)·op(B) with C's columns cut into `chunks` pieces (multiples of 8) shared out. */
  run(tA: number, tB: number, M: number, N: number, K: number, a: number, b: number, c: number, acc: number, chunks: number): void {
    const ctrl = this.ctrl;
    const cw = Math.ceil(N / Math.min(chunks, 255) / 8) * 8, cnt = Math.ceil(N / cw);
    ctrl[JOB] = 0;
    ctrl[ARGS] = tA; ctrl[ARGS + 1] = tB; ctrl[ARGS + 2] = M; ctrl[ARGS + 3] = N; ctrl[ARGS + 4] = K;
    ctrl[ARGS + 5] = a; ctrl[ARGS + 6] = b; ctrl[ARGS + 7] = c; ctrl[ARGS + 8] = acc; ctrl[ARGS + 9] = cw;
    this.go(cnt);
  }

  /**
   * A sequence job (gates.ts `sequence`): `args` is its argument block (kind, T, B, H, flag,
   * pointers), and the B rows are cut into `chunks` ranges shared out like GEMM chunks.
   */
  runSequence(args: ArrayLike<number>, chunks: number): void {
    const ctrl = this.ctrl, B = args[2];
    const cw = Math.ceil(B / Math.min(chunks, 255)), cnt = Math.ceil(B / cw);
    ctrl[JOB] = 1;
    for (let i = 0; i < SEQ_ARGS; i++) ctrl[SEQ_ARGS_AT + i] = i < args.length ? args[i] : 0;
    ctrl[ARGS + 9] = cw;
    this.go(cnt);
  }

  private go(cnt: number): void {
    const ctrl = this.ctrl;
    if (Atomics.load(ctrl, LOST) !== 0) this.lost();
    this.tag = (this.tag + 1) & 0x7fff;
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, NEXT, (this.tag << 16) | (cnt << 8));
    Atomics.store(ctrl, SEQ, (Atomics.load(ctrl, SEQ) + 1) & 0x3fffffff);
    Atomics.notify(ctrl, SEQ);
    this.claim(ctrl, this.gemm, this.sequence, this.ctrlPtr, this.mainScratch, false);
    // Wait only for chunks that workers claimed and are still computing (or until one dies).
    let spins = 0, done;
    while ((done = Atomics.load(ctrl, DONE)) < cnt) {
      if (Atomics.load(ctrl, LOST) !== 0) this.lost();
      if (this.canWait && ++spins > 1000) Atomics.wait(ctrl, DONE, done, 1);
    }
    if (Atomics.load(ctrl, ERROR) !== 0) throw new Error("wasm worker trapped (bad pointer or size)");
  }

  private lost(): never {
    const id = Atomics.load(this.ctrl, LOST) - 1;
    throw new RecurrentError(`worker threads: expected all ${this.handles.length} workers to finish their share of the computation, got worker ${id + 1} exiting mid-run (out of memory, or an error in it); the computation stopped instead of waiting for it (--threads 1 runs without workers)`);
  }

  stop(): void {
    Atomics.store(this.ctrl, SEQ, -1);
    Atomics.notify(this.ctrl, SEQ);
    for (const h of this.handles) h.terminate();
  }
}

/**
 * For the host, from any thread: records that worker `id` of the pool whose control block is
 * at `ctrl` in `memory` has exited, and wakes a caller waiting on it. The first loss is kept.
 */
export function markLost(memory: WasmMemory, ctrl: number, id: number): void {
  const c = new Int32Array(memory.buffer, ctrl, CTRL_INTS);
  Atomics.compareExchange(c, LOST, 0, id + 1);
  Atomics.notify(c, DONE);
}

/** The same as source text, for a watcher thread that has `memory`, `ctrl` and `id` in scope. */
export const MARK_LOST_SOURCE = `{ const c = new Int32Array(memory.buffer, ctrl, ${CTRL_INTS}); Atomics.compareExchange(c, ${LOST}, 0, id + 1); Atomics.notify(c, ${DONE}); }`;
