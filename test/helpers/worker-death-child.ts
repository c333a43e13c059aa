// A child process for test/tensor/worker-death.test.ts: starts the fast backend with one worker
// thread whose GEMM kernel ends the worker on its first call (`exit`: process.exit; `oom`: its
// capped JS heap runs out), runs split GEMMs until one throws, then one more, and prints one
// JSON line {first, again} with each error's class and message (null: nothing thrown in 2000).
// Usage: node --import tsx test/helpers/worker-death-child.ts exit|oom
import { useFastBackend, type FastBackend } from "../../src/tensor/fast.ts";
import { spawnNode, threadsReady } from "../../src/node/threads.ts";

const DEATHS: Record<string, string> = {
  exit: "process.exit(5)",
  oom: "{ const keep = []; for (;;) keep.push(new Array(1e6).fill(1.5)); }",
};
const death = DEATHS[process.argv[2]!];
if (!death) throw new Error("usage: worker-death-child.ts exit|oom");
// Wraps the worker's wasm instance so that its `gemm` export dies instead of computing.
const prelude = `{
  const Real = WebAssembly.Instance;
  WebAssembly.Instance = function (m, imports) {
    const inst = new Real(m, imports);
    if (!inst.exports.gemm) return inst;
    return { exports: { ...inst.exports, gemm: () => { ${death}; } } };
  };
}
`;

const fb = useFastBackend({ threads: 2, threadMinFlops: 0, spin: 1e9, spawn: (src, init) => spawnNode(prelude + src, init) });
if (!(await threadsReady(fb, 30_000))) throw new Error("the worker did not start");

function firstError(b: FastBackend): { name: string; message: string } | null {
  const M = 64, N = 512, K = 64;
  const a = b.heap.allocF32(M * K)!, x = b.heap.allocF32(K * N)!, c = b.heap.allocF32(M * N)!;
  for (let i = 0; i < 2000; i++) {
    try { b.gemm(false, false, M, N, K, a, 0, x, 0, c, 0, false); }
    catch (e) { return { name: (e as Error).constructor.name, message: (e as Error).message }; }
  }
  return null;
}

const first = firstError(fb), again = firstError(fb);
await new Promise((r) => setTimeout(r, 50));   // the dead worker's 'error'/'exit' events run here: no crash
process.stdout.write(JSON.stringify({ first, again }) + "\n");
fb.stop();
