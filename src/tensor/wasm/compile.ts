// Compiles a WebAssembly module committed as base64 text (gemm-wasm.ts, gates-wasm.ts), so the
// numeric core loads its modules without a file system. The decoder is our own rather than
// `atob`, which is a host global (browsers, Node) and not part of JavaScript: the core must
// also run where only the language is present (test/browser-core.test.ts). Each module is
// compiled once and cached; worker threads receive the compiled module, not the text.
import type { WasmModule } from "./host.ts";

const cache = new Map<string, WebAssembly.Module>();

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** The bytes of standard base64 text (padding optional). */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const s = text.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let bits = 0, n = 0, o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i), v = c < 128 ? VALUE[c] : -1;
    if (v < 0) throw new Error(`decodeBase64: character ${JSON.stringify(s[i])} at ${i} is not base64`);
    bits = (bits << 6) | v; n += 6;
    if (n >= 8) { n -= 8; out[o++] = (bits >> n) & 255; }
  }
  return out;
}

export function compileBase64(base64: string): WasmModule {
  let m = cache.get(base64);
  if (!m) { m = new WebAssembly.Module(decodeBase64(base64)); cache.set(base64, m); }
  return m;
}
