// The WebAssembly host objects as the kernels' declarations name them: local structural
// types instead of the `WebAssembly` namespace, which comes from TypeScript's DOM lib. A
// project whose `lib` has no DOM (a Node-only setting) has no such namespace, and the package's
// .d.ts files must type-check there too (test/package/pack.test.ts). Code that calls the host
// API casts these back at the call (`as WebAssembly.Memory`), where the lib is ours.

/** A WebAssembly.Memory, as far as our code needs it. */
export interface WasmMemory { readonly buffer: ArrayBufferLike; grow(delta: number): number }

/** A compiled WebAssembly.Module (opaque: it is only handed to WebAssembly.Instance). */
export interface WasmModule { readonly __compiledWasmModule?: never }

/** A WebAssembly instance's exports. */
export type WasmExports = Record<string, unknown>;
