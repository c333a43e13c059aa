// The CLI's backend: the WebAssembly GEMM and gate kernels (src/tensor/fast.ts, tested against
// the reference in test/tensor/fast-gemm.test.ts, fast-gates.test.ts and fast-fma.test.ts), with
// fused multiply-add where this Node runs relaxed SIMD (--backend auto, the default; fma insists,
// simd refuses it, reference takes the plain TypeScript kernels), with worker threads when asked.
// Installed (src/tensor/backend.ts) before any model is built, because it also places float32
// buffers in wasm memory, and again only when a later command asks for other kernels or threads.
// A run and its resume must use the same kernels: they round differently (loop.ts warns).
import { useFastBackend, useReferenceBackend } from "../../tensor/fast.ts";
import { installedBackend, type Backend } from "../../tensor/backend.ts";
import { backendFromEnv, fmaOption, type BackendChoice } from "../../tensor/default-backend.ts";
import { allowRelaxedSimd, compileWasmEagerly, useFastBackendNode } from "../../node/threads.ts";
import { availableParallelism } from "node:os";
import { RecurrentError } from "../../errors.ts";

let installed: { key: string; backend: Backend } | null = null;

/**
 * threads: 0 = one per core, 1 = the calling thread only. choice: --backend (RECURRENT_BACKEND
 * when it is auto). Returns the installed backend (its name and threads label the log and the
 * checkpoint).
 */
export function installBackend(threads: number, choice: BackendChoice = "auto"): Backend {
  const kind = choice === "auto" ? backendFromEnv() ?? "auto" : choice;
  const n = kind === "reference" ? 1 : threads > 0 ? threads : availableParallelism();
  const key = `${kind}/${n}`;
  if (installed?.key === key && installedBackend() === installed.backend) return installed.backend;
  if (kind === "reference") {
    useReferenceBackend();
  } else {
    compileWasmEagerly();
    if (kind !== "simd" && !allowRelaxedSimd() && kind === "fma") {
      throw new RecurrentError(`--backend fma: expected a Node that runs WebAssembly relaxed SIMD (Node 20 with V8's flag, or Node 22+), got ${process.version} without it (--backend simd or auto run without FMA)`);
    }
    const fb = n > 1 ? useFastBackendNode({ threads: n, fma: fmaOption(kind) }) : useFastBackend({ fma: fmaOption(kind) });
    if (process.env.RECURRENT_HEAP_AUDIT === "1") {
      // How often this process would have been handed stale memory before issue 11's fix.
      process.on("exit", () => process.stderr.write(`heap audit: ${fb.heap.staleTopBlocks} blocks from the top were not zero (cleared)\n`));
    }
  }
  installed = { key, backend: installedBackend() };
  return installed.backend;
}
