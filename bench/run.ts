// `npm run bench`: configurations C1–C3 of BENCHMARKS.md for elman, lstm and gru (C3 lstm
// only), training (forward + full BPTT + Adam) and inference, for this toolkit and, in the
// same run, PyTorch (when python3 can import torch) with both of its OpenBLAS kernel sets
// (torch-variants.ts), onnxruntime-node (inference), tfjs with the wasm backend and brain.js.
// Each measurement runs in its own child process (warm-up, then repetitions) and is appended
// as one JSON line to docs/performance/ (rows.ts); the tables (report-tables.ts) give median
// tokens/s, GFLOP/s by BENCHMARKS.md's count, peak RSS, and our speed as a ratio of each
// other tool's best. `--quality` runs the time-to-quality benchmark instead (quality.ts), and
// `--generate` batch-1 streaming generation, ms per token (generate.ts).
//
//   npm run bench -- --config C1 --cell lstm --mode train --compare pytorch,tfjs
//   npm run bench -- --json --compare none --threads 1
//   npm run bench -- --quality --budgets 60,90
//   npm run bench -- --generate
//
// Not a test: nothing here asserts a speed.
import { Command } from "commander";
import { availableParallelism } from "node:os";
import { CONFIGS, flopsPerToken, minTrainBytes, type Cell, type Mode } from "./configs.ts";
import { findTorchPython, measureChild, runChild, type Backend, type ChildArgs, type Result, type Tool } from "./tools.ts";
import { parseVariants, TORCH_VARIANTS, VARIANT_NOTE } from "./torch-variants.ts";
import { defaultRowsFile, RowWriter, runMeta } from "./rows.ts";
import { fmtRate, fullTable, FULL_TABLE_NOTES, pytorchVariantsTable, summaryTable, type SpeedRow } from "./report-tables.ts";

const program = new Command("bench")
  .option("--config <list>", "configurations, comma-separated", "C1,C2,C3")
  .option("--cell <list>", "cells, comma-separated", "elman,lstm,gru")
  .option("--mode <list>", "train, infer or both", "train,infer")
  .option("--threads <list>", "thread counts for this toolkit (and PyTorch)", `1,${availableParallelism()}`)
  .option("--compare <list>", "none, or some of pytorch,onnxruntime,tfjs,brain", "pytorch,onnxruntime,tfjs,brain")
  .option("--torch-variants <list>", `PyTorch's OpenBLAS kernel sets: ${TORCH_VARIANTS.join(",")} (avx2: ${VARIANT_NOTE.avx2}; avx512: ${VARIANT_NOTE.avx512})`, TORCH_VARIANTS.join(","))
  .option("--backend <name>", "fast (wasm SIMD GEMM and gate kernels), fast-js-gates (wasm GEMM, JavaScript gate loops) or reference (plain TypeScript)", "fast")
  .option("--reps <n>", "timed repetitions (at least)", "3")
  .option("--min-seconds <s>", "keep repeating until this much time has passed", "1")
  .option("--warmup-seconds <s>", "untimed steps first, for at least this long (JIT and wasm tier-up)", "0.5")
  .option("--runs <n>", "processes per measurement, keeping the fastest (every tool alike)", "1")
  .option("--thread-split <how>", "ours with threads: auto (time loops by batch rows where they fit) or columns (each step's GEMMs only)", "auto")
  .option("--json", "one JSON object per line instead of the table")
  .option("--rows <file>", "append one JSON line per measurement here (none: nowhere; under node --test the default is none)", "docs/performance/{smoke-}bench-<start time>.jsonl")
  .option("--smoke", "a short check of the tooling: rows are marked smoke and their file named smoke-…")
  .option("--quality", "time-to-quality instead: our CLI's character LSTM against the same in PyTorch, for fixed training budgets")
  .option("--budgets <list>", "--quality: training seconds, comma-separated", "60,90")
  .option("--text <file>", "--quality: the text", "../shared/data/text/tinyshakespeare.txt")
  .option("--ours-threads <list>", "--quality: our CLI's --threads per run of ours (0: its default, one per core, the figure compared; 1: the ablation that asks whether that default is the best)", "0,1")
  .option("--text-bytes <n>", "--quality: use the text's first n bytes, cut at a whole line (0: all of it)", "600000")
  .option("--generate", "batch-1 streaming generation instead: ms per token of the C1 model, ours (streamTokens) against the same loop in PyTorch; and where C3 training's memory goes")
  .option("--tokens <n>", "--generate: tokens a repetition (after a one-token prompt)", "128")
  .option("--torch-threads <list>", "--generate: PyTorch's thread counts", "1")
  .option("--memory-config <name>", "--generate: the memory probe's configuration (none: skip it)", "C3")
  .option("--memory-steps <n>", "--generate: training steps of the memory probe (the speed run's warm-up and 3 reps)", "4")
  .option("--child <tool>", "internal: measure one tool in this process");
program.parse();
const o = program.opts();
const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);

if (o.child === "generate" || o.child === "memory") {
  const g = await import("./generate.ts");
  console.log(JSON.stringify(o.child === "generate"
    ? await g.measureGenerate({ cell: o.cell as Cell, threads: Number(o.threads), tokens: Number(o.tokens), reps: Number(o.reps), minSeconds: Number(o.minSeconds), warmupSeconds: Number(o.warmupSeconds) })
    : await g.measureMemory({ config: o.config, cell: o.cell as Cell, threads: Number(o.threads), steps: Number(o.memorySteps) })));
  process.exit(0);
}
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
let variants;
try { variants = parseVariants(list(o.torchVariants)); } catch (e) { console.error((e as Error).message); process.exit(1); }
const meta = runMeta(Boolean(o.smoke));
// A bench started by a test (node --test sets NODE_TEST_CONTEXT, and its children inherit it)
// writes no rows unless told where: the suite must not add files to docs/.
const rowsDefault = o.rows.includes("<start time>");
const rowsFile = o.rows === "none" || (rowsDefault && process.env.NODE_TEST_CONTEXT) ? null
  : rowsDefault ? defaultRowsFile(o.quality ? "quality" : o.generate ? "generate" : "bench", meta) : o.rows;
const rows = new RowWriter(rowsFile, meta);

if (o.quality) {
  const { runQuality } = await import("./quality.ts");
  try {
    await runQuality({ budgets: list(o.budgets).map(Number), text: o.text, textBytes: Number(o.textBytes), threads, variants: variants!, oursThreads: list(o.oursThreads).map(Number),
      python: findTorchPython(), rows, json: Boolean(o.json) });
  } catch (e) { console.error((e as Error).message); process.exit(1); }
  if (rowsFile) console.error(`rows: ${rowsFile} (docs/performance.md: node --import tsx scripts/performance-report.ts)`);
  process.exit(0);
}

if (o.generate) {
  const { runGenerate } = await import("./generate.ts");
  const cellList = list(o.cell) as Cell[];
  for (const c of cellList) if (!["elman", "lstm", "gru"].includes(c)) { console.error(`bench --generate: unknown --cell ${c} (elman, lstm, gru)`); process.exit(1); }
  const memCfg = CONFIGS.find((x) => x.name === o.memoryConfig);
  if (o.memoryConfig !== "none" && !memCfg) { console.error(`bench --generate: unknown --memory-config ${o.memoryConfig} (C1, C2, C3, none)`); process.exit(1); }
  await runGenerate({ cells: cellList, threads, torchThreads: list(o.torchThreads).map(Number), variants: variants!, tokens: Number(o.tokens),
    reps: Number(o.reps), minSeconds: Number(o.minSeconds), warmupSeconds: Number(o.warmupSeconds), runs: Math.max(1, Math.floor(Number(o.runs))),
    memory: { config: o.memoryConfig, cell: memCfg?.cells.includes("lstm") ? "lstm" : "elman", threads: memCfg ? threads : [], steps: Number(o.memorySteps) },
    python: compare.includes("pytorch") ? findTorchPython() : null, rows, json: Boolean(o.json) });
  if (rowsFile) console.error(`rows: ${rowsFile} (docs/performance.md: node --import tsx scripts/performance-report.ts)`);
  process.exit(0);
}

for (const c of configs) if (!CONFIGS.some((x) => x.name === c)) { console.error(`bench: unknown config ${c} (C1, C2, C3)`); process.exit(1); }
for (const t of compare) if (!["pytorch", "onnxruntime", "tfjs", "brain"].includes(t)) { console.error(`bench: unknown --compare ${t} (none, pytorch, onnxruntime, tfjs, brain)`); process.exit(1); }
const python = compare.includes("pytorch") ? findTorchPython() : null;
const notes: string[] = [];
if (compare.includes("pytorch") && !python) notes.push("PyTorch skipped: no python3 here can `import torch` (apt-get install -y python3-torch libopenblas0-pthread).");

const results: Result[] = [];
if (!["fast", "fast-js-gates", "reference"].includes(o.backend)) { console.error(`bench: unknown --backend ${o.backend} (fast, fast-js-gates, reference)`); process.exit(1); }
if (!["auto", "columns"].includes(o.threadSplit)) { console.error(`bench: unknown --thread-split ${o.threadSplit} (auto, columns)`); process.exit(1); }
const base = { reps: Number(o.reps), minSeconds: Number(o.minSeconds), warmupSeconds: Number(o.warmupSeconds), backend: o.backend as Backend,
  threadSplit: o.threadSplit as "auto" | "columns" };
const runs = Math.max(1, Math.floor(Number(o.runs)));
function record(a: ChildArgs): void {
  // A process's speed on this kind of shared VM can differ from the next one's by 1.5× for the
  // same code; with --runs N each measurement is the fastest of N processes, for every tool.
  // A failed process is tried once more (brain.js's random init now and then trains to NaN).
  let r: Result | { error: string } | null = null;
  for (let done = 0, failed = 0; done < runs;) {
    const again = runChild(a, python);
    if ("error" in again) { if (!r || "error" in r) r = again; if (++failed > 1) break; continue; }
    done++;
    if (!r || "error" in r || again.tokens_per_s > r.tokens_per_s) r = again;
  }
  if (!r || "error" in r) { const e = r?.error ?? "no result"; notes.push(e); if (!o.json) console.error(`  ! ${e}`); return; }
  results.push(r);
  if (r.tool === "pytorch" && r.blas && !r.blas.startsWith("openblas") && !notes.some((n) => n.startsWith("PyTorch ran on")))
    notes.push(`PyTorch ran on ${r.blas}, not OpenBLAS: not PyTorch at its best (apt-get install -y libopenblas0-pthread)`);
  const row = rows.write({ kind: "speed", ...r });
  if (o.json) console.log(JSON.stringify(row));
  else console.error(`  ${(r.tool + (r.variant ? ` ${r.variant}` : "")).padEnd(18)} ${r.config} ${r.cell.padEnd(5)} ${r.mode.padEnd(5)} ×${r.threads}  ${fmtRate(r.tokens_per_s)} tokens/s${r.blas ? `  (${r.blas})` : ""}`);
}

for (const cfg of CONFIGS.filter((c) => configs.includes(c.name))) {
  for (const cell of cfg.cells.filter((c) => cells.includes(c))) {
    for (const mode of modes) {
      const at = { config: cfg.name, cell, mode, ...base };
      for (const t of threads) record({ tool: "recurrent", threads: t, ...at });
      if (python) for (const variant of variants!) for (const t of threads) record({ tool: "pytorch", variant, threads: t, ...at });
      if (compare.includes("onnxruntime") && mode === "infer") for (const t of threads) record({ tool: "onnxruntime", threads: t, ...at });
      // tfjs-wasm and brain.js take minutes per C3 step; BENCHMARKS.md has no figures for them.
      if (cfg.name !== "C3") {
        if (compare.includes("tfjs")) record({ tool: "tfjs", threads: 1, ...at });
        if (compare.includes("brain")) record({ tool: "brain", threads: 1, ...at });
      }
    }
  }
}

rows.end();
if (!o.json) printTables();
// In --json mode stdout holds only the JSON lines; notes go to stderr.
for (const n of notes) (o.json ? console.error : console.log)(`note: ${n}`);
if (rowsFile) (o.json ? console.error : console.log)(`rows: ${rowsFile} (docs/performance.md: node --import tsx scripts/performance-report.ts)`);

function printTables(): void {
  const speed = results.map((r) => ({ kind: "speed", ...r }) as SpeedRow);
  console.log(summaryTable(speed));
  if (speed.some((r) => r.tool === "pytorch")) console.log(`\nPyTorch by kernel set and threads:\n\n${pytorchVariantsTable(speed)}`);
  console.log(`\nEvery measurement:\n\n${fullTable(speed)}\n\n${FULL_TABLE_NOTES}`);
}
