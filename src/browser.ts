// The package's browser entry (`import { … } from "recurrent"` in a bundler targeting the
// browser; package.json's exports "browser" condition, also "recurrent/browser"). It imports
// nothing from Node: the WebAssembly kernels are inlined as base64, so a bundle needs no
// loader or asset. Plain re-export lists only, one block per source: add new public names here
// (and to src/index.ts, the Node entry) as they appear. test/package/pack.test.ts bundles this
// entry from the packed tarball and runs it in headless Chromium.
export * from "./core.ts";
// Fast by default: the WebAssembly backend is installed when the package loads, with fused
// multiply-add where the host validates relaxed SIMD (unless RECURRENT_BACKEND=reference|simd|fma,
// or the host lacks WebAssembly SIMD); useFastBackend({ fma }) and useReferenceBackend() switch.
import { installDefaultBackend } from "./tensor/default-backend.ts";
installDefaultBackend();
export { defaultBackend } from "./tensor/default-backend.ts";
export type { BackendChoice } from "./tensor/default-backend.ts";
// The backend as one value (name, threads, GEMM, gate kernels, allocator), installed in one place.
export { installBackend, installedBackend, referenceBackend, backendLabel } from "./tensor/backend.ts";
export type { Backend, BackendName } from "./tensor/backend.ts";
// Types that the core's functions take or return.
export type { FastBackend, FastOptions } from "./tensor/fast.ts";
export type { Optimizer, OptimizerName } from "./train/optim/index.ts";
export type { DType, Vec } from "./tensor/types.ts";
// Interchange with PyTorch, ONNX and TF.js: pure TypeScript, no file system.
export { importTorchStateDict, exportTorchStateDict } from "./formats/pytorch.ts";
export type { TorchCell, InTensor, OutTensor, ImportOptions } from "./formats/pytorch.ts";
export { modelToOnnx } from "./formats/onnx/model-export.ts";
export type { OnnxExportOptions } from "./formats/onnx/model-export.ts";
export { importTfjsModel } from "./formats/tfjs.ts";
export type { TfjsImport } from "./formats/tfjs.ts";
export { modelFromBytes } from "./formats/model-bytes.ts";
