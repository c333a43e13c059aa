// What the package's entries (src/browser.ts, src/index.ts) install when they load: the
// WebAssembly backend (./fast.ts), single-threaded, with fused multiply-add where the host
// validates relaxed SIMD ("wasm-relaxed-simd") and plain SIMD elsewhere ("wasm-simd"), unless
// the environment says otherwise through RECURRENT_BACKEND (read through globalThis, so a
// browser simply has it unset): reference, simd, fma or auto (the default). Where the host
// cannot run WebAssembly SIMD the plain TypeScript reference stays, and `defaultBackend()` says
// why. Call useReferenceBackend() or useFastBackend(...) to choose another at any time; buffers
// already handed out stay valid.
// Not here: threads (they need the host's workers: useFastBackendNode in src/node/threads.ts),
// or enabling relaxed SIMD in Node 20 (src/node/wasm-eager.ts, imported first by src/index.ts).
import { useFastBackend, type FastOptions } from "./fast.ts";
import type { BackendName } from "./backend.ts";

/** The kernels a user may ask for: auto (FMA where validated), fma, simd (no FMA), reference. */
export type BackendChoice = "auto" | "fma" | "simd" | "reference";
export const BACKEND_CHOICES = ["auto", "fma", "simd", "reference"] as const;

/** The `fma` option of useFastBackend for a choice other than reference. */
export function fmaOption(choice: Exclude<BackendChoice, "reference">): FastOptions["fma"] {
  return choice === "fma" ? true : choice === "simd" ? false : "auto";
}

/** RECURRENT_BACKEND, when it names a choice (else undefined). */
export function backendFromEnv(): BackendChoice | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.RECURRENT_BACKEND;
  return (BACKEND_CHOICES as readonly string[]).includes(v ?? "") ? v as BackendChoice : undefined;
}

let installed: { name: BackendName; reason?: string } | null = null;

/** Installs the fast backend once (idempotent); returns what is installed. */
export function installDefaultBackend(): { name: BackendName; reason?: string } {
  if (installed) return installed;
  const choice = backendFromEnv() ?? "auto";
  if (choice === "reference") return (installed = { name: "reference", reason: "RECURRENT_BACKEND=reference" });
  try {
    installed = { name: useFastBackend({ fma: fmaOption(choice) }).name };
  } catch (e) {
    installed = { name: "reference", reason: `WebAssembly SIMD unavailable (${(e as Error).message})` };
  }
  return installed;
}

/** The backend the entries installed at load (null if they have not run). */
export function defaultBackend(): { name: BackendName; reason?: string } | null { return installed; }
