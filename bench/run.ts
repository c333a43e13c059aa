// `npm run bench`: configurations C1–C3 of BENCHMARKS.md for elman, lstm and gru (C3 lstm
// only), training (forward + full BPTT + Adam) and inference, for this toolkit and, in the
// same run, PyTorch (when python3 can import torch), tfjs with the wasm backend and
// brain.js. Each measurement runs in its own child process (warm-up, then repetitions);
// the table gives median tokens/s with the min–max range, GFLOP/s by BENCHMARKS.md's
// count, peak RSS, and our speed as a ratio of each other tool's.
//
//   npm run bench -- --config C1 --cell lstm --mode train --compare pytorch,tfjs
//   npm run bench -- --json --compare none --threads 1
//
// Not a test: nothing here asserts a speed.
import { Command } from "commander";
import { availableParallelism } from "node:os";
import { CONFIGS, flopsPerToken, minTrainBytes, type Cell, type Mode } from "./configs.ts";
import { findTorchPython, measureChild, runChild, type Backend, type ChildArgs, type Result, type Tool } from "./tools.ts";

const program = new Command("bench")
  .option("--config <list>", "configurations, comma-separated", "C1,C2,C3")
  .option("--cell <list>", "cells, comma-separated", "elman,lstm,gru")
  .option("--mode <list>", "train, infer or both", "train,infer")
  .option("--threads <list>", "thread counts for this toolkit (and PyTorch)", `1,${availableParallelism()}`)
  .option("--compare <list>", "none, or some of pytorch,tfjs,brain", "pytorch,tfjs,brain")
  .option("--backend <name>", "fast (wasm SIMD GEMM and gate kernels), fast-js-gates (wasm GEMM, JavaScript gate loops) or reference (plain TypeScript)", "fast")
  .option("--reps <n>", "timed repetitions (at least)", "3")
  .option("--min-seconds <s>", "keep repeating until this much time has passed", "1")
  .option("--warmup-seconds <s>", "untimed steps first, for at least this long (JIT and wasm tier-up)", "0.5")
  .option("--runs <n>", "processes per measurement, keeping the fastest (every tool alike)", "1")
  .option("--thread-split <how>", "ours with threads: auto (time loops by batch rows where they fit) or columns (each step's GEMMs only)", "auto")
  .option("--json", "one JSON object per line instead of the table")
  .option("--child <tool>", "internal: measure one tool in this process");
program.parse();
const o = program.opts();
const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);

if (o.child) {
  const a: ChildArgs = {
    tool: o.child as Tool, config: o.config, cell: o.cell as Cell, mode: o.mode as Mode, threads: Number(o.threads),
    reps: Number(o.reps), minSeconds: Number(o.minSeconds), warmupSeconds: Number(o.warmupSeconds), backend: o.backend,
    threadSplit: o.threadSplit,
  };
  console.log(JSON.stringify(await measureChild(a)));
  process.exit(0);
}

const configs = list(o.config), cells = list(o.cell), modes = list(o.mode) as Mode[];
const threads = list(o.threads).map(Number);
const compare = o.compare === "none" ? [] : list(o.compare);
for (const c of configs) if (!CONFIGS.some((x) => x.name === c)) { console.error(`bench: unknown config ${c} (C1, C2, C3)`); process.exit(1); }
for (const t of compare) if (!["pytorch", "tfjs", "brain"].includes(t)) { console.error(`bench: unknown --compare ${t} (none, pytorch, tfjs, brain)`); process.exit(1); }
const python = compare.includes("pytorch") ? findTorchPython() : null;
const notes: string[] = [];
if (compare.includes("pytorch") && !python) notes.push("PyTorch skipped: no python3 here can `import torch` (apt-get install -y python3-torch).");

const results: Result[] = [];
if (!["fast", "fast-js-gates", "reference"].includes(o.backend)) { console.error(`bench: unknown --backend ${o.backend} (fast, fast-js-gates, reference)`); process.exit(1); }
if (!["auto", "columns"].includes(o.threadSplit)) { console.error(`bench: unknown --thread-split ${o.threadSplit} (auto, columns)`); process.exit(1); }
const base = { reps: Number(o.reps), minSeconds: Number(o.minSeconds), warmupSeconds: Number(o.warmupSeconds), backend: o.backend as Backend,
  threadSplit: o.threadSplit as "auto" | "columns" };
const runs = Math.max(1, Math.floor(Number(o.runs)));
function record(a: ChildArgs): void {
  // A process's speed on this kind of shared VM can differ from the next one's by 1.5× for the
  // same code; with --runs N each measurement is the fastest of N processes, for every tool.
  let r = runChild(a, python);
  for (let i = 1; i < runs && !("error" in r); i++) {
    const again = runChild(a, python);
    if (!("error" in again) && again.tokens_per_s > r.tokens_per_s) r = again;
  }
  if ("error" in r) { notes.push(r.error); if (!o.json) console.error(`  ! ${r.error}`); return; }
  results.push(r);
  if (o.json) console.log(JSON.stringify(r));
  else console.error(`  ${r.tool.padEnd(9)} ${r.config} ${r.cell.padEnd(5)} ${r.mode.padEnd(5)} ×${r.threads}  ${fmt(r.tokens_per_s)} tokens/s`);
}

for (const cfg of CONFIGS.filter((c) => configs.includes(c.name))) {
  for (const cell of cfg.cells.filter((c) => cells.includes(c))) {
    for (const mode of modes) {
      const at = { config: cfg.name, cell, mode, ...base };
      for (const t of threads) record({ tool: "recurrent", threads: t, ...at });
      if (python) for (const t of threads) record({ tool: "pytorch", threads: t, ...at });
      // tfjs-wasm and brain.js take minutes per C3 step; BENCHMARKS.md has no figures for them.
      if (cfg.name !== "C3") {
        if (compare.includes("tfjs")) record({ tool: "tfjs", threads: 1, ...at });
        if (compare.includes("brain")) record({ tool: "brain", threads: 1, ...at });
      }
    }
  }
}

if (!o.json) printTable();
// In --json mode stdout holds only the JSON lines; notes go to stderr.
for (const n of notes) (o.json ? console.error : console.log)(`note: ${n}`);

function fmt(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e4 ? `${(x / 1e3).toFixed(1)}k` : x >= 1e3 ? `${(x / 1e3).toFixed(2)}k` : x.toFixed(0);
}

function printTable(): void {
  const rows: string[][] = [["config", "cell", "mode", "tool", "thr", "tokens/s", "min–max", "GFLOP/s", "tokens/CPU-s", "peak RSS MB", "ours ÷ this", "ours ÷ this, CPU"]];
  const keys = new Set(results.map((r) => `${r.config}|${r.cell}|${r.mode}`));
  for (const k of keys) {
    const rs = results.filter((r) => `${r.config}|${r.cell}|${r.mode}` === k);
    const best = (tool: string) => Math.max(0, ...rs.filter((r) => r.tool === tool).map((r) => r.tokens_per_s));
    const cpu1 = (tool: string) => rs.find((r) => r.tool === tool && r.threads === 1)?.cpu_tokens_per_s ?? 0;
    const ours = best("recurrent"), ours1 = cpu1("recurrent");
    for (const r of rs) {
      const cfg = CONFIGS.find((c) => c.name === r.config)!;
      const gflops = r.tokens_per_s * flopsPerToken(cfg, r.cell, r.mode) / 1e9;
      let rss = r.peak_rss_mb.toFixed(0);
      if (r.tool === "recurrent" && r.mode === "train") rss += ` (${(r.peak_rss_mb * 2 ** 20 / minTrainBytes(cfg, r.cell)).toFixed(2)}× need)`;
      const mine = r.tool === "recurrent";
      const ratio = mine ? "" : `${(ours / best(r.tool)).toFixed(2)}×`;
      const cpuRatio = mine || r.threads !== 1 || !ours1 ? "" : `${(ours1 / r.cpu_tokens_per_s).toFixed(2)}×`;
      rows.push([r.config, r.cell, r.mode, r.tool + (r.backend ? ` (${r.backend})` : ""), String(r.threads), fmt(r.tokens_per_s),
        `${fmt(r.min)}–${fmt(r.max)}`, gflops.toFixed(1), r.threads === 1 ? fmt(r.cpu_tokens_per_s) : "", rss, ratio, cpuRatio]);
    }
  }
  const w = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const line = (r: string[]) => `| ${r.map((c, j) => c.padEnd(w[j])).join(" | ")} |`;
  console.log(line(rows[0]));
  console.log(`|${w.map((n) => "-".repeat(n + 2)).join("|")}|`);
  for (const r of rows.slice(1)) console.log(line(r));
  console.log([
    "",
    "tokens/s: median wall-clock rate (min–max over the repetitions); GFLOP/s from it by BENCHMARKS.md's count.",
    "tokens/CPU-s: tokens per second of the process's own CPU time, one-thread runs only (leaves out time",
    "  other processes take on a shared machine).",
    "ours ÷ this: our best wall-clock rate (over thread counts) ÷ this tool's best; above 1 we are faster.",
    "ours ÷ this, CPU: our one-thread CPU-time rate ÷ this tool's one-thread CPU-time rate.",
    "peak RSS: each measurement runs in its own process; \"× need\" = RSS ÷ (parameters ×4 for θ, grad, Adam m, v",
    "  + the activations BPTT keeps + input and targets), all float32.",
  ].join("\n"));
}
