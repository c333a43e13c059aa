// Imported first by the Node entry (src/index.ts): compiles WebAssembly up front (no lazy
// tier-up), which must be set before the entry installs the fast backend and compiles the
// kernels (see compileWasmEagerly in ./threads-node.ts for the measurements).
import { compileWasmEagerly } from "./threads.ts";

compileWasmEagerly();
