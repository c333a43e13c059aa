// Plain SIMD against FMA (relaxed SIMD) on whole models: one training step (forward, backward,
// Adam) and one inference forward of a C1-sized character model (T 64, B 32, I 65, H 256) per
// cell, on one thread. The two backends are paired in one process: rounds alternate between
// them (which goes first alternates too), so a busy machine slows both alike; the table gives
// each one's median CPU milliseconds and the speed ratio. bench/gemm.ts --fma does the same for
// the GEMM alone.
//
//   node --import tsx bench/fma.ts [--rounds N]
import { allowRelaxedSimd, compileWasmEagerly } from "../src/node/threads.ts";
import { createFastBackend } from "../src/tensor/fast.ts";
import { installBackend } from "../src/tensor/backend.ts";
import { Sequence } from "../src/train/sequence.ts";
import { initialize } from "../src/model/initialize.ts";
import { Trainer } from "../src/train/trainer.ts";
import { makeOptimizer } from "../src/train/optim/index.ts";
import { Rng } from "../src/rand.ts";

compileWasmEagerly();
if (!allowRelaxedSimd()) throw new Error("bench/fma.ts: expected a Node that runs WebAssembly relaxed SIMD, got one that does not");
const args = process.argv.slice(2);
const at = args.indexOf("--rounds"), rounds = at >= 0 ? Number(args[at + 1]) : 21;
const backends = [createFastBackend({ fma: false }), createFastBackend({ fma: true })];
const T = 64, B = 32, I = 65, H = 256, WARMUP = 3;
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

console.log(`| cell | mode | ${backends[0].name} ms | ${backends[1].name} ms | FMA speed ÷ SIMD |\n|---|---|---|---|---|`);
for (const cell of ["lstm", "gru", "elman"] as const) {
  // One model per backend, its buffers in that backend's memory, the same weights and batch.
  const runs = backends.map((b) => {
    installBackend(b);
    const rng = new Rng(1);
    const model = new Sequence({ cell, input: I, hidden: H, output: I, outputActivation: "softmax" });
    initialize(model, rng, "pytorch");
    const trainer = new Trainer(model, { loss: "ce", optimizer: makeOptimizer("adam", { lr: 1e-3 }) });
    const x = new Float32Array(T * B * I), targets = new Int32Array(T * B);
    for (let k = 0; k < T * B; k++) { x[k * I + rng.int(I)] = 1; targets[k] = rng.int(I); }
    return { train: () => { trainer.trainStep({ x, T, B, targets }); }, infer: () => { model.forward(x, T, B); } };
  });
  for (const mode of ["train", "infer"] as const) {
    const ms: number[][] = [[], []];
    for (let r = 0; r < rounds + WARMUP; r++) for (const i of r & 1 ? [1, 0] : [0, 1]) {
      installBackend(backends[i]);
      const t = cpuMs();
      runs[i][mode]();
      if (r >= WARMUP) ms[i].push(cpuMs() - t);
    }
    const [p, f] = ms.map(median);
    console.log(`| ${cell} | ${mode} | ${p.toFixed(1)} | ${f.toFixed(1)} | ${(p / f).toFixed(2)}× |`);
  }
}
console.log(`\nOne thread, CPU time, medians of ${rounds} alternating rounds after ${WARMUP} warm-up rounds; C1 sizes (T ${T}, B ${B}, I ${I}, H ${H}).`);
for (const b of backends) b.stop();
