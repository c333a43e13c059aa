// The package's Node entry (`import { … } from "recurrent"` in Node; package.json's exports).
// Everything the browser entry has (src/browser.ts: the numeric core and the interchange
// formats), plus what needs Node: model directories on disk and the fast backend's worker
// threads. Plain re-export lists only, one block per source: add new public names here (and to
// src/browser.ts when they import nothing from Node) as they appear.
import "./node/wasm-eager.ts";   // first: before browser.ts compiles the kernels
import "./node/memory.ts";       // size checks against this machine's memory (model/budget.ts)
export * from "./browser.ts";
// Model directories (config.json + safetensors), as the command line writes and reads them.
export { saveModel, loadModel } from "./node/model-dir.ts";
export type { SavedModel } from "./node/model-dir.ts";
// The WebAssembly backend with worker threads (one per core unless told otherwise).
export { useFastBackendNode, threadsReady, compileWasmEagerly, allowRelaxedSimd } from "./node/threads.ts";
