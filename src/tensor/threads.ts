// A pool of GEMM worker threads over shared WebAssembly memory. A job is handed over
// through a small control block of Int32s in that memory (Atomics, no messages): the
// caller writes the arguments and bumps a sequence number, the worker computes its share
// of C's columns with its own instance of the same wasm module and scratch, then stores
// the sequence number in `done`. Workers spin briefly before sleeping, because a futex
// wake-up costs about as much as a small GEMM.
//
// Not tied to Node: the host supplies `spawn`, which starts a worker running
// WORKER_SOURCE (src/io/threads-node.ts does it with node:worker_threads).

/** Control block layout, in Int32 slots. */
const SEQ = 0, DONE = 1, READY = 2, ERROR = 3, ARGS = 4; // ARGS: 12 gemm arguments
export const CTRL_INTS = 16;

/** What a worker needs: the shared memory, the compiled module, its control block and scratch. */
export interface WorkerInit { memory: WebAssembly.Memory; module: WebAssembly.Module; ctrl: number; spin: number }
export type Spawn = (source: string, init: WorkerInit) => { terminate(): unknown };

/**
 * The worker's program, as plain JavaScript run in the worker with its init data in
 * `init` (the host wraps it). Kept as a string so the core needs no bundler or file path.
 */
export const WORKER_SOURCE = `
const inst = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
const gemm = inst.exports.gemm;
const ctrl = new Int32Array(init.memory.buffer, init.ctrl, ${CTRL_INTS});
let seen = Atomics.load(ctrl, ${SEQ});
Atomics.store(ctrl, ${READY}, 1);
for (;;) {
  let n = 0;
  while (Atomics.load(ctrl, ${SEQ}) === seen) {
    if (++n > init.spin) { Atomics.wait(ctrl, ${SEQ}, seen); n = 0; }
  }
  seen = Atomics.load(ctrl, ${SEQ});
  if (seen < 0) break;
  const a = ${ARGS};
  try {
    gemm(ctrl[a], ctrl[a + 1], ctrl[a + 2], ctrl[a + 3], ctrl[a + 4], ctrl[a + 5], ctrl[a + 6],
      ctrl[a + 7], ctrl[a + 8], ctrl[a + 9], ctrl[a + 10], ctrl[a + 11]);
  } catch (e) { Atomics.store(ctrl, ${ERROR}, 1); }
  Atomics.store(ctrl, ${DONE}, seen);
  Atomics.notify(ctrl, ${DONE});
}
`;

export class GemmThread {
  private ctrl: Int32Array;
  private seq = 0;
  private handle: { terminate(): unknown };
  // Main threads of browsers may not block; they spin instead.
  private canWait = typeof (globalThis as { document?: unknown }).document === "undefined";

  constructor(memory: WebAssembly.Memory, module: WebAssembly.Module, ctrlPtr: number, spawn: Spawn, spin: number) {
    this.ctrl = new Int32Array(memory.buffer, ctrlPtr, CTRL_INTS);
    this.handle = spawn(WORKER_SOURCE, { memory, module, ctrl: ctrlPtr, spin });
  }

  /** True once the worker has started and can take jobs. */
  get ready(): boolean { return Atomics.load(this.ctrl, READY) === 1 && Atomics.load(this.ctrl, ERROR) === 0; }

  /** Start gemm(args) on the worker; args are the 12 wasm gemm arguments. */
  start(args: ArrayLike<number>): void {
    for (let i = 0; i < 12; i++) this.ctrl[ARGS + i] = args[i];
    this.seq = (this.seq + 1) & 0x3fffffff;
    Atomics.store(this.ctrl, SEQ, this.seq);
    Atomics.notify(this.ctrl, SEQ);
  }

  /** Block until the job given to start() is done; throws if the worker trapped. */
  finish(): void {
    let n = 0;
    while (Atomics.load(this.ctrl, DONE) !== this.seq) {
      if (this.canWait && ++n > 1000) Atomics.wait(this.ctrl, DONE, Atomics.load(this.ctrl, DONE), 1);
    }
    if (Atomics.load(this.ctrl, ERROR) !== 0) throw new Error("gemm worker trapped (bad pointer or size)");
  }

  stop(): void {
    Atomics.store(this.ctrl, SEQ, -1);
    Atomics.notify(this.ctrl, SEQ);
    this.handle.terminate();
  }
}
