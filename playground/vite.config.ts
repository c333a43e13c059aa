// The playground's build: `npm run playground` serves it (with hot reload), `npm run
// playground:build` writes static files to dist/playground/ that any static host can serve
// (relative paths; no server code). Both send COOP/COEP headers, so the page is
// cross-origin isolated and the WebAssembly kernels may use worker threads over shared memory;
// public/_headers asks hosts that read it (Netlify, Cloudflare Pages) for the same.
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
export const ISOLATION_HEADERS = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default defineConfig(({ command }) => ({
  root: here("."),
  base: "./",
  publicDir: here("public"),
  build: { outDir: here("../dist/playground"), emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 4000, reportCompressedSize: false },
  worker: { format: "es" },
  server: { headers: ISOLATION_HEADERS, fs: { allow: [here("..")] } },
  preview: { headers: ISOLATION_HEADERS },
  // The dev server prints its address (a person needs it); builds stay quiet (tests run them).
  logLevel: command === "serve" ? "info" : "warn",
}));
