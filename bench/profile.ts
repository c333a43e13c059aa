// Where a training step's time goes: time of every GEMM (grouped by shape and
// transpose), of the rest of forward and backward (the fused gate kernels, bias adds,
// masks), of the loss and of Adam, for one configuration on the fast backend. The layers'
// whole-sequence jobs are declined here, so that each step's GEMM is called (and timed) from
// JavaScript; that per-step loop gives the same bits, at the cost of a call or two per step.
//
//   node --import tsx bench/profile.ts --config C1 --cell lstm [--steps 5]
import { Command } from "commander";
import { CONFIGS, makeBatch, type Cell } from "./configs.ts";
import { useFastBackend } from "../src/tensor/fast.ts";
import { setGemm } from "../src/tensor/gemm.ts";
import { setGateKernels } from "../src/tensor/gate-kernels.ts";
import { Sequence } from "../src/train/sequence.ts";
import { lossAndGrad } from "../src/train/loss.ts";
import { Adam } from "../src/train/optim/adam.ts";
import { zeros } from "../src/tensor/types.ts";
import { Rng } from "../src/rand.ts";

const o = new Command("profile").option("--config <name>", "C1, C2 or C3", "C1").option("--cell <cell>", "elman, lstm or gru", "lstm")
  .option("--steps <n>", "steps to average", "5").parse().opts();
const c = CONFIGS.find((x) => x.name === o.config)!;
// CPU time of this process (one thread): on a shared machine wall time counts the slices
// other processes take. process.cpuUsage() is a system call of a microsecond or two, small
// against the ~130 GEMM calls of a C1 step (hundreds of milliseconds).
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

const fb = useFastBackend();
setGateKernels({ ...fb.gates, sequence: () => false });
const gemmMs = new Map<string, { ms: number; calls: number; flops: number }>();
let inGemm = 0;
setGemm((tA, tB, M, N, K, A, ao, B, bo, C, co, acc) => {
  const t = cpuMs();
  fb.gemm(tA, tB, M, N, K, A, ao, B, bo, C, co, acc);
  const dt = cpuMs() - t;
  inGemm += dt;
  const key = `${tA ? "T" : "N"}${tB ? "T" : "N"} ${M}×${N}×${K}`;
  const e = gemmMs.get(key) ?? { ms: 0, calls: 0, flops: 0 };
  e.ms += dt; e.calls++; e.flops += 2 * M * N * K;
  gemmMs.set(key, e);
}, "wasm-simd (timed)");

const model = new Sequence({ cell: o.cell as Cell, input: c.input, hidden: c.hidden, layers: c.layers, output: c.output });
const rng = new Rng(7), s = 1 / Math.sqrt(c.hidden);
for (let i = 0; i < model.params.length; i++) model.params[i] = (rng.uniform() * 2 - 1) * s;
const batch = makeBatch(c), { T, B } = c, O = model.outputSize;
const x = zeros(T * B * c.input, "float32"); x.set(batch.x);
const targets = c.loss === "ce" ? batch.classes : batch.values;
const dOut = zeros(T * B * O, "float32");
const opt = new Adam({ lr: 1e-3 });
const parts = { forward: 0, loss: 0, backward: 0, adam: 0, gemmF: 0, gemmB: 0 };
const steps = Number(o.steps);
for (let i = 0; i <= steps; i++) {
  if (i === 1) { for (const k of Object.keys(parts) as Array<keyof typeof parts>) parts[k] = 0; gemmMs.clear(); }
  model.zeroGrads();
  let t = cpuMs(); inGemm = 0;
  const { out } = model.forward(x, T, B);
  parts.forward += cpuMs() - t; parts.gemmF += inGemm;
  t = cpuMs();
  lossAndGrad(c.loss, out, T * B, O, targets, null, dOut);
  parts.loss += cpuMs() - t;
  t = cpuMs(); inGemm = 0;
  model.backward(dOut, null, { inputGrad: false });   // x needs no gradient, as in PyTorch
  parts.backward += cpuMs() - t; parts.gemmB += inGemm;
  t = cpuMs();
  opt.step(model.params, model.grads);
  parts.adam += cpuMs() - t;
}
const per = (v: number) => (v / steps).toFixed(1);
const total = parts.forward + parts.loss + parts.backward + parts.adam;
const pct = (v: number) => `${(100 * v / total).toFixed(0)}%`;
console.log(`${c.name} ${o.cell} train, ${steps} steps, CPU ms per step (fast backend, 1 thread): total ${per(total)} → ${(T * B / (total / steps / 1000)).toFixed(0)} tokens/s\n`);
console.log("| part | ms/step | share |\n|---|---|---|");
console.log(`| forward: GEMMs | ${per(parts.gemmF)} | ${pct(parts.gemmF)} |`);
console.log(`| forward: the rest (gate kernels, biases, head) | ${per(parts.forward - parts.gemmF)} | ${pct(parts.forward - parts.gemmF)} |`);
console.log(`| loss (softmax / MSE) | ${per(parts.loss)} | ${pct(parts.loss)} |`);
console.log(`| backward: GEMMs | ${per(parts.gemmB)} | ${pct(parts.gemmB)} |`);
console.log(`| backward: the rest (gate gradients, bias sums, head) | ${per(parts.backward - parts.gemmB)} | ${pct(parts.backward - parts.gemmB)} |`);
console.log(`| Adam | ${per(parts.adam)} | ${pct(parts.adam)} |`);
console.log("\n| GEMM (transA transB M×N×K) | calls/step | ms/step | GFLOP/s |\n|---|---|---|---|");
for (const [k, e] of [...gemmMs].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`| ${k} | ${e.calls / steps} | ${per(e.ms)} | ${(e.flops / e.ms / 1e6).toFixed(1)} |`);
}
