// Imported first by the Node entry (src/index.ts): compiles WebAssembly up front (no lazy
// tier-up) and lets Node 20 compile relaxed SIMD (the FMA kernels), both of which must be set
// before the entry installs the fast backend and compiles the kernels (see compileWasmEagerly
// and allowRelaxedSimd in ./threads.ts).
import { allowRelaxedSimd, compileWasmEagerly } from "./threads.ts";

compileWasmEagerly();
allowRelaxedSimd();
