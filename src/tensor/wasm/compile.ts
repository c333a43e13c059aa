// Compiles a WebAssembly module committed as base64 text (gemm-wasm.ts, gates-wasm.ts), so the
// numeric core loads its modules without a file system, in Node and browsers alike. Each is
// compiled once and cached; worker threads receive the compiled module, not the text.
const cache = new Map<string, WebAssembly.Module>();

export function compileBase64(base64: string): WebAssembly.Module {
  let m = cache.get(base64);
  if (!m) {
    const bin = atob(base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    m = new WebAssembly.Module(bytes);
    cache.set(base64, m);
  }
  return m;
}
