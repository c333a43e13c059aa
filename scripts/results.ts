// `npm run results`: trains and scores the models of docs/results.md on the real data sets in
// ../shared/data, through the `recurrent` command line itself (each run is a child process,
// so the commands in the report are exactly what ran), two runs at a time (the machine has 2
// cores; every run uses one GEMM thread). Budgets are wall-clock --time-limit values, equal
// for the four cells of the character model. Then it keeps each run's small raw outputs under
// docs/results/<run>/ (rows: the command's --json line and options, metrics.jsonl trimmed to the
// loss plot's columns, the eval/generate --json outputs) and writes docs/results.md and the
// loss plots from those rows alone (scripts/results/report.ts).
//
//   node --import tsx scripts/results.ts [--scale 0.05]   (--scale shrinks every budget, for a smoke test)
//   node --import tsx scripts/results.ts --report-only [--stdout]  (the page and plots again from the committed rows)
//   node --import tsx scripts/results.ts --collect-only    (the rows again from runs/results, the last run's outputs)
//   node --import tsx scripts/results.ts --only ptb        (re-runs some jobs, then rows and page)
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { availableParallelism, cpus, loadavg } from "node:os";
import { writeRows, readRows } from "./rows.ts";
import { DOCS, lossChart, report, type JobRow } from "./results/report.ts";
import { writeFileAtomic } from "../src/node/files.ts";
import { prepareText } from "../src/data/prepare-text.ts";

const scaleArg = process.argv.indexOf("--scale");
const SCALE = scaleArg > 0 ? Number(process.argv[scaleArg + 1]) : 1;
const D = "../shared/data";
const RUNS = "runs/results";
const secs = (s: number) => String(Math.max(2, Math.round(s * SCALE)));

// Budgets in seconds of training per run (the time limit; evaluation after it is extra).
const CHAR_BUDGET = 150, PTB_BUDGET = 600;

interface Job { name: string; args: string[]; after?: Job[]; json?: Record<string, any>; stderr?: string; code?: number; seconds?: number }

const shakespeare = `${D}/text/tinyshakespeare.txt`;
const cells = ["elman", "jordan", "lstm", "gru"];
const charJobs: Job[] = cells.map((cell) => ({
  name: `charlm-${cell}`,
  args: ["train", "--task", "charlm", "--text", shakespeare, "--cell", cell, "--hidden", "128", "--seq", "64", "--batch", "32",
    "--lr", "0.002", "--clip", "5", "--epochs", "0", "--time-limit", secs(CHAR_BUDGET), "--eval-every", "100", "--patience", "0",
    "--seed", "1", "--threads", "1", "--out", `${RUNS}/charlm-${cell}`, "--json"],
}));
const ptb: Job = {
  name: "ptb",
  args: ["train", "--task", "wordlm", "--text", `${D}/ptb/ptb.train.txt`, "--valid-text", `${D}/ptb/ptb.valid.txt`, "--test-text", `${D}/ptb/ptb.test.txt`,
    "--cell", "lstm", "--hidden", "200", "--layers", "2", "--embedding", "200", "--seq", "35", "--batch", "20", "--lr", "0.002", "--clip", "5",
    "--epochs", "0", "--time-limit", secs(PTB_BUDGET), "--seed", "1", "--threads", "1", "--out", `${RUNS}/ptb`, "--json"],
};
const series = [
  { name: "airline", csv: `${D}/timeseries/airline_passengers.csv`, budget: 30, extra: [] as string[], start: "1959-04" },
  { name: "sunspots", csv: `${D}/timeseries/sunspots_monthly.csv`, budget: 60, extra: ["--season", "132"], start: "2003-01" },
  { name: "melbourne", csv: `${D}/timeseries/daily_min_temperatures_melbourne.csv`, budget: 60, extra: ["--season", "365", "--horizon", "7", "--window", "30"], start: "1990-06-01" },
  { name: "etth1", csv: `${D}/timeseries/ETTh1.csv`, budget: 120, start: "2017-11-01 00:00:00",
    extra: ["--target", "OT", "--features", "HUFL,HULL,MUFL,MULL,LUFL,LULL", "--train-size", "8640", "--val", "2880", "--test", "2880"] },
];
const forecastJobs: Job[] = series.map((s) => ({
  name: `forecast-${s.name}`,
  args: ["train", "--task", "forecast", "--csv", s.csv, ...s.extra, "--cell", "lstm", "--hidden", "32", "--batch", "32", "--lr", "0.003",
    "--epochs", "300", "--patience", "20", "--time-limit", secs(s.budget), "--seed", "1", "--threads", "1", "--out", `${RUNS}/${s.name}`, "--json"],
}));
const classify: Job = {
  name: "classify-indoor",
  args: ["train", "--task", "classify", "--sequences", `${D}/sequence_classification/indoor_movement_sequences.csv`,
    "--labels", `${D}/sequence_classification/indoor_movement_labels.csv`, "--val", "0.2", "--test", "0.2", "--cell", "lstm", "--hidden", "32",
    "--batch", "16", "--lr", "0.003", "--epochs", "150", "--patience", "30", "--time-limit", secs(60), "--seed", "1", "--threads", "1",
    "--out", `${RUNS}/indoor`, "--json"],
};

// Follow-up commands (scoring, samples, forecast plots) run after their training job.
const evals: Job[] = [
  ...cells.map((cell) => ({ name: `sample-${cell}`, args: ["generate", "--model", `${RUNS}/charlm-${cell}`, "--prompt", "ROMEO:", "--length", "300", "--temperature", "0.8", "--seed", "1", "--json"] })),
  { name: "ptb-test", args: ["eval", "--model", `${RUNS}/ptb`, "--text", `${D}/ptb/ptb.test.txt`, "--json"] },
  ...series.map((s) => ({ name: `eval-${s.name}`, args: ["eval", "--model", `${RUNS}/${s.name}`, "--csv", s.csv, "--json"] })),
  ...series.map((s) => ({ name: `plot-${s.name}`, args: ["forecast", "--model", `${RUNS}/${s.name}`, "--csv", s.csv, "--start", s.start, "--out", `${DOCS}/${s.name}-forecast.csv`, "--json"] })),
  { name: "eval-indoor", args: ["eval", "--model", `${RUNS}/indoor`, "--sequences", `${D}/sequence_classification/indoor_movement_sequences.csv`, "--labels", `${D}/sequence_classification/indoor_movement_labels.csv`, "--json"] },
];
const allJobs = [...charJobs, ptb, ...forecastJobs, classify, ...evals];
const byName = (n: string) => allJobs.find((j) => j.name === n)!;
const follow: Record<string, string[]> = {
  ...Object.fromEntries(cells.map((c) => [`charlm-${c}`, [`sample-${c}`]])),
  ptb: ["ptb-test"],
  ...Object.fromEntries(series.map((s) => [`forecast-${s.name}`, [`eval-${s.name}`, `plot-${s.name}`]])),
  "classify-indoor": ["eval-indoor"],
};

function run(job: Job): Promise<void> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, ["bin/recurrent.mjs", ...job.args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (d) => { out += d; });
    p.stderr.on("data", (d) => { err += d; });
    p.on("close", (code) => {
      job.code = code ?? -1; job.stderr = err; job.seconds = (performance.now() - t0) / 1000;
      writeFileSync(join(RUNS, "logs", `${job.name}.log`), `$ recurrent ${job.args.join(" ")}\n# seconds ${job.seconds.toFixed(3)}\n${err}\n${out}`);
      try { job.json = JSON.parse(out.trim().split("\n").pop() ?? ""); } catch { job.json = undefined; }
      process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${job.name}: exit ${job.code} in ${job.seconds.toFixed(0)} s\n`);
      resolve();
    });
  });
}

/** Where each job's rows go: a training job's own directory, its follow-ups beside it. */
function place(j: Job): { run: string; kind: string } {
  for (const [run, fs] of Object.entries(follow)) if (fs.includes(j.name)) {
    const kind = j.name.startsWith("sample-") ? "sample" : j.name.startsWith("plot-") ? "forecast" : j.name === "ptb-test" ? "eval-test" : "eval";
    return { run, kind };
  }
  return { run: j.name, kind: "train" };
}

/** Facts about the data sets the page states (sizes, splits, the unigram entropy), measured from the files. */
function dataFacts(): Record<string, unknown> {
  const text = readFileSync(shakespeare, "utf8"), counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) { const q = n / text.length; h -= q * Math.log(q); }
  const chars = prepareText(text, { level: "char" });
  const ptbText = (f: string) => readFileSync(`${D}/ptb/${f}`, "utf8");
  const words = prepareText(ptbText("ptb.train.txt"), { level: "word", valText: ptbText("ptb.valid.txt"), testText: ptbText("ptb.test.txt"), maxVocab: 10000 });
  const seqs = readFileSync(`${D}/sequence_classification/indoor_movement_sequences.csv`, "utf8").trim().split("\n");
  const steps = new Map<string, number>();
  for (const l of seqs.slice(1)) { const id = l.split(",")[0]; steps.set(id, (steps.get(id) ?? 0) + 1); }
  return {
    shakespeare: { chars: text.length, train: chars.train.length, val: chars.val.length, vocab: chars.vocab.size, unigramNats: h },
    ptb: { trainTokens: words.train.length, vocab: words.vocab.size },
    indoor: { sequences: steps.size, features: seqs[0].split(",").length - 2, minSteps: Math.min(...steps.values()), maxSteps: Math.max(...steps.values()) },
  };
}

/** The rows under docs/results/ from the jobs (in memory after a run, or read back from the logs). */
function collect(meta: { date: Date; total: number; loadAtStart: number | null; loadAtEnd: number | null }): void {
  // Only this script's run directories: others (docs/results/ptb-small/) belong to other scripts.
  for (const d of new Set(allJobs.map((j) => place(j).run))) rmSync(join(DOCS, d), { recursive: true, force: true });
  for (const j of allJobs) {
    const { run, kind } = place(j), dir = join(DOCS, run);
    mkdirSync(dir, { recursive: true });
    // A forecast's values stay in runs/ (ETTh1's licence: no copies of its data); its command and status are kept.
    const row: JobRow = { job: j.name, args: j.args, code: j.code ?? -1, seconds: j.seconds ?? (null as unknown as number),
      ...(j.code === 0 ? {} : { stderr: (j.stderr ?? "").trim().split("\n").pop() }), ...(kind === "forecast" ? {} : { result: j.json }) };
    if (kind === "train") {
      const out = j.args[j.args.indexOf("--out") + 1];
      const config = existsSync(join(out, "config.json")) ? JSON.parse(readFileSync(join(out, "config.json"), "utf8")) : {};
      const { text: _t, validText: _v, testText: _x, csv: _c, sequences: _s, labels: _l, ...options } = config.training?.options ?? {};
      row.options = options;
      const tc = config.task?.config;
      if (tc && typeof tc.val === "number") row.split = { val: tc.val, test: tc.test };
      if (existsSync(join(out, "metrics.jsonl"))) {
        const keep = ["step", "epoch", "seconds", "train_loss", "val_loss"];
        writeRows(join(dir, "metrics.jsonl"), readRows(join(out, "metrics.jsonl")).map((r) => Object.fromEntries(keep.filter((k) => k in r).map((k) => [k, r[k]]))));
      }
    }
    writeRows(join(dir, `${kind}.json`), [row]);
  }
  writeRows(join(DOCS, "run.json"), [{ kind: "run", command: "npm run results", date: meta.date.toISOString(), totalSeconds: meta.total, lanes: 2,
    cpus: availableParallelism(), cpu: cpus()[0]?.model ?? "unknown CPU", scale: SCALE, runs: [...new Set(allJobs.map((j) => place(j).run))], loadAtStart: meta.loadAtStart, loadAtEnd: meta.loadAtEnd, data: dataFacts() }]);
}

/** The page and the loss plots, from the committed rows alone. */
async function writeReport(): Promise<void> {
  if (process.argv.includes("--stdout")) { process.stdout.write(report()); return; }
  writeFileAtomic("docs/results.md", report());
  const { renderSvg } = await import("../src/plot/chart.ts");
  const { lossCurveSpec } = await import("../src/plot/loss.ts");
  // This script's runs, and scripts/ptb-zaremba.ts's when their rows are there.
  for (const d of [...new Set(allJobs.map((j) => place(j).run)), "ptb-small", "ptb-medium"]) {
    const c = lossChart(d);
    if (c) writeFileAtomic(join(DOCS, `${d}-loss.svg`), await renderSvg(lossCurveSpec(c.records as never, { title: c.title, yTitle: c.yTitle })));
  }
}

/** The jobs' outputs read back from the logs of the last run (each log ends with the command's JSON line). */
function fromLogs(): { date: Date; total: number } {
  for (const j of allJobs) {
    const path = join(RUNS, "logs", `${j.name}.log`);
    const text = existsSync(path) ? readFileSync(path, "utf8") : "";
    const last = text.trim().split("\n").pop() ?? "";
    const secs = /^# seconds (\S+)$/m.exec(text);
    j.seconds = secs ? Number(secs[1]) : undefined;
    try { j.json = JSON.parse(last); j.code = 0; } catch { j.code = -1; j.stderr = last; }
  }
  const total = join(RUNS, "logs", "total.txt");
  return { total: Number(readFileSync(total, "utf8")), date: new Date(statSync(total).mtimeMs) };
}

async function main(): Promise<void> {
  if (process.argv.includes("--report-only")) { await writeReport(); return; }
  if (process.argv.includes("--collect-only")) { collect({ ...fromLogs(), loadAtStart: null, loadAtEnd: null }); await writeReport(); return; }
  const only = process.argv.indexOf("--only");
  if (only > 0) {
    // Re-run some jobs (and their follow-ups), then the rows of all jobs from the logs, and the page.
    const run0 = readRows(join(DOCS, "run.json"))[0];
    for (const name of process.argv[only + 1].split(",")) {
      const job = byName(name);
      if (!job) throw new Error(`--only: no job ${JSON.stringify(name)}`);
      const out = job.args.indexOf("--out");
      if (out > 0) rmSync(job.args[out + 1], { recursive: true, force: true });   // train afresh
      await run(job);
      for (const f of follow[name] ?? []) await run(byName(f));
    }
    collect({ ...fromLogs(), loadAtStart: run0?.loadAtStart ?? null, loadAtEnd: run0?.loadAtEnd ?? null });
    await writeReport();
    return;
  }
  rmSync(RUNS, { recursive: true, force: true });
  mkdirSync(DOCS, { recursive: true });
  mkdirSync(join(RUNS, "logs"), { recursive: true });
  const t0 = performance.now(), started = new Date(), load0 = loadavg()[0];
  // Longest first, two lanes; each job's follow-ups go to the front of the queue when it ends.
  const queue: Job[] = [ptb, ...charJobs, ...forecastJobs, classify];
  const lane = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      await run(job);
      queue.unshift(...(follow[job.name] ?? []).map(byName));
    }
  };
  await Promise.all([lane(), lane()]);
  const total = (performance.now() - t0) / 1000;
  // The forecast CSVs stay out of docs/ (ETTh1's licence: no copies of its values); the plots stay.
  for (const s of series) for (const ext of ["png", "csv"]) rmSync(`${DOCS}/${s.name}-forecast.${ext}`, { force: true });
  writeFileSync(join(RUNS, "logs", "total.txt"), String(Math.round(total)));
  collect({ date: started, total, loadAtStart: load0, loadAtEnd: loadavg()[0] });
  await writeReport();
  process.stderr.write(`wrote docs/results.md in ${(total / 60).toFixed(1)} min\n`);
}

await main();
