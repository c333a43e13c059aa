// The browser's side of the WebAssembly kernels' worker threads (what src/node/threads.ts is
// for Node): `spawn` starts a nested Worker from a Blob running the pool's program
// (src/tensor/threads.ts WORKER_SOURCE) and posts it the shared memory and compiled modules.
// Shared memory can only be posted on a cross-origin-isolated page (COOP + COEP headers), so
// threads are used only there; elsewhere the kernels run on the training worker alone.
import type { Spawn } from "../../../src/tensor/threads.ts";

export const spawnBrowser: Spawn = (source, init) => {
  const code = `self.onmessage = (e) => { self.onmessage = null; const init = e.data;\n${source}\n};`;
  const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
  const w = new Worker(url, { name: `recurrent-gemm-${init.id}` });
  w.postMessage(init);
  URL.revokeObjectURL(url);
  return w;
};

/** Threads to use: `asked` (0: one per core but one, at most 4: the page's own thread keeps a core), and 1
 *  wherever shared memory cannot be posted. */
export function threadCount(asked: number): { threads: number; note: string } {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!isolated) return { threads: 1, note: "one thread: the page is not cross-origin isolated (no COOP/COEP headers), so no shared memory" };
  const cores = Math.max(1, Math.min(5, (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency ?? 1));
  const threads = asked > 0 ? asked : Math.max(1, cores - 1);
  return { threads, note: `${threads} thread${threads > 1 ? "s" : ""} (cross-origin isolated page${asked > 0 ? "" : `; ${cores} cores, one left for the page`})` };
}
