// Experiment (issue 5): vanishing and exploding gradients on long-range tasks.
//   1. success rate against T for Elman, Jordan, LSTM and GRU on the adding problem and
//      temporal order, with and without global-norm clipping, several seeds;
//   2. per-step gradient norms ‖∂L/∂h_t‖ at initialisation and after training, per cell;
//   3. Elman nets whose recurrent matrix starts with spectral radius < 1, ≈ 1, > 1;
//   4. the longest T again from the glorot initialisation;
//   5. Hochreiter & Schmidhuber's tasks at their lengths (adding and temporal order 6a/6b at
//      T = 100, variable lengths), LSTM with the initialisation ablation (forget-gate bias 1,
//      orthogonal recurrent blocks, both, neither), and the adding problem at the longest T
//      of section 1 with a larger budget.
// Writes docs/experiments/gradients.md, docs/experiments/gradients/*.svg|png and results.json.
//
//   npm run experiments -- gradients [--steps 800] [--seeds 3] [--lengths 10,20,40]
//     [--workers 2] [--out docs/experiments] [--from results.json] [--quick]
// Runs are spread over --workers child processes (one per core); --from redoes the report only.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { useFastBackend } from "../../src/tensor/fast.ts";
import { writeFileAtomic } from "../../src/node/files.ts";
import { runJob, type Job, type Row, type Settings } from "./gradients/run.ts";
import { writeReport } from "./gradients/report.ts";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const k = process.argv[i].replace(/^--/, "");
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith("--")) args.set(k, "true"); else { args.set(k, v); i++; }
}

// --worker <jobs.json> <out.json>: run the given jobs in this process and write their rows.
if (args.has("worker")) {
  useFastBackend();
  const { jobs, settings } = JSON.parse(readFileSync(args.get("worker")!, "utf8")) as { jobs: Job[]; settings: Settings };
  const rows: Row[] = [];
  for (const j of jobs) {
    rows.push(runJob(j, settings));
    const r = rows[rows.length - 1];
    process.stderr.write(`  ${j.kind} ${j.cell} ${j.task} T=${j.T}${j.radius !== undefined ? ` ρ=${j.radius} ${j.optimizer}` : ""}${j.scheme ? ` init=${j.scheme}` : ""}${j.forgetBias !== undefined ? ` fb=${j.forgetBias}` : ""}${j.orthogonalRecurrent ? " orth" : ""} clip=${j.clip} seed=${j.seed}: acc ${r.accuracy.toFixed(3)} after ${r.updates} updates, ${r.seconds.toFixed(1)} s\n`);
    writeFileSync(args.get("result")!, JSON.stringify(rows));
    (globalThis as { gc?: () => void }).gc?.();
  }
  process.exit(0);
}

const quick = args.has("quick");
const OUT = args.get("out") ?? "docs/experiments";
const settings: Settings = {
  hidden: Number(args.get("hidden") ?? 16), batch: 32, lr: 0.01, sgdLr: 0.1, sgdMomentum: 0.9, clip: 1,
  maxSteps: Number(args.get("steps") ?? (quick ? 60 : 800)), evalEvery: quick ? 20 : 100,
  stopAt: 0.95, success: 0.9, testSize: quick ? 100 : 1000, probeSize: 32,
};
const SEEDS = Number(args.get("seeds") ?? (quick ? 1 : 3));
const LENGTHS = (args.get("lengths") ?? (quick ? "10,20" : "10,20,40")).split(",").map(Number);
const RADIUS_T = Number(args.get("radius-length") ?? (quick ? 10 : 20));
const CELLS = ["elman", "jordan", "lstm", "gru"] as const;
const TASKS = ["adding", "temporal-order"];
// Section 5: the papers' lengths. H&S's nets were smaller (adding: 93 weights) but trained
// with plain SGD on one sequence at a time; ours is a small LSTM with Adam on minibatches.
// The run stops once all valSize validation sequences are correct (H&S stopped once the 2000
// most recent training sequences were) and is tested on 2560 sequences (their test set).
export const LONG_T = 100;
const LONG_SEEDS = Number(args.get("long-seeds") ?? (quick ? 1 : 3));
const LONG: Partial<Settings> = {
  hidden: Number(args.get("long-hidden") ?? 32), batch: 32, lr: Number(args.get("long-lr") ?? 0.01),
  maxSteps: Number(args.get("long-steps") ?? (quick ? 40 : 3000)), evalEvery: quick ? 20 : 100,
  valSize: quick ? 100 : 1000, stopAt: 1, success: 0.99, testSize: quick ? 100 : 2560,
};
// The main setup beside the paper (the ablation's best arm, chosen from a tuning run before
// this one: forget bias 5, PyTorch's recurrent matrix): the ablation's runs continued to a
// larger budget, to count the training sequences each needs. 6b has eight classes and three
// relevant symbols; H&S needed 571,100 sequences for it.
const MAIN_ARM = { forgetBias: 5, orthogonalRecurrent: false };
const LONG_MAIN: Partial<Settings> = { ...LONG, maxSteps: Number(args.get("main-steps") ?? (quick ? 80 : 8000)) };
const LONG_6B: Partial<Settings> = { ...LONG, maxSteps: Number(args.get("main-steps-6b") ?? (quick ? 80 : 12000)) };
// The ablation's arms on top of PyTorch's default: forget-gate bias PyTorch's (≈ 0) or 1
// (Jozefowicz et al. 2015, the glorot scheme's), recurrent matrix PyTorch's or orthogonal,
// the 2×2; and a bias of 5 alone, which keeps σ(b)^T near 1 over the papers' lags
// (σ(5)^55 ≈ 0.7, σ(1)^55 ≈ 3e-8), the closest to the 1997 LSTM's forget-free memory cell.
const ARMS: Array<{ forgetBias?: number; orthogonalRecurrent: boolean }> = [
  { orthogonalRecurrent: false }, { forgetBias: 1, orthogonalRecurrent: false },
  { orthogonalRecurrent: true }, { forgetBias: 1, orthogonalRecurrent: true },
  { forgetBias: 5, orthogonalRecurrent: false },
];
// The larger budget for section 1's longest adding runs: the same runs (same weights, same
// batches), continued to BUDGET_FACTOR times as many updates.
const BUDGET_FACTOR = Number(args.get("budget-factor") ?? (quick ? 2 : 8));

function jobs(): Job[] {
  const out: Job[] = [];
  const maxT = Math.max(...LENGTHS);
  for (const task of TASKS) for (const T of LENGTHS) for (const cell of CELLS) for (let seed = 0; seed < SEEDS; seed++) {
    for (const clip of [false, true]) out.push({ kind: "success", cell, task, T, clip, seed, record: seed === 0 && clip && T === maxT });
  }
  // Elman from a recurrent matrix of spectral radius ρ, with Adam and with SGD + momentum
  // (Pascanu et al.'s optimiser, which clipping was invented for).
  for (const radius of [0.5, 1, 1.5]) for (const optimizer of ["adam", "sgd"] as const) for (let seed = 0; seed < SEEDS; seed++) for (const clip of [false, true]) {
    out.push({ kind: "radius", cell: "elman", task: "temporal-order", T: RADIUS_T, clip, seed, radius, optimizer, record: seed === 0 && optimizer === "adam" });
  }
  // The longest T again from the "glorot" scheme: orthogonal recurrent blocks, LSTM forget-gate bias 1.
  for (const task of TASKS) for (const cell of CELLS) for (let seed = 0; seed < SEEDS; seed++) {
    out.push({ kind: "init", cell, task, T: maxT, clip: true, seed, scheme: "glorot", record: seed === 0 });
  }
  // The LSTM initialisation 2×2 on top of PyTorch's default: at the papers' lengths, and on
  // temporal order at the longest T of section 1 (where section 4's glorot runs differ).
  for (const arm of ARMS) {
    for (const task of ["adding-1997", "temporal-order-6a"]) for (let seed = 0; seed < LONG_SEEDS; seed++) {
      out.push({ kind: "ablation", cell: "lstm", task, T: LONG_T, clip: true, seed, ...arm, budget: LONG, record: seed === 0 });
    }
    for (let seed = 0; seed < SEEDS; seed++) {
      out.push({ kind: "ablation", cell: "lstm", task: "temporal-order", T: maxT, clip: true, seed, ...arm, record: seed === 0 });
    }
  }
  // Beside the ablation: the main setup with a larger budget (6b only there), and Elman from
  // the glorot scheme (orthogonal U).
  for (let seed = 0; seed < LONG_SEEDS; seed++) for (const task of ["adding-1997", "temporal-order-6a"]) {
    out.push({ kind: "long", cell: "lstm", task, T: LONG_T, clip: true, seed, ...MAIN_ARM, budget: LONG_MAIN, record: false });
  }
  for (let seed = 0; seed < Math.min(LONG_SEEDS, 2); seed++) {
    out.push({ kind: "long", cell: "lstm", task: "temporal-order-6b", T: LONG_T, clip: true, seed, ...MAIN_ARM, budget: LONG_6B, record: false });
  }
  for (let seed = 0; seed < Math.min(LONG_SEEDS, 2); seed++) for (const task of ["adding-1997", "temporal-order-6a"]) {
    out.push({ kind: "long", cell: "elman", task, T: LONG_T, clip: true, seed, scheme: "glorot", budget: LONG, record: seed === 0 });
  }
  // Section 1's adding runs at the longest T, continued with a larger budget (clipped runs).
  for (const [cell, scheme] of [["lstm", "pytorch"], ["gru", "pytorch"], ["lstm", "glorot"]] as const) for (let seed = 0; seed < SEEDS; seed++) {
    out.push({ kind: "budget", cell, task: "adding", T: maxT, clip: true, seed, ...(scheme === "glorot" ? { scheme } : {}), budget: { maxSteps: BUDGET_FACTOR * settings.maxSteps }, record: false });
  }
  return out;
}

/** Relative cost, for spreading the runs evenly over the workers (longest first). */
function cost(j: Job): number {
  const steps = j.budget?.maxSteps ?? settings.maxSteps, h = j.budget?.hidden ?? settings.hidden;
  return j.T * steps * (h / 16) * { elman: 1, jordan: 1.2, gru: 3, lstm: 4 }[j.cell];
}

async function runAll(all: Job[], workers: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "gradients-exp-"));
  const shares: Job[][] = Array.from({ length: workers }, () => []);
  const load = new Array(workers).fill(0);
  for (const j of [...all].sort((a, b) => cost(b) - cost(a))) {
    const w = load.indexOf(Math.min(...load));
    shares[w].push(j); load[w] += cost(j);
  }
  // Each lane runs its share in a series of fresh processes, about PROCESS_COST of work each
  // (a long run alone): the fast backend's wasm heap returns blocks only when V8 collects
  // their arrays, which it may not do for a long time, so a long-lived worker's heap grew to
  // gigabytes and slowed to a crawl. The worker also collects garbage after every job.
  const PROCESS_COST = 1e6;
  const self = fileURLToPath(import.meta.url);
  const runBatch = (jobs: Job[], name: string) => new Promise<Row[]>((resolve, reject) => {
    const jobFile = join(dir, `jobs-${name}.json`), resFile = join(dir, `rows-${name}.json`);
    writeFileSync(jobFile, JSON.stringify({ jobs, settings }));
    writeFileSync(resFile, "[]");
    const p = spawn(process.execPath, ["--expose-gc", "--import", "tsx", self, "--worker", jobFile, "--result", resFile], { stdio: ["ignore", "inherit", "inherit"] });
    p.on("exit", (code) => code === 0 ? resolve(JSON.parse(readFileSync(resFile, "utf8"))) : reject(new Error(`worker ${name} exited with ${code}`)));
  });
  const parts = await Promise.all(shares.map(async (share, w) => {
    const rows: Row[] = [];
    for (let i = 0, k = 0; i < share.length; k++) {
      let n = 1, c = cost(share[i]);
      while (i + n < share.length && c + cost(share[i + n]) <= PROCESS_COST) c += cost(share[i + n++]);
      rows.push(...await runBatch(share.slice(i, i + n), `${w}-${k}`));
      i += n;
    }
    return rows;
  }));
  rmSync(dir, { recursive: true, force: true });
  return parts.flat();
}

const figDir = join(OUT, "gradients");
mkdirSync(figDir, { recursive: true });
const resultsPath = join(figDir, "results.json");
let results: { settings: Settings; seeds: number; lengths: number[]; radiusLength: number; wallSeconds: number; workers: number; rows: Row[]; command: string };
if (args.has("from")) {
  results = JSON.parse(readFileSync(args.get("from")!, "utf8"));
} else {
  const workers = Number(args.get("workers") ?? Math.min(2, cpus().length));
  const all = jobs();
  process.stderr.write(`gradients experiment: ${all.length} runs on ${workers} workers\n`);
  const t0 = performance.now();
  const rows = await runAll(all, workers);
  const command = `npm run experiments -- gradients ${process.argv.slice(2).join(" ")}`.trim();
  results = { settings, seeds: SEEDS, lengths: LENGTHS, radiusLength: RADIUS_T, wallSeconds: (performance.now() - t0) / 1000, workers, rows, command };
  // One row per line: compact, and a rerun's diff shows which runs changed.
  const { rows: ordered, ...head } = results;
  writeFileAtomic(resultsPath, `${JSON.stringify(head).slice(0, -1)},"rows":[\n${ordered.map((r) => JSON.stringify(r)).join(",\n")}\n]}\n`);
}
await writeReport(results, OUT);
process.stderr.write(`wrote ${join(OUT, "gradients.md")} and ${figDir}/\n`);
