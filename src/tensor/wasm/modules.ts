// The two builds of the WebAssembly kernels (build.mjs) and the choice between them: plain SIMD
// (gemm.wasm + gates.wasm, mul then add: the same bits on every machine) or relaxed SIMD
// (gemm-fma.wasm + gates-fma.wasm, f32x4.relaxed_madd: fused where the CPU has FMA, so the
// bits may differ between machines, never between runs on one). The relaxed pair is used only
// where the host validates it (WebAssembly.validate): Node 22+, current Chrome, Edge and Firefox;
// Node 20 once src/node/threads.ts's allowRelaxedSimd has set V8's flag. A GEMM and the gate
// module that calls it always come from the same build.
//
// Not here: any Node import (the flag is set at the Node edge), or which backend is installed
// (../backend.ts).
import { compileBase64, decodeBase64 } from "./compile.ts";
import type { WasmModule } from "./host.ts";
import { GEMM_WASM_BASE64 } from "./gemm-wasm.ts";
import { GATES_WASM_BASE64 } from "./gates-wasm.ts";
import { GEMM_FMA_WASM_BASE64 } from "./gemm-fma-wasm.ts";
import { GATES_FMA_WASM_BASE64 } from "./gates-fma-wasm.ts";

/** Which build: "simd" (mul then add) or "relaxed-simd" (fused multiply-add). */
export type WasmBuild = "simd" | "relaxed-simd";

const BASE64: Record<WasmBuild, { gemm: string; gates: string }> = {
  simd: { gemm: GEMM_WASM_BASE64, gates: GATES_WASM_BASE64 },
  "relaxed-simd": { gemm: GEMM_FMA_WASM_BASE64, gates: GATES_FMA_WASM_BASE64 },
};

let relaxed = false;

/** Whether this host can compile the relaxed-SIMD build now. A yes is remembered; a no is
 *  asked again, since a Node 20 process may enable the feature later (before compiling). */
export function relaxedSimdSupported(): boolean {
  if (!relaxed) {
    const W = (globalThis as { WebAssembly?: { validate?(b: Uint8Array): boolean } }).WebAssembly;
    relaxed = typeof W?.validate === "function" && W.validate(decodeBase64(GEMM_FMA_WASM_BASE64)) && W.validate(decodeBase64(GATES_FMA_WASM_BASE64));
  }
  return relaxed;
}

/** The compiled GEMM module and gate module (it imports env.gemm) of one build. */
export function wasmModules(build: WasmBuild): { gemm: WasmModule; gates: WasmModule } {
  return { gemm: compileBase64(BASE64[build].gemm), gates: compileBase64(BASE64[build].gates) };
}
