// One benchmark measurement in a child process, so each gets its own peak RSS and no tool
// disturbs another's heap or threads. `measureChild` is what a child runs; `runChild`
// starts one from the parent and reads its JSON line.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CONFIGS, makeBatch, type Cell, type Mode } from "./configs.ts";
import { timeSteps } from "./measure.ts";
import { torchEnv, type TorchVariant } from "./torch-variants.ts";

export type Tool = "recurrent" | "pytorch" | "onnxruntime" | "tfjs" | "brain";

/** fast: wasm SIMD GEMM and gate kernels; fast-js-gates: wasm GEMM with the JavaScript gate
 *  loops (the ablation of the gate kernels); reference: plain TypeScript throughout. */
export type Backend = "fast" | "fast-js-gates" | "reference";

export interface Result {
  tool: Tool; config: string; cell: Cell; mode: Mode; threads: number;
  tokens_per_s: number; min: number; max: number; reps: number; peak_rss_mb: number;
  /** tokens per second of CPU time (see measure.ts). */
  cpu_tokens_per_s: number;
  backend?: string; note?: string;
  /** PyTorch: which OpenBLAS kernel set its environment asked for (torch-variants.ts), and
   *  the BLAS it actually loaded (bench/torch_env.py). */
  variant?: TorchVariant; blas?: string; version?: string;
}

export interface ChildArgs {
  tool: Tool; config: string; cell: Cell; mode: Mode; threads: number;
  reps: number; minSeconds: number; warmupSeconds: number; backend: Backend;
  /** columns: never split a layer's time loop by batch rows, only each step's GEMMs. */
  threadSplit: "auto" | "columns";
  /** PyTorch only: the OpenBLAS kernel set (its child's environment). */
  variant?: TorchVariant;
}

/** Installs the fast backend in this (child) process with `threads` threads, once they have started. */
export async function installFast(threads: number, opts: { fusedGates?: boolean; sequenceSplitMaxWeightBytes?: number } = {}) {
  const { useFastBackendNode, threadsReady } = await import("../src/node/threads.ts");
  const fb = useFastBackendNode({ threads, fusedGates: opts.fusedGates ?? true, ...opts });
  if (!(await threadsReady(fb))) throw new Error("worker threads did not start");
  return fb;
}

/** A child's JSON line (its last on stdout), or its error: the error line of stderr, not Node's
 *  closing "Node.js v20…" line or a stack frame, after `what`. */
export function childJson(r: ReturnType<typeof spawnSync>, what: string): Record<string, unknown> | { error: string } {
  const line = String(r.stdout ?? "").split("\n").reverse().find((l) => l.startsWith("{"));
  if (r.status !== 0 || !line) {
    const lines = String(r.stderr ?? "").trim().split("\n").filter(Boolean);
    return { error: `${what}: ${lines.reverse().find((l) => /error/i.test(l)) ?? lines[0] ?? `exit ${r.status}`}` };
  }
  return JSON.parse(line) as Record<string, unknown>;
}

/** Measure in this process and return the result (the child's side). */
export async function measureChild(a: ChildArgs): Promise<Result> {
  const c = CONFIGS.find((x) => x.name === a.config)!;
  let step: () => unknown, tokens = c.T * c.B, backend: string | undefined;
  if (a.tool === "recurrent") {
    const { recurrentStep } = await import("./tool-recurrent.ts");
    if (a.backend !== "reference") {
      await installFast(a.threads, { fusedGates: a.backend === "fast", ...(a.threadSplit === "columns" ? { sequenceSplitMaxWeightBytes: 0 } : {}) });
    }
    backend = (await import("../src/tensor/gemm.ts")).gemmName() + (a.backend === "fast-js-gates" ? ", JS gates" : "");
    step = recurrentStep(c, a.cell, a.mode, makeBatch(c));   // the batch is not kept: one copy of the data
  } else if (a.tool === "onnxruntime") {
    if (a.mode !== "infer") throw new Error("measureChild: onnxruntime runs inference only");
    const { onnxStep } = await import("./tool-onnx.ts");
    const o = await onnxStep(c, a.cell, a.threads, makeBatch(c));
    step = o.step; backend = o.version;
  } else if (a.tool === "tfjs") {
    const { tfjsStep } = await import("./tool-tfjs.ts");
    step = await tfjsStep(c, a.cell, a.mode, makeBatch(c));
  } else if (a.tool === "brain") {
    const { brainStep } = await import("./tool-brain.ts");
    // Sequences per step: enough for ~0.2 s at brain.js's speed.
    const S = c.name === "C1" ? 2 : 16;
    tokens = S * c.T;
    step = await brainStep(c, a.cell, a.mode, makeBatch(c), S);
  } else {
    throw new Error(`measureChild: ${a.tool} runs in python`);
  }
  const t = await timeSteps(step, tokens, { reps: a.reps, minSeconds: a.minSeconds, warmupSeconds: a.warmupSeconds });
  return {
    tool: a.tool, config: a.config, cell: a.cell, mode: a.mode, threads: a.threads,
    tokens_per_s: t.median, min: t.min, max: t.max, reps: t.reps, cpu_tokens_per_s: t.cpuMedian,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024, ...(backend ? { backend } : {}),
  };
}

const RUN = fileURLToPath(new URL("./run.ts", import.meta.url));
const PY = fileURLToPath(new URL("./pytorch_bench.py", import.meta.url));

/** A python that can import torch, or null. */
export function findTorchPython(): string | null {
  for (const py of ["python3", "/usr/bin/python3"]) {
    const r = spawnSync(py, ["-c", "import torch"], { stdio: "ignore" });
    if (r.status === 0) return py;
  }
  return null;
}

/** Run one measurement in a child process; returns its result or an error note. */
export function runChild(a: ChildArgs, python: string | null): Result | { error: string } {
  let r;
  if (a.tool === "pytorch") {
    r = spawnSync(python!, [PY, "--config", a.config, "--cell", a.cell, "--mode", a.mode, "--threads", String(a.threads),
      "--reps", String(a.reps), "--min-seconds", String(a.minSeconds), "--warmup-seconds", String(a.warmupSeconds)],
    { encoding: "utf8", env: torchEnv(a.variant ?? "avx2", a.threads) });
  } else {
    r = spawnSync(process.execPath, ["--import", "tsx", RUN, "--child", a.tool, "--config", a.config, "--cell", a.cell,
      "--mode", a.mode, "--threads", String(a.threads), "--reps", String(a.reps), "--min-seconds", String(a.minSeconds),
      "--warmup-seconds", String(a.warmupSeconds), "--backend", a.backend, "--thread-split", a.threadSplit], { encoding: "utf8", maxBuffer: 1 << 24 });
  }
  const out = childJson(r, `${a.tool}${a.variant ? ` (${a.variant})` : ""} ${a.config} ${a.cell} ${a.mode} ×${a.threads}`);
  if ("error" in out) return out as { error: string };
  const r0 = out as unknown as Result;
  return a.variant ? { ...r0, variant: a.variant } : r0;
}
