// Node's side of the GEMM worker threads: starts workers with node:worker_threads and
// installs the fast backend with them. The numeric core (src/tensor) cannot import node:
// modules, so worker creation lives here at the edge and is handed in as `spawn`.
import { MessageChannel, Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { MARK_LOST_SOURCE, markLost, type Spawn } from "../tensor/threads.ts";
import { useFastBackend, type FastBackend, type FastOptions } from "../tensor/fast.ts";
import { relaxedSimdSupported } from "../tensor/wasm/modules.ts";

/**
 * Compile WebAssembly with the optimising compiler up front (Node only; a V8 flag). By
 * default V8 starts wasm on its baseline compiler and tiers functions up as they run, which
 * suits long loops badly: our kernels are few calls that each run long. Measured by
 * bench/threads.ts (an LSTM forward, H 32, B 64, median of 5 processes): one thread 1.23M
 * tokens/s compiled up front against 0.87M tiered up, two threads 1.29M against 1.06M
 * (docs/performance.md). It must run before the modules are compiled: src/tensor/fast.ts
 * compiles them on first use, so useFastBackendNode and the command line call it first.
 */
export function compileWasmEagerly(): void { setFlagsFromString("--no-wasm-dynamic-tiering"); }

/**
 * Lets this process compile WebAssembly relaxed SIMD (the FMA kernels, src/tensor/wasm/modules.ts)
 * and says whether it can. Node 22 and later validate it as they are; Node 20 does once V8's
 * --experimental-wasm-relaxed-simd is set, which must happen before the modules are compiled
 * (checked on this machine with Node 20.20 and AssemblyScript 0.28). The flag is set only when
 * the module does not validate without it, so a Node that has dropped the flag never sees it.
 */
export function allowRelaxedSimd(): boolean {
  if (relaxedSimdSupported()) return true;
  setFlagsFromString("--experimental-wasm-relaxed-simd");
  return relaxedSimdSupported();
}

// A worker that dies mid-job must not leave the caller waiting on Atomics forever (threads.ts):
// its death is seen by a sentinel thread, one per pool, which holds the other end of a
// MessagePort each worker keeps for life. A port closes when its thread exits, for whatever
// reason (out of memory, an uncaught error, process.exit); the sentinel, whose event loop is
// free while the caller blocks, then marks the loss in the shared control block and wakes the
// caller (markLost). The main thread's own 'exit' event does the same when it next runs.
const SENTINEL_SOURCE = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", ({ port, memory, ctrl, id }) => {
  port.on("close", () => ${MARK_LOST_SOURCE});
  port.start();
});
`;

/** A GEMM worker's JS heap limit: it holds a few closures; its numbers are in wasm memory. */
const WORKER_HEAP_MB = 64;

interface Sentinel { worker: Worker; workers: number }
const sentinels = new WeakMap<object, Sentinel>();

/** The sentinel of the pool whose control block lives in `memory` (started with its first worker). */
function sentinelFor(memory: object): Sentinel {
  let s = sentinels.get(memory);
  if (!s) {
    const worker = new Worker(SENTINEL_SOURCE, { eval: true, execArgv: [] });
    worker.unref();
    worker.on("error", () => { /* a sentinel that fails only stops watching */ });
    s = { worker, workers: 0 };
    sentinels.set(memory, s);
  }
  return s;
}

/** Start a worker running `source` (plain JavaScript) with `init` in scope, watched for death. */
export const spawnNode: Spawn = (source, init) => {
  const code = `const init = require("node:worker_threads").workerData;\n${source}`;
  const { port1: lifeline, port2: watched } = new MessageChannel();
  // No tsx loader in the worker: its program is plain JavaScript, and it starts faster. Its JS
  // heap is capped (the arrays it computes on live in the shared wasm memory, not there).
  const w = new Worker(code, { eval: true, workerData: { ...init, lifeline }, transferList: [lifeline], execArgv: [], resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  w.unref(); // a sleeping worker must not keep the process alive
  const s = sentinelFor(init.memory);
  s.workers++;
  s.worker.postMessage({ port: watched, memory: init.memory, ctrl: init.ctrl, id: init.id }, [watched]);
  let stopping = false;
  // An uncaught error in a worker is reported by the caller's job (markLost), not as a crash.
  w.on("error", () => markLost(init.memory, init.ctrl, init.id));
  w.on("exit", () => { if (!stopping) markLost(init.memory, init.ctrl, init.id); });
  return {
    terminate: () => {
      stopping = true;
      const done = w.terminate();
      if (--s.workers === 0) { sentinels.delete(init.memory); void s.worker.terminate(); }
      return done;
    },
  };
};

/** useFastBackend with worker threads; threads defaults to the number of cores; FMA where
 *  this Node can run it (fma "auto", see allowRelaxedSimd) unless opts.fma says otherwise. */
export function useFastBackendNode(opts: FastOptions = {}): FastBackend {
  compileWasmEagerly();
  if (opts.fma !== false) allowRelaxedSimd();
  return useFastBackend({ threads: availableParallelism(), ...opts, spawn: spawnNode });
}

/** Resolves when every worker of `fb` has started (they start asynchronously). */
export async function threadsReady(fb: FastBackend, timeoutMs = 5000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (fb.readyThreads() < fb.threads) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}
