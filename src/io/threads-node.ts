// Node's side of the GEMM worker threads: starts workers with node:worker_threads and
// installs the fast backend with them. The numeric core (src/tensor) cannot import node:
// modules, so worker creation lives here at the edge and is handed in as `spawn`.
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import type { Spawn } from "../tensor/threads.ts";
import { useFastBackend, type FastBackend, type FastOptions } from "../tensor/fast.ts";

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

/** Start a worker running `source` (plain JavaScript) with `init` in scope. */
export const spawnNode: Spawn = (source, init) => {
  const code = `const init = require("node:worker_threads").workerData;\n${source}`;
  // No tsx loader in the worker: its program is plain JavaScript, and it starts faster.
  const w = new Worker(code, { eval: true, workerData: init, execArgv: [] });
  w.unref(); // a sleeping worker must not keep the process alive
  return w;
};

/** useFastBackend with worker threads; threads defaults to the number of cores. */
export function useFastBackendNode(opts: FastOptions = {}): FastBackend {
  compileWasmEagerly();
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
