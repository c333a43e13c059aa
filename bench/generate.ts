// `npm run bench -- --generate`: batch-1 streaming generation with the C1 character model
// (one-hot input of 65, 256 units, a head of 65; elman, lstm, gru), the loop `recurrent
// generate` runs: src/model/sample.ts's streamTokens (model.step per token, then a draw from
// the softmax) on the fast backend, against the same loop in PyTorch (pytorch_bench.py --mode
// generate: one rnn(x_t, state) step under no_grad, the head, softmax, torch.multinomial) with
// each OpenBLAS kernel set. A repetition is `tokens` tokens after a one-token prompt from a
// fresh state; warm-up and repetitions as measure.ts (and pytorch_bench.py) time every tool.
// onnxruntime is not run: our ONNX export starts its states at zero and has no state inputs,
// so a step-by-step session would need a graph of its own.
//
// The same run probes where C3 training's memory goes (issue 17's memory target): one process
// per thread count installs the backend and records its resident set idle, then runs training
// steps exactly as the speed run does and records after each the peak RSS, the wasm heap's
// high-water mark and live bytes (kind "memory").
//
// Each measurement runs in its own child process; rows go to docs/performance/generate-….jsonl.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CONFIGS, makeBatch, minTrainBytes, type Cell } from "./configs.ts";
import { timeSteps } from "./measure.ts";
import { childJson, installFast } from "./tools.ts";
import { torchEnv, type TorchVariant } from "./torch-variants.ts";
import { generateTable, type GenerateRow, type MemoryRow } from "./report-generate.ts";
import type { RowWriter } from "./rows.ts";

export const GENERATE_CONFIG = "C1";

export interface GenerateArgs {
  cell: Cell; threads: number; tokens: number;
  reps: number; minSeconds: number; warmupSeconds: number;
}

export type GenerateResult = Omit<GenerateRow, "kind">;

const RUN = fileURLToPath(new URL("./run.ts", import.meta.url));
const PY = fileURLToPath(new URL("./pytorch_bench.py", import.meta.url));
const MB = 2 ** 20;

/** Ours, in this process (the child's side): streamTokens over the C1 model at batch 1. */
export async function measureGenerate(a: GenerateArgs): Promise<GenerateResult> {
  const c = CONFIGS.find((x) => x.name === GENERATE_CONFIG)!;
  const fb = await installFast(a.threads);
  const backend = (await import("../src/tensor/gemm.ts")).gemmName();
  const { benchModel } = await import("./tool-recurrent.ts");
  const { streamTokens } = await import("../src/model/sample.ts");
  const { Rng } = await import("../src/rand.ts");
  const model = benchModel(c, a.cell), rng = new Rng(3);
  let sink = 0;
  const step = async () => {
    streamTokens(model, { prompt: [0], length: a.tokens, rng }, (id) => { sink += id; });
    // One turn of the event loop between repetitions, as a host between calls: the heap's
    // per-step blocks are reclaimed only then (wasm-heap.ts, a FinalizationRegistry).
    await new Promise((r) => setImmediate(r));
  };
  const t = await timeSteps(step, a.tokens, { reps: a.reps, minSeconds: a.minSeconds, warmupSeconds: a.warmupSeconds });
  if (sink < 0) console.error(sink);   // keeps the draws observable
  return withMs({
    tool: "recurrent", config: GENERATE_CONFIG, cell: a.cell, mode: "generate" as const, threads: a.threads, tokens: a.tokens,
    tokens_per_s: t.median, min: t.min, max: t.max, reps: t.reps, cpu_tokens_per_s: t.cpuMedian,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024, backend,
    // GEMM chunks the worker threads computed over the whole run: 0 means the second thread never worked.
    ...(a.threads > 1 ? { worker_chunks: fb.chunksByWorkers() } : {}),
  });
}

/** ms/token (median, and its range) from tokens/s: the faster rep is the smaller ms. */
function withMs<T extends { tokens_per_s: number; min: number; max: number }>(r: T): T & { ms_per_token: number; ms_min: number; ms_max: number } {
  return { ...r, ms_per_token: 1000 / r.tokens_per_s, ms_min: 1000 / r.max, ms_max: 1000 / r.min };
}

function vmKb(field: "VmHWM" | "VmRSS"): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) : NaN;
}

export interface MemoryArgs { config: string; cell: Cell; threads: number; steps: number }

/** Where a training run's memory goes, in this process (the child's side): the resident set
 *  with the backend installed and nothing built, then, after each training step run as the
 *  speed run runs them (back to back, no turn of the event loop), the peak RSS, the wasm
 *  heap's high-water mark (the most it ever handed out: pages above it were never touched)
 *  and its live bytes, and V8's heap. */
export async function measureMemory(a: MemoryArgs): Promise<Omit<MemoryRow, "kind">> {
  const c = CONFIGS.find((x) => x.name === a.config)!;
  const fb = await installFast(a.threads);
  const { recurrentStep } = await import("./tool-recurrent.ts");
  const backend = (await import("../src/tensor/gemm.ts")).gemmName();
  const idle = vmKb("VmHWM") / 1024;
  // `clean` is the heap's high-water mark (a private field of WasmHeap, read here as a diagnostic).
  const heap = fb.heap as unknown as { clean: number; used: number; capacity: number };
  // As the speed run (tools.ts): the batch is made in JavaScript and copied into the model's
  // memory; the step keeps no reference to it, so its arrays live until V8 collects them.
  let batch: ReturnType<typeof makeBatch> | null = makeBatch(c);
  const jsBatch = (batch.x.byteLength + batch.classes.byteLength + batch.values.byteLength) / MB;
  const step = recurrentStep(c, a.cell, "train", batch);
  const batchRef = new WeakRef(batch.x);   // is the JavaScript batch still there after each step?
  batch = null;
  const built = { hwm_mb: vmKb("VmHWM") / 1024, wasm_high_water_mb: heap.clean / MB, wasm_used_mb: heap.used / MB, js_batch_mb: jsBatch };
  const steps = [];
  for (let i = 1; i <= a.steps; i++) {
    await step();
    steps.push({
      step: i, hwm_mb: vmKb("VmHWM") / 1024, rss_mb: vmKb("VmRSS") / 1024, wasm_capacity_mb: heap.capacity / MB,
      wasm_high_water_mb: heap.clean / MB, wasm_used_mb: heap.used / MB, v8_heap_mb: process.memoryUsage().heapUsed / MB,
      js_batch_alive: batchRef.deref() !== undefined,
    });
  }
  return { tool: "recurrent", config: a.config, cell: a.cell, mode: "train", threads: a.threads, backend, need_mb: minTrainBytes(c, a.cell) / MB, idle_rss_mb: idle, built, steps };
}

export interface GenerateOptions {
  cells: Cell[]; threads: number[]; torchThreads: number[]; variants: TorchVariant[];
  tokens: number; reps: number; minSeconds: number; warmupSeconds: number; runs: number;
  /** The memory probe: configuration, thread counts and steps (none when threads is empty). */
  memory: { config: string; cell: Cell; threads: number[]; steps: number };
  python: string | null; rows: RowWriter; json: boolean;
}

export async function runGenerate(o: GenerateOptions): Promise<void> {
  const note = (s: string) => process.stderr.write(`${s}\n`);
  const common = ["--reps", String(o.reps), "--min-seconds", String(o.minSeconds), "--warmup-seconds", String(o.warmupSeconds), "--tokens", String(o.tokens)];
  const out: GenerateRow[] = [], mem: MemoryRow[] = [];
  // The fastest of `runs` processes, as the speed run's --runs.
  const fastest = (run: () => Record<string, unknown> | { error: string }) => {
    let b: Record<string, unknown> | { error: string } | null = null;
    for (let i = 0; i < o.runs; i++) {
      const r = run();
      if (!b || "error" in b || (!("error" in r) && (r.tokens_per_s as number) > (b.tokens_per_s as number))) b = r;
    }
    return b!;
  };
  const emit = (r: Record<string, unknown> | { error: string }) => {
    if ("error" in r) { note(`  ! ${r.error}`); return; }
    const row = o.rows.write({ kind: "generate", ...r }) as unknown as GenerateRow;
    out.push(row);
    if (o.json) console.log(JSON.stringify(row));
    else note(`  ${(row.tool + (row.variant ? ` ${row.variant}` : "")).padEnd(18)} ${row.cell.padEnd(5)} ×${row.threads}  ${row.ms_per_token.toFixed(4)} ms/token${row.blas ? `  (${row.blas})` : ""}`);
  };
  note(`generation, batch 1: C1 (one-hot 65, 256 units, head 65), ${o.tokens} tokens a repetition after a one-token prompt`);
  for (const cell of o.cells) {
    for (const t of o.threads) {
      emit(fastest(() => childJson(spawnSync(process.execPath, ["--import", "tsx", RUN, "--child", "generate", "--cell", cell, "--threads", String(t), ...common],
        { encoding: "utf8", maxBuffer: 1 << 24 }), `recurrent ${cell} ×${t}`)));
    }
    if (o.python) for (const variant of o.variants) for (const t of o.torchThreads) {
      emit(fastest(() => {
        const r = childJson(spawnSync(o.python!, [PY, "--config", GENERATE_CONFIG, "--cell", cell, "--mode", "generate", "--threads", String(t), ...common],
          { encoding: "utf8", env: torchEnv(variant, t) }), `pytorch (${variant}) ${cell} ×${t}`);
        return "error" in r ? r : withMs({ ...(r as { tokens_per_s: number; min: number; max: number }), variant });
      }));
    }
  }
  for (const t of o.memory.threads) {
    const r = childJson(spawnSync(process.execPath, ["--import", "tsx", RUN, "--child", "memory", "--config", o.memory.config, "--cell", o.memory.cell,
      "--threads", String(t), "--memory-steps", String(o.memory.steps)], { encoding: "utf8", maxBuffer: 1 << 24 }), `memory probe ${o.memory.config} ×${t}`);
    if ("error" in r) { note(`  ! ${r.error}`); continue; }
    const row = o.rows.write({ kind: "memory", ...r }) as unknown as MemoryRow;
    mem.push(row);
    if (o.json) console.log(JSON.stringify(row));
    else note(`  memory ${row.config} ${row.cell} train ×${t}: idle ${row.idle_rss_mb.toFixed(0)} MB, peak ${row.steps.at(-1)!.hwm_mb.toFixed(0)} MB after ${row.steps.length} steps, wasm high-water ${row.steps.at(-1)!.wasm_high_water_mb.toFixed(0)} MB, need ${row.need_mb.toFixed(0)} MB`);
  }
  o.rows.end();
  if (!o.json) console.log(generateTable(out));
}
