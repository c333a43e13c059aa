// The CLI's backend: the WebAssembly SIMD GEMM and gate kernels (src/tensor/fast.ts, tested
// against the reference in test/tensor/fast-gemm.test.ts and fast-gates.test.ts), with worker
// threads when asked. Installed
// once, before any model is built, because it also places float32 buffers in wasm memory.
// A run and its resume must use the same backend: the two kernels round differently.
import { useFastBackend } from "../../tensor/fast.ts";
import { compileWasmEagerly, useFastBackendNode } from "../../node/threads.ts";
import { availableParallelism } from "node:os";

let installed: string | null = null;

/** threads: 0 = one per core, 1 = the calling thread only. Returns a label for the log. */
export function installBackend(threads: number): string {
  if (installed) return installed;
  if (process.env.RECURRENT_BACKEND === "reference") return (installed = "reference");
  const n = threads > 0 ? threads : availableParallelism();
  compileWasmEagerly();
  const fb = n > 1 ? useFastBackendNode({ threads: n }) : useFastBackend();
  if (process.env.RECURRENT_HEAP_AUDIT === "1") {
    // How often this process would have been handed stale memory before issue 11's fix.
    process.on("exit", () => process.stderr.write(`heap audit: ${fb.heap.staleTopBlocks} blocks from the top were not zero (cleared)\n`));
  }
  return (installed = n > 1 ? `wasm-simd ×${n} threads` : "wasm-simd");
}
