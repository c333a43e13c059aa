// docs/performance.md's "Generation (batch 1, streaming)": the rows of `npm run bench --
// --generate` (bench/generate.ts) → ms per token, ours against PyTorch at its best. Pure: no
// files, no clock. Speeds are compared as in the speed tables: ours ÷ theirs in tokens per
// second (their ms per token ÷ ours), above 1 we are faster.

import { fmtRate, mdTable, variantLabel, type Meta } from "./report-tables.ts";

/** One row of the generation run. */
export interface GenerateRow extends Partial<Meta> {
  kind: "generate"; tool: string; variant?: string; config: string; cell: string; mode: "generate"; threads: number;
  /** Tokens a repetition, after a one-token prompt from a fresh state. */
  tokens: number;
  tokens_per_s: number; min: number; max: number; reps: number; cpu_tokens_per_s: number; peak_rss_mb: number;
  /** 1000 / tokens_per_s, and its range over the repetitions. */
  ms_per_token: number; ms_min: number; ms_max: number;
  backend?: string; blas?: string; version?: string;
  /** Ours with threads: GEMM chunks the worker threads computed over the whole process. */
  worker_chunks?: number;
}

/** One row of the memory probe (bench/generate.ts measureMemory). */
export interface MemoryRow extends Partial<Meta> {
  kind: "memory"; tool: string; config: string; cell: string; mode: "train"; threads: number; backend: string;
  /** What the configuration's training needs at least (configs.ts minTrainBytes), MB. */
  need_mb: number;
  /** Peak RSS with the backend installed (and its workers started), nothing built. */
  idle_rss_mb: number;
  /** Once the model, optimiser and batch are built, before a step. */
  /** The JavaScript arrays of the bench's batch (made, copied into the heap, then dropped). */
  built: { hwm_mb: number; wasm_high_water_mb: number; wasm_used_mb: number; js_batch_mb: number };
  /** After each step; js_batch_alive: V8 had not yet collected the bench's JavaScript batch. */
  steps: Array<{ step: number; hwm_mb: number; rss_mb: number; wasm_capacity_mb: number; wasm_high_water_mb: number; wasm_used_mb: number; v8_heap_mb: number; js_batch_alive?: boolean }>;
}

const ms = (x: number) => (x >= 1 ? x.toFixed(2) : x >= 0.1 ? x.toFixed(3) : x.toFixed(4));
const x2 = (x: number) => `${x.toFixed(2)}×`;

function fastest(rows: GenerateRow[]): GenerateRow | null {
  return rows.reduce<GenerateRow | null>((b, r) => (!b || r.tokens_per_s > b.tokens_per_s ? r : b), null);
}

const cellsOf = (rows: GenerateRow[]) => [...new Set(rows.map((r) => r.cell))];

/** Per cell: ours at its best thread count, the best PyTorch, and ours ÷ it. */
export function generateComparisons(rows: GenerateRow[]): Array<{ cell: string; ours: GenerateRow; torch: GenerateRow | null; ratio: number | null }> {
  return cellsOf(rows).flatMap((cell) => {
    const ours = fastest(rows.filter((r) => r.cell === cell && r.tool === "recurrent"));
    const torch = fastest(rows.filter((r) => r.cell === cell && r.tool === "pytorch"));
    return ours ? [{ cell, ours, torch, ratio: torch ? ours.tokens_per_s / torch.tokens_per_s : null }] : [];
  });
}

const who = (r: GenerateRow) => `${r.variant ? `${variantLabel(r.variant)} ` : ""}×${r.threads}`;

export function generateSummaryTable(rows: GenerateRow[]): string {
  return mdTable(["config", "cell", "ours, ms/token (thr)", "ours, tokens/s", "best PyTorch, ms/token (kernels ×thr)", "best PyTorch, tokens/s", "ours ÷ best PyTorch"],
    generateComparisons(rows).map((c) => [c.ours.config, c.cell, `${ms(c.ours.ms_per_token)} (${who(c.ours)})`, fmtRate(c.ours.tokens_per_s),
      c.torch ? `${ms(c.torch.ms_per_token)} (${who(c.torch)})` : "–", c.torch ? fmtRate(c.torch.tokens_per_s) : "–", c.ratio === null ? "–" : x2(c.ratio)]));
}

export function generateFullTable(rows: GenerateRow[]): string {
  const bestTorch = new Set(generateComparisons(rows).map((c) => c.torch));
  return mdTable(["cell", "tool", "kernels / backend", "thr", "ms/token", "min–max", "tokens/s", "tokens/CPU-s", "reps × tokens", "peak RSS MB"],
    rows.map((r) => [r.cell, r.tool + (bestTorch.has(r) ? " (best)" : ""), r.variant ? `${variantLabel(r.variant)} (${r.blas ?? "?"})` : r.backend ?? "", String(r.threads),
      ms(r.ms_per_token), `${ms(r.ms_min)}–${ms(r.ms_max)}`, fmtRate(r.tokens_per_s), r.threads === 1 ? fmtRate(r.cpu_tokens_per_s) : "",
      `${r.reps} × ${r.tokens}`, r.peak_rss_mb.toFixed(0)]));
}

/** What ours' second thread gave at batch 1, and whether its worker ever took a GEMM chunk. */
export function generateThreadsSentence(rows: GenerateRow[]): string {
  const pairs = cellsOf(rows).flatMap((cell) => {
    const one = rows.find((r) => r.cell === cell && r.tool === "recurrent" && r.threads === 1);
    const two = rows.find((r) => r.cell === cell && r.tool === "recurrent" && r.threads > 1);
    return one && two ? [{ cell, x: two.tokens_per_s / one.tokens_per_s, chunks: two.worker_chunks ?? null, threads: two.threads }] : [];
  });
  if (!pairs.length) return "";
  const xs = pairs.map((p) => p.x), chunks = pairs.map((p) => p.chunks);
  const none = chunks.every((c) => c === 0);
  const range = pairs.length > 1 ? `${x2(Math.min(...xs))}–${x2(Math.max(...xs))} (${pairs.map((p) => `${p.cell} ${x2(p.x)}`).join(", ")})` : `${x2(xs[0])} (${pairs[0].cell})`;
  return `Ours with ${pairs[0].threads} threads ÷ 1 thread: ${range}; ` +
    (chunks.some((c) => c === null) ? "the rows do not say whether the worker took any GEMM chunk."
      : none ? "the worker thread computed no GEMM chunk in any of these processes: at batch 1 every GEMM of a step is below the size the backend splits over threads, so the second thread does no work here, the difference between the two rows is run-to-run noise, and one thread is the setting to use."
        : `the worker threads computed ${chunks.join(", ")} GEMM chunks.`);
}

export function generateSentences(rows: GenerateRow[]): string {
  const cs = generateComparisons(rows).filter((c) => c.torch);
  if (!cs.length) return "";
  return cs.map((c) => `${c.cell}: ours ${ms(c.ours.ms_per_token)} ms/token, the best PyTorch (${who(c.torch!)}) ${ms(c.torch!.ms_per_token)}` +
    ` (ours ÷ PyTorch ${x2(c.ratio!)}).`).join(" ");
}

/** The whole generated section, or what to run when there are no rows. */
export function generateSection(rows: GenerateRow[]): string {
  if (!rows.length) return "No generation rows yet: run `npm run bench -- --generate`.";
  const threads = generateThreadsSentence(rows);
  return [generateSummaryTable(rows), `${generateSentences(rows)}${threads ? ` ${threads}` : ""}`, generateFullTable(rows),
    "ms/token: the median over repetitions of a repetition's time ÷ its tokens (min–max beside it); tokens/s = 1000 ÷ ms/token. " +
    "A repetition generates its tokens one at a time after a one-token prompt, from a fresh state, each drawn from the softmax of the head " +
    "(ours: streamTokens, temperature 1; PyTorch: softmax and torch.multinomial). ours ÷ best PyTorch: above 1 we are faster."].filter(Boolean).join("\n\n");
}

/** The generate table `npm run bench -- --generate` prints. */
export function generateTable(rows: GenerateRow[]): string {
  return rows.length ? `${generateSummaryTable(rows)}\n\n${generateFullTable(rows)}` : "no generation rows";
}
