// Raw benchmark rows (bench/rows.ts) → the markdown tables and sentences of docs/performance.md,
// and the table `npm run bench` prints. Pure: no files, no clock, so the report can be
// regenerated from committed rows and tested (test/bench/report-tables.test.ts).
// Ratios are ours ÷ theirs, each tool at its best thread count (and, for PyTorch, its best
// OpenBLAS kernel set): above 1 we are faster. Rows of different runs must not be mixed; the
// caller passes one run's rows.

import { CONFIGS, flopsPerToken, minTrainBytes, type Cell, type Mode } from "./configs.ts";

export interface SpeedRow {
  kind: "speed"; tool: string; variant?: string; threads: number; config: string; cell: Cell; mode: Mode;
  tokens_per_s: number; min: number; max: number; cpu_tokens_per_s: number; peak_rss_mb: number;
  backend?: string; blas?: string;
}
export interface QualityRow {
  kind: "quality"; tool: string; variant?: string; threads: number; budget_s: number; updates: number;
  train_seconds: number; tokens_per_s: number; val_nats: number; val_nats_own?: number; peak_rss_mb: number | null;
  backend?: string; blas?: string; text?: { file: string; bytes: number; md5: string };
}
export interface RunRow { kind: "run"; seconds: number }
/** Fields every row carries (bench/rows.ts). */
export interface Meta { run: string; date: string; commit: string; dirty: boolean; argv: string[]; smoke: boolean; loadavg: number[]; cpu?: string; cores?: number; node?: string }
export type Row = (SpeedRow | QualityRow | RunRow) & Meta;

export function fmtRate(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e4 ? `${(x / 1e3).toFixed(1)}k` : x >= 1e3 ? `${(x / 1e3).toFixed(2)}k` : x.toFixed(0);
}
const ratio = (x: number) => `${x.toFixed(2)}×`;

export function mdTable(header: string[], rows: string[][]): string {
  const w = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => `| ${r.map((c, j) => c.padEnd(w[j])).join(" | ")} |`;
  return [line(header), `|${w.map((n) => "-".repeat(n + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

const VARIANT_LABEL: Record<string, string> = { avx2: "AVX2", avx512: "AVX-512" };
export const variantLabel = (v?: string) => (v ? VARIANT_LABEL[v] ?? v : "");

/** One (config, cell, mode) and its rows, in the benchmark's order. */
export interface Group { config: string; cell: Cell; mode: Mode; rows: SpeedRow[] }

export function groups(rows: SpeedRow[]): Group[] {
  const out = new Map<string, Group>();
  for (const r of rows) {
    const k = `${r.config}|${r.cell}|${r.mode}`;
    if (!out.has(k)) out.set(k, { config: r.config, cell: r.cell, mode: r.mode, rows: [] });
    out.get(k)!.rows.push(r);
  }
  return [...out.values()];
}

/** The fastest row of a tool in a group (over threads and variants), or null. */
export function best(g: Group, tool: string): SpeedRow | null {
  let b: SpeedRow | null = null;
  for (const r of g.rows) if (r.tool === tool && (!b || r.tokens_per_s > b.tokens_per_s)) b = r;
  return b;
}

/** ours ÷ the tool's best, or null when either is missing. */
export function oursOver(g: Group, tool: string): number | null {
  const o = best(g, "recurrent"), t = best(g, tool);
  return o && t ? o.tokens_per_s / t.tokens_per_s : null;
}

const cellOf = (r: SpeedRow | null) => (r ? `${fmtRate(r.tokens_per_s)} (${r.variant ? `${variantLabel(r.variant)} ` : ""}×${r.threads})` : "–");
const ratioOf = (x: number | null) => (x === null ? "–" : ratio(x));

/** One line per (config, cell, mode): our best, each anchor's best and our ratio to it. */
export function summaryTable(rows: SpeedRow[]): string {
  const body = groups(rows).map((g) => [
    g.config, g.cell, g.mode, cellOf(best(g, "recurrent")),
    cellOf(best(g, "pytorch")), ratioOf(oursOver(g, "pytorch")),
    g.mode === "infer" ? cellOf(best(g, "onnxruntime")) : "", g.mode === "infer" ? ratioOf(oursOver(g, "onnxruntime")) : "",
    ratioOf(oursOver(g, "tfjs")), ratioOf(oursOver(g, "brain")),
  ]);
  return mdTable(["config", "cell", "mode", "ours, tokens/s (thr)", "best PyTorch (kernels ×thr)", "ours ÷ best PyTorch",
    "best onnxruntime (×thr)", "ours ÷ onnxruntime", "ours ÷ tfjs-wasm", "ours ÷ brain.js"], body);
}

/** PyTorch's four variants side by side, the best marked: which kernel set and thread count won. */
export function pytorchVariantsTable(rows: SpeedRow[]): string {
  const gs = groups(rows).filter((g) => g.rows.some((r) => r.tool === "pytorch"));
  const cols = [...new Set(gs.flatMap((g) => g.rows.filter((r) => r.tool === "pytorch").map((r) => `${r.variant ?? "avx2"}|${r.threads}`)))].sort();
  const body = gs.map((g) => {
    const b = best(g, "pytorch");
    const cells = cols.map((c) => {
      const r = g.rows.find((x) => x.tool === "pytorch" && `${x.variant ?? "avx2"}|${x.threads}` === c);
      return r ? fmtRate(r.tokens_per_s) + (r === b ? " **best**" : "") : "–";
    });
    const blas = [...new Set(g.rows.filter((r) => r.tool === "pytorch").map((r) => r.blas ?? "?"))].join(", ");
    return [g.config, g.cell, g.mode, ...cells, blas];
  });
  return mdTable(["config", "cell", "mode", ...cols.map((c) => { const [v, t] = c.split("|"); return `${variantLabel(v)} ×${t}`; }), "BLAS loaded"], body);
}

/** Every measurement, with GFLOP/s, CPU-time rates and peak memory. */
export function fullTable(rows: SpeedRow[]): string {
  const body: string[][] = [];
  for (const g of groups(rows)) {
    const cfg = CONFIGS.find((c) => c.name === g.config)!;
    const ours1 = g.rows.find((r) => r.tool === "recurrent" && r.threads === 1)?.cpu_tokens_per_s ?? 0;
    const bp = best(g, "pytorch");
    for (const r of g.rows) {
      const mine = r.tool === "recurrent";
      let rss = r.peak_rss_mb.toFixed(0);
      if (mine && r.mode === "train") rss += ` (${needOf(r).toFixed(2)}× need)`;
      body.push([r.config, r.cell, r.mode, r.tool + (r === bp ? " (best)" : ""), r.variant ? variantLabel(r.variant) : r.backend ?? "", String(r.threads),
        fmtRate(r.tokens_per_s), `${fmtRate(r.min)}–${fmtRate(r.max)}`, (r.tokens_per_s * flopsPerToken(cfg, r.cell, r.mode) / 1e9).toFixed(1),
        r.threads === 1 ? fmtRate(r.cpu_tokens_per_s) : "", rss,
        mine ? "" : ratioOf(oursOver(g, r.tool)), !mine && r.threads === 1 && ours1 ? ratio(ours1 / r.cpu_tokens_per_s) : ""]);
    }
  }
  return mdTable(["config", "cell", "mode", "tool", "kernels / backend", "thr", "tokens/s", "min–max", "GFLOP/s", "tokens/CPU-s", "peak RSS MB",
    "ours ÷ tool's best", "ours ÷ this, CPU (1 thr)"], body);
}

/** Peak RSS of a training measurement ÷ what its training needs at least (configs.ts). */
export function needOf(r: SpeedRow): number {
  const cfg = CONFIGS.find((c) => c.name === r.config)!;
  return r.peak_rss_mb * 2 ** 20 / minTrainBytes(cfg, r.cell);
}

export const FULL_TABLE_NOTES = [
  "tokens/s: median wall-clock rate of the timed repetitions (min–max beside it); GFLOP/s from it by BENCHMARKS.md's count.",
  "tokens/CPU-s: tokens per second of the process's own CPU time, one-thread runs only (leaves out time other processes take).",
  "ours ÷ tool's best: our best wall-clock rate (over thread counts) ÷ this tool's best (over thread counts and, for PyTorch,",
  "  kernel sets); above 1 we are faster. ours ÷ this, CPU: our one-thread CPU-time rate ÷ this row's.",
  "peak RSS: each measurement runs in its own process; \"× need\" = RSS ÷ (parameters ×4 for θ, grad, Adam m, v",
  "  + the activations BPTT keeps + input and targets), all float32.",
].join("\n");

// ---- the issue's targets (issue 17) ----

interface Target { what: string; measured: string; met: boolean | null }

/** Issue 17's floor for ours ÷ best PyTorch: training 1.2 (C1), 2.0 (C2), 1.0 (C3); inference 1.0. */
export function speedFloor(config: string, mode: Mode): number {
  return mode === "infer" ? 1.0 : config === "C1" ? 1.2 : config === "C2" ? 2.0 : 1.0;
}

/** Training and inference ratios against the best PyTorch, memory, the tfjs/brain.js floor and
 *  time-to-quality, each with the measured figure and whether it met the target. */
export function targets(rows: SpeedRow[], quality: QualityRow[]): Target[] {
  const out: Target[] = [];
  const gs = groups(rows);
  for (const g of gs) {
    const x = oursOver(g, "pytorch");
    const floor = speedFloor(g.config, g.mode);
    if (x !== null) out.push({ what: `${g.config} ${g.cell} ${g.mode} ≥ ${floor.toFixed(1)} × best PyTorch`, measured: ratio(x), met: x >= floor });
  }
  // Memory is held to the need where the need dominates: C3. C1 and C2 need a few MB, against
  // the ~80 MB a Node process with tsx takes before any work.
  const need = gs.filter((g) => g.mode === "train" && g.config === "C3").flatMap((g) => g.rows.filter((r) => r.tool === "recurrent")).map(needOf);
  if (need.length) out.push({ what: "C3 training peak RSS ≤ 1.5 × need (1 and 2 threads)", measured: `${Math.min(...need).toFixed(2)}–${Math.max(...need).toFixed(2)}×`, met: Math.max(...need) <= 1.5 });
  for (const tool of ["tfjs", "brain"]) {
    const xs = gs.filter((g) => g.mode === "train").map((g) => oursOver(g, tool)).filter((x): x is number => x !== null);
    if (xs.length) out.push({ what: `training ≥ 20 × ${tool === "tfjs" ? "tfjs-wasm" : "brain.js"} (every config)`, measured: `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}×`, met: Math.min(...xs) >= 20 });
  }
  for (const q of qualityComparisons(quality)) {
    out.push({ what: `time-to-quality at ${q.budget} s: ours ≤ best PyTorch (validation nats/char)`, measured: `${q.ours.toFixed(3)} vs ${q.torch.toFixed(3)}`, met: q.ours <= q.torch });
  }
  return out;
}

export function targetsTable(rows: SpeedRow[], quality: QualityRow[]): string {
  return mdTable(["target", "this run", "met"], targets(rows, quality).map((t) => [t.what, t.measured, t.met === null ? "–" : t.met ? "yes" : "**no**"]));
}

// ---- time-to-quality ----

/** Per budget: our validation loss and the best (lowest) PyTorch one, by the shared evaluator. */
export function qualityComparisons(rows: QualityRow[]): Array<{ budget: number; ours: number; torch: number; torchRow: QualityRow; oursRow: QualityRow }> {
  const budgets = [...new Set(rows.map((r) => r.budget_s))].sort((a, b) => a - b);
  const out = [];
  for (const budget of budgets) {
    const at = rows.filter((r) => r.budget_s === budget);
    // Ours with the CLI's defaults is the figure compared; other thread counts are an ablation.
    const oursRow = at.find((r) => r.tool === "recurrent" && (r.variant ?? "defaults") === "defaults") ?? at.find((r) => r.tool === "recurrent");
    const torch = at.filter((r) => r.tool === "pytorch").sort((a, b) => a.val_nats - b.val_nats);
    if (oursRow && torch.length) out.push({ budget, ours: oursRow.val_nats, torch: torch[0].val_nats, torchRow: torch[0], oursRow });
  }
  return out;
}

export function qualityTable(rows: QualityRow[]): string {
  // Per budget: ours with the CLI's defaults, ours' ablations, then PyTorch as measured.
  const rank = (r: QualityRow) => (r.tool !== "recurrent" ? 2 : (r.variant ?? "defaults") === "defaults" ? 0 : 1);
  const sorted = [...rows].sort((a, b) => a.budget_s - b.budget_s || rank(a) - rank(b));
  const bestBy = new Map(qualityComparisons(rows).map((q) => [q.budget, q.torchRow]));
  const body = sorted.map((r) => [String(r.budget_s), r.tool + (bestBy.get(r.budget_s) === r ? " (best)" : ""),
    r.tool === "recurrent" ? `CLI ${r.variant ?? "defaults"}, ${r.backend ?? ""}` : variantLabel(r.variant), String(r.threads), String(r.updates), fmtRate(r.tokens_per_s),
    r.val_nats.toFixed(4), r.val_nats_own === undefined ? "" : r.val_nats_own.toFixed(4), r.peak_rss_mb === null ? "?" : r.peak_rss_mb.toFixed(0)]);
  return mdTable(["budget s", "tool", "settings / kernels", "thr", "updates", "tokens/s", "val nats/char (shared evaluator)", "val, tool's own evaluation", "peak RSS MB"], body);
}

/** One sentence per budget: ours against the best PyTorch variant. */
export function qualitySentences(rows: QualityRow[]): string {
  return qualityComparisons(rows).map((q) =>
    `At ${q.budget} s, ours reached ${q.ours.toFixed(3)} nats/char in ${q.oursRow.updates} updates; the best PyTorch run ` +
    `(${variantLabel(q.torchRow.variant)}, ${q.torchRow.threads} thread${q.torchRow.threads > 1 ? "s" : ""}) ${q.torch.toFixed(3)} in ${q.torchRow.updates} ` +
    `(ours − PyTorch = ${(q.ours - q.torch >= 0 ? "+" : "−") + Math.abs(q.ours - q.torch).toFixed(3)}).`).join(" ");
}

// ---- provenance ----

/** How long a run took, from its closing row ("run" rows), or null if it did not finish. */
export function runMinutes(rows: Row[]): number | null {
  const end = rows.find((r) => r.kind === "run") as (RunRow & Meta) | undefined;
  return end ? end.seconds / 60 : null;
}

/** One sentence: how long the runs behind this document took. */
export function durationSentence(bench: Row[], quality: Row[], generate: Array<{ kind: string; seconds?: number; smoke?: boolean }> = []): string {
  const b = runMinutes(bench), q = runMinutes(quality), g = generate.length ? runMinutes(generate as Row[]) : undefined;
  const part = (m: number | null, what: string) => `${what} ${m === null ? "did not finish" : `took ${m.toFixed(1)} min`}`;
  const smoke = bench[0]?.smoke || quality[0]?.smoke || generate[0]?.smoke ? " (at least one of them a smoke run: a part of the full run, on a busy machine)" : "";
  const parts = [part(b, "the speed run"), part(q, "the time-to-quality run"), ...(g === undefined ? [] : [part(g, "the generation run")])];
  return `The runs behind this document: ${parts.length > 2 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : parts.join(", ")}${smoke}.`;
}

/** What run the rows came from: when, how long, which commit, how loaded the machine was. */
export function provenance(rows: Row[]): string {
  if (!rows.length) return "No rows.";
  const m = rows[0];
  const end = rows.find((r) => r.kind === "run") as (RunRow & Meta) | undefined;
  const loads = rows.map((r) => r.loadavg[0]);
  const cmd = m.argv.length ? `\`npm run bench -- ${m.argv.join(" ")}\`` : "`npm run bench`";
  return [
    m.smoke ? "**SMOKE RUN: a short check of the tooling on a busy machine, not figures to quote.** " : "",
    `${cmd}, started ${m.run.replace("T", " ").replace(/:\d\d\.\d+Z$/, " UTC")}`,
    end ? `, took ${(end.seconds / 60).toFixed(1)} min` : " (no closing row: the run did not finish)",
    `; commit ${m.commit.slice(0, 10)}${m.dirty ? " with uncommitted changes in the tree" : ""}`,
    m.cpu ? `; ${m.cores} × ${m.cpu}, Node ${m.node}` : "",
    `; 1-minute load average ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} over the run.`,
  ].join("");
}
