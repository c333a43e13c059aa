// What the package's entries (src/browser.ts, src/index.ts) install when they load: the
// WebAssembly SIMD backend (./fast.ts), single-threaded, unless the environment says
// RECURRENT_BACKEND=reference (read through globalThis, so a browser simply has it unset) or
// the host cannot run it (no WebAssembly SIMD): then the plain TypeScript reference stays, and
// `defaultBackend()` says why. Call useReferenceBackend() or useFastBackend(...) to choose
// another at any time; buffers already handed out stay valid.
// Not here: threads (they need the host's workers: useFastBackendNode in src/node/threads.ts).
import { useFastBackend } from "./fast.ts";

let installed: { name: "wasm-simd" | "reference"; reason?: string } | null = null;

/** Installs the fast backend once (idempotent); returns what is installed. */
export function installDefaultBackend(): { name: "wasm-simd" | "reference"; reason?: string } {
  if (installed) return installed;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.RECURRENT_BACKEND === "reference") return (installed = { name: "reference", reason: "RECURRENT_BACKEND=reference" });
  try {
    useFastBackend();
    installed = { name: "wasm-simd" };
  } catch (e) {
    installed = { name: "reference", reason: `WebAssembly SIMD unavailable (${(e as Error).message})` };
  }
  return installed;
}

/** The backend the entries installed at load (null if they have not run). */
export function defaultBackend(): { name: "wasm-simd" | "reference"; reason?: string } | null { return installed; }
