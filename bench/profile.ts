// Where a step's time goes: time of every GEMM (grouped by role and shape), of the rest of
// forward and backward (the fused gate kernels, bias adds, masks), of the loss and of Adam,
// for one configuration on the fast backend. The layers' whole-sequence jobs are declined
// here, so that each step's GEMM is called (and timed) from JavaScript; that per-step loop
// gives the same bits, at the cost of a call or two per step.
// `--mode infer` profiles the lean forward (`inference: true`) that the bench's infer mode
// and eval/predict/generate run; `--json FILE` appends one row per mode (docs/performance.md's
// "Where the time goes" section is generated from them by scripts/performance-report.ts).
//
//   node --import tsx bench/profile.ts --config C1 --cell lstm [--mode train|infer|both] [--steps 5] [--json FILE]
import { Command } from "commander";
import { CONFIGS, makeBatch, type Cell, type Mode } from "./configs.ts";
import { RowWriter, runMeta } from "./rows.ts";
import { useFastBackend } from "../src/tensor/fast.ts";
import { allowRelaxedSimd, compileWasmEagerly } from "../src/node/threads.ts";
import { setGemm } from "../src/tensor/gemm.ts";
import { setGateKernels } from "../src/tensor/gate-kernels.ts";
import { Sequence } from "../src/train/sequence.ts";
import { lossAndGrad } from "../src/train/loss.ts";
import { Adam } from "../src/train/optim/adam.ts";
import { zeros } from "../src/tensor/types.ts";
import { Rng } from "../src/rand.ts";

const o = new Command("profile").option("--config <name>", "C1, C2 or C3", "C1").option("--cell <cell>", "elman, lstm or gru", "lstm")
  .option("--mode <mode>", "train, infer or both", "train").option("--steps <n>", "steps to average", "5")
  .option("--json <file>", "append one JSON row per mode to this file").parse().opts();
const c = CONFIGS.find((x) => x.name === o.config)!;
const cell = o.cell as Cell, steps = Number(o.steps);
// CPU time of this process (one thread): on a shared machine wall time counts the slices
// other processes take. process.cpuUsage() is a system call of a microsecond or two, small
// against the ~130 GEMM calls of a C1 step (hundreds of milliseconds).
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

// The kernels the bench's rows ran (useFastBackendNode): the relaxed-SIMD build where this Node
// accepts it, compiled up front rather than tiered up during the few profiled steps.
compileWasmEagerly(); allowRelaxedSimd();
const fb = useFastBackend();
type Gemm = { role: string; op: string; ms: number; calls: number; flops: number };
const gemms = new Map<string, Gemm>();
let inGemm = 0, phase: "forward" | "backward" = "forward";
/** What a GEMM does, from its phase and shape: per-step calls have B rows, a transposed A is
 *  a weight gradient (summed over T·B), the head's have O columns (forward) or O as K (backward). */
function role(tA: boolean, M: number, N: number, K: number): string {
  const head = c.output > 0;
  if (phase === "forward") return M === c.B ? "recurrent h·Wᵀ (per step)" : head && N === c.output ? "head" : "input projection x·Wᵀ";
  if (M === c.B) return "recurrent dh = dgates·W (per step)";
  if (tA) return head && M === c.output ? "head weight gradient" : "weight gradients dW";
  return head && K === c.output ? "head dh" : "input gradient dx (upper layer)";
}
/** The profiled path: each GEMM timed, the whole-sequence jobs declined; or the bench's path. */
function instrument(on: boolean): void {
  setGateKernels(on ? { ...fb.gates, sequence: () => false } : fb.gates);
  if (!on) return setGemm(fb.gemm, fb.name);
  setGemm((tA, tB, M, N, K, A, ao, B, bo, C, co, acc) => {
    const t = cpuMs();
    fb.gemm(tA, tB, M, N, K, A, ao, B, bo, C, co, acc);
    const dt = cpuMs() - t;
    inGemm += dt;
    const r = role(tA, M, N, K), op = `${tA ? "T" : "N"}${tB ? "T" : "N"} ${M}×${N}×${K}`, key = `${phase} ${r} ${op}`;
    const e = gemms.get(key) ?? { role: `${phase}: ${r}`, op, ms: 0, calls: 0, flops: 0 };
    e.ms += dt; e.calls++; e.flops += 2 * M * N * K;
    gemms.set(key, e);
  }, `${fb.name} (timed)`);
}

/** Runs `steps` timed steps (after one untimed) and returns CPU ms per step by part. */
function profile(mode: Mode, instrumented = true) {
  instrument(instrumented);
  const model = new Sequence({ cell, input: c.input, hidden: c.hidden, layers: c.layers, output: c.output });
  const rng = new Rng(7), s = 1 / Math.sqrt(c.hidden);
  for (let i = 0; i < model.params.length; i++) model.params[i] = (rng.uniform() * 2 - 1) * s;
  const batch = makeBatch(c), { T, B } = c, O = model.outputSize;
  const x = zeros(T * B * c.input, "float32"); x.set(batch.x);
  const targets = c.loss === "ce" ? batch.classes : batch.values;
  const dOut = zeros(T * B * O, "float32");
  const opt = new Adam({ lr: 1e-3 });
  const parts = { forward: 0, loss: 0, backward: 0, adam: 0, gemmF: 0, gemmB: 0 };
  for (let i = 0; i <= steps; i++) {
    if (i === 1) { for (const k of Object.keys(parts) as Array<keyof typeof parts>) parts[k] = 0; gemms.clear(); }
    phase = "forward";
    let t = cpuMs(); inGemm = 0;
    if (mode === "infer") { model.forward(x, T, B, { inference: true }); parts.forward += cpuMs() - t; parts.gemmF += inGemm; continue; }
    model.zeroGrads();
    const { out } = model.forward(x, T, B);
    parts.forward += cpuMs() - t; parts.gemmF += inGemm;
    t = cpuMs();
    lossAndGrad(c.loss, out, T * B, O, targets, null, dOut);
    parts.loss += cpuMs() - t;
    phase = "backward";
    t = cpuMs(); inGemm = 0;
    model.backward(dOut, null, { inputGrad: false });   // x needs no gradient, as in PyTorch
    parts.backward += cpuMs() - t; parts.gemmB += inGemm;
    t = cpuMs();
    opt.step(model.params, model.grads);
    parts.adam += cpuMs() - t;
  }
  const per = (v: number) => Number((v / steps).toFixed(2));
  const ms = {
    forward_gemm: per(parts.gemmF), forward_rest: per(parts.forward - parts.gemmF), loss: per(parts.loss),
    backward_gemm: per(parts.gemmB), backward_rest: per(parts.backward - parts.gemmB), optimiser: per(parts.adam),
  };
  const total = per(parts.forward + parts.loss + parts.backward + parts.adam), gemmMs = parts.gemmF + parts.gemmB;
  const flops = [...gemms.values()].reduce((a, e) => a + e.flops, 0);
  const gemm = [...gemms.values()].sort((a, b) => b.ms - a.ms).map((e) => ({
    role: e.role, op: e.op, calls: e.calls / steps, ms: per(e.ms), gflops: Number((e.flops / e.ms / 1e6).toFixed(1)),
  }));
  return { ms, total_ms: total, tokens_per_cpu_s: Math.round(T * B / (total / 1000)), gemm_gflops: Number((flops / gemmMs / 1e6).toFixed(1)), gemm };
}

const p0 = (v: number) => Number(v.toFixed(2));
const rows = o.json ? new RowWriter(o.json, runMeta(false)) : null;
for (const mode of (o.mode === "both" ? ["train", "infer"] : [o.mode]) as Mode[]) {
  const p = profile(mode);
  // The same steps on the bench's path (whole-sequence jobs, untimed GEMMs): how far the
  // per-step loop the profile needs is from what the bench measured (far for C2's small steps).
  // No GEMM is timed there, so each *_rest is its whole part.
  const b = profile(mode, false).ms;
  const benchPath = { total_ms: p0(b.forward_rest + b.loss + b.backward_rest + b.optimiser), forward: b.forward_rest, loss: b.loss, backward: b.backward_rest, optimiser: b.optimiser };
  const pct = (v: number) => `${(100 * v / p.total_ms).toFixed(0)}%`;
  console.log(`\n${c.name} ${cell} ${mode}, ${steps} steps, CPU ms per step (fast backend, 1 thread): total ${p.total_ms} → ${p.tokens_per_cpu_s} tokens/s; GEMMs ${p.gemm_gflops} GFLOP/s\n`);
  console.log("| part | ms/step | share |\n|---|---|---|");
  const labels: Record<keyof typeof p.ms, string> = {
    forward_gemm: "forward: GEMMs", forward_rest: "forward: the rest (gate kernels, biases, head)", loss: "loss (softmax / MSE)",
    backward_gemm: "backward: GEMMs", backward_rest: "backward: the rest (gate gradients, bias sums, head)", optimiser: "Adam",
  };
  for (const [k, v] of Object.entries(p.ms) as Array<[keyof typeof p.ms, number]>) if (mode === "train" || v) console.log(`| ${labels[k]} | ${v} | ${pct(v)} |`);
  console.log("\n| GEMM role | transA transB M×N×K | calls/step | ms/step | GFLOP/s |\n|---|---|---|---|---|");
  for (const e of p.gemm) console.log(`| ${e.role} | ${e.op} | ${e.calls} | ${e.ms} | ${e.gflops} |`);
  console.log(`\nthe bench's path (whole-sequence jobs, GEMMs untimed): ${benchPath.total_ms} ms per step`);
  rows?.write({ kind: "profile", config: c.name, cell, mode, threads: 1, steps, backend: `${fb.name}, per-step GEMMs timed`, ...p, bench_path: benchPath });
}
