// Experiment (issue 5): vanishing and exploding gradients on long-range tasks.
//   1. success rate against T for Elman, Jordan, LSTM and GRU on the adding problem and
//      temporal order, with and without global-norm clipping, several seeds;
//   2. per-step gradient norms ‖∂L/∂h_t‖ at initialisation and after training, per cell;
//   3. Elman nets whose recurrent matrix starts with spectral radius < 1, ≈ 1, > 1.
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
    process.stderr.write(`  ${j.kind} ${j.cell} ${j.task} T=${j.T}${j.radius !== undefined ? ` ρ=${j.radius} ${j.optimizer}` : ""}${j.scheme ? ` init=${j.scheme}` : ""} clip=${j.clip} seed=${j.seed}: acc ${r.accuracy.toFixed(3)} after ${r.updates} updates, ${r.seconds.toFixed(1)} s\n`);
    writeFileSync(args.get("result")!, JSON.stringify(rows));
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
  return out;
}

/** Relative cost, for spreading the runs evenly over the workers (longest first). */
function cost(j: Job): number { return j.T * { elman: 1, jordan: 1.2, gru: 3, lstm: 4 }[j.cell]; }

async function runAll(all: Job[], workers: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "gradients-exp-"));
  const shares: Job[][] = Array.from({ length: workers }, () => []);
  const load = new Array(workers).fill(0);
  for (const j of [...all].sort((a, b) => cost(b) - cost(a))) {
    const w = load.indexOf(Math.min(...load));
    shares[w].push(j); load[w] += cost(j);
  }
  const self = fileURLToPath(import.meta.url);
  const parts = await Promise.all(shares.map((share, w) => new Promise<Row[]>((resolve, reject) => {
    const jobFile = join(dir, `jobs-${w}.json`), resFile = join(dir, `rows-${w}.json`);
    writeFileSync(jobFile, JSON.stringify({ jobs: share, settings }));
    writeFileSync(resFile, "[]");
    const p = spawn(process.execPath, ["--import", "tsx", self, "--worker", jobFile, "--result", resFile], { stdio: ["ignore", "inherit", "inherit"] });
    p.on("exit", (code) => code === 0 ? resolve(JSON.parse(readFileSync(resFile, "utf8"))) : reject(new Error(`worker ${w} exited with ${code}`)));
  })));
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
  writeFileAtomic(resultsPath, JSON.stringify(results, null, 1));
}
await writeReport(results, OUT);
process.stderr.write(`wrote ${join(OUT, "gradients.md")} and ${figDir}/\n`);
