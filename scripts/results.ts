// `npm run results`: trains and scores the models of docs/results.md on the real data sets in
// ../shared/data, through the `recurrent` command line itself (each run is a child process,
// so the commands in the report are exactly what ran), two runs at a time (the machine has 2
// cores; every run uses one GEMM thread). Budgets are wall-clock --time-limit values, equal
// for the four cells of the character model. Writes docs/results.md and docs/results/*.svg.
//
//   node --import tsx scripts/results.ts [--scale 0.05]   (--scale shrinks every budget, for a smoke test)
//   node --import tsx scripts/results.ts --report-only     (rewrites the page from runs/results/logs)
//   node --import tsx scripts/results.ts --only ptb        (re-runs some jobs, then rewrites the page)
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { availableParallelism, cpus } from "node:os";

const scaleArg = process.argv.indexOf("--scale");
const SCALE = scaleArg > 0 ? Number(process.argv[scaleArg + 1]) : 1;
const D = "../shared/data";
const RUNS = "runs/results";
const DOCS = "docs/results";
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
const byName = (n: string) => [...charJobs, ptb, ...forecastJobs, classify, ...evals].find((j) => j.name === n)!;
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
      writeFileSync(join(RUNS, "logs", `${job.name}.log`), `$ recurrent ${job.args.join(" ")}\n${err}\n${out}`);
      try { job.json = JSON.parse(out.trim().split("\n").pop() ?? ""); } catch { job.json = undefined; }
      process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${job.name}: exit ${job.code} in ${job.seconds.toFixed(0)} s\n`);
      resolve();
    });
  });
}

/** The page again from the logs of the last run (each log ends with the command's JSON line). */
function reportOnly(): void {
  for (const j of [...charJobs, ptb, ...forecastJobs, classify, ...evals]) {
    const path = join(RUNS, "logs", `${j.name}.log`);
    const last = existsSync(path) ? readFileSync(path, "utf8").trim().split("\n").pop() ?? "" : "";
    try { j.json = JSON.parse(last); j.code = 0; } catch { j.code = -1; j.stderr = last; }
  }
  const total = Number(readFileSync(join(RUNS, "logs", "total.txt"), "utf8"));
  writeFileSync("docs/results.md", report(total, plotsOf(), new Date(statSync(join(RUNS, "logs", "total.txt")).mtimeMs)));
}

function plotsOf(): Record<string, string> {
  const plots: Record<string, string> = {};
  for (const j of [...charJobs, ptb, ...forecastJobs, classify]) if (existsSync(join(DOCS, `${j.name}-loss.svg`))) plots[j.name] = `results/${j.name}-loss.svg`;
  return plots;
}

async function main(): Promise<void> {
  if (process.argv.includes("--report-only")) { reportOnly(); return; }
  const only = process.argv.indexOf("--only");
  if (only > 0) {
    // Re-run some jobs (and their follow-ups) and rewrite the page from all logs.
    for (const name of process.argv[only + 1].split(",")) {
      const job = byName(name);
      if (!job) throw new Error(`--only: no job ${JSON.stringify(name)}`);
      const out = job.args.indexOf("--out");
      if (out > 0) rmSync(job.args[out + 1], { recursive: true, force: true });   // train afresh
      await run(job);
      for (const f of follow[name] ?? []) await run(byName(f));
      const dir = job.args[out + 1];
      if (out > 0 && existsSync(join(dir, "loss.svg"))) copyFileSync(join(dir, "loss.svg"), join(DOCS, `${job.name}-loss.svg`));
    }
    reportOnly();
    return;
  }
  for (const d of [RUNS, DOCS]) { rmSync(d, { recursive: true, force: true }); mkdirSync(d, { recursive: true }); }
  mkdirSync(join(RUNS, "logs"), { recursive: true });
  const t0 = performance.now();
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
  // Plots as SVG only (small, text); the forecast CSVs stay in runs/ (ETTh1's licence: no copies of its values).
  for (const s of series) for (const ext of ["png", "csv"]) rmSync(`${DOCS}/${s.name}-forecast.${ext}`, { force: true });
  for (const j of [...charJobs, ptb, ...forecastJobs, classify]) {
    const dir = j.args[j.args.indexOf("--out") + 1];
    if (existsSync(join(dir, "loss.svg"))) copyFileSync(join(dir, "loss.svg"), join(DOCS, `${j.name}-loss.svg`));
  }
  writeFileSync(join(RUNS, "logs", "total.txt"), String(Math.round(total)));
  writeFileSync("docs/results.md", report(total, plotsOf(), new Date()));
  process.stderr.write(`wrote docs/results.md in ${(total / 60).toFixed(1)} min\n`);
}

const f4 = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(4) : "–");
const f2 = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(2) : "–");
const f1 = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(1) : "–");
const int = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");
const cmd = (j: Job) => `npx recurrent ${j.args.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(" ")}`;
const failed = (j: Job) => (j.code === 0 && j.json ? "" : ` (failed: exit ${j.code}; ${(j.stderr ?? "").trim().split("\n").pop()})`);

function report(total: number, plots: Record<string, string>, when: Date): string {
  const L: string[] = [];
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  L.push("# Results on real data", "",
    `Generated by \`npm run results\` (scripts/results.ts) on ${when.toISOString().slice(0, 16).replace("T", " ")} UTC, ` +
    `${availableParallelism()} cores (${cpu}), in ${(total / 60).toFixed(1)} minutes${SCALE !== 1 ? ` with every budget scaled by ${SCALE}` : ""}. ` +
    "Every figure below comes from the commands shown, run by the script as child processes, two at a time, each with one GEMM thread " +
    "(the WebAssembly SIMD kernel). Budgets are wall-clock training time (`--time-limit`; validation passes are not counted in it). " +
    "Throughput, and so how far each run gets in its budget, depends on what else the machine runs at the time: " +
    "compare runs within this page, not with other machines.", "");

  L.push("## Character model: tinyshakespeare, one budget per cell", "",
    `Each cell: 1 layer of 128 units, one-hot input over the 65 characters, a softmax head, 64-step chunks with the state carried (truncated BPTT), ` +
    `batch 32, Adam (lr 0.002), gradient norm clipped at 5, ${secs(CHAR_BUDGET)} s of training, the same seed. Split 90/10 by position (1,003,854 / 111,540 characters). ` +
    "Validation loss is the best of the evaluations (every 100 updates and at the time limit), in nats per character; bits = nats / ln 2.", "",
    "| cell | parameters | updates | epochs | chars/s | train loss | val nats/char | val bits/char | val perplexity |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const j of charJobs) {
    const s = j.json ?? {};
    L.push(`| ${j.name.slice(7)}${failed(j)} | ${int(s.params)} | ${int(s.steps)} | ${f2(s.epochs)} | ${int(s.tokens_per_s)} | ${f4(s.train_loss)} | ${f4(s.val_loss)} | ${f4(s.metrics?.bits)} | ${f2(s.metrics?.perplexity)} |`);
  }
  L.push("", "The cells differ in cost per update (an LSTM does four gate products per step, a GRU three, Elman and Jordan one), so at one budget " +
    "they make different numbers of updates; the table compares what each reaches in the same time, not per update.", "");
  L.push(`For scale: predicting each character from its overall frequency (the unigram entropy of the text) costs ${unigramNats()} nats per character; ` +
    `a uniform guess over 65 characters costs ${Math.log(65).toFixed(4)}.`, "");
  L.push("Samples (`recurrent generate --prompt ROMEO: --length 300 --temperature 0.8 --seed 1`):", "");
  for (const c of cells) {
    const g = byName(`sample-${c}`);
    L.push(`**${c}**${failed(g)}`, "", "```", `ROMEO:${g.json?.text ?? ""}`.replace(/```/g, "'''"), "```", "");
  }
  for (const c of cells) if (plots[`charlm-${c}`]) L.push(`![${c} loss](${plots[`charlm-${c}`]})`);
  L.push("", "Commands:", "", "```sh", ...charJobs.map(cmd), "```", "");

  const p = ptb.json ?? {}, pt = byName("ptb-test").json?.parts?.["ptb.test.txt"] ?? {};
  L.push("## Word model: Penn Treebank", "",
    "Zaremba et al. (2014)'s small configuration in size: a 200-wide embedding, 2 layers of 200 LSTM units, 35-step chunks, batch 20, 10,000-word vocabulary, clip 5, " +
    `no dropout; trained with Adam (lr 0.002) instead of their SGD schedule, for a budget of ${secs(PTB_BUDGET)} s instead of their 13 epochs.${failed(ptb)}`, "",
    "| model | training | val perplexity | test perplexity |", "|---|---|---:|---:|",
    `| this run | ${f2(p.epochs)} epochs (${int(p.steps)} updates, ${int(p.tokens_per_s)} words/s, ${f1(p.seconds)} s of training) | ${f2(p.metrics?.perplexity)} | ${f2(pt.perplexity)} |`,
    "| Zaremba et al. 2014, small, non-regularised | 13 epochs (about 12 million words) | 120.7 | 114.5 |", "",
    `The gap to the published figure is the budget: ${int(p.steps)} updates are ${f2(p.epochs)} epochs, against 13 epochs of SGD with a tuned ` +
    `schedule. At this run's ${int(p.tokens_per_s)} words/s on one thread, Zaremba's 13 epochs would take about ` +
    `${f1(13 * 929589 / Math.max(1, p.tokens_per_s ?? 1) / 3600)} hours.`, "");
  if (plots.ptb) L.push(`![PTB loss](${plots.ptb})`, "");
  L.push("```sh", cmd(ptb), cmd(byName("ptb-test")), "```", "");

  L.push("## Forecasting against naive baselines", "",
    "One LSTM of 32 units reading a window of past values (scaled with the training part's mean and standard deviation, relative to the window's last value) " +
    "and emitting the whole horizon at once; MSE loss, Adam (lr 0.003), clip 1, early stopping after 20 epochs without a better validation loss, best weights kept. " +
    "Split by time 70/15/15 (ETTh1: the usual 12/4/4 months). Errors are in the series' units over every window of the test part; " +
    "MASE divides by the in-sample one-step naive MAE of the training part. Bold: the best MAE of the row.", "",
    "| series | window → horizon | season m | budget | epochs (stopped by) | test windows | model MAE | naive MAE | seasonal-naive MAE | model RMSE | naive RMSE | seasonal-naive RMSE | model MASE |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const s of series) {
    const j = byName(`forecast-${s.name}`), e = byName(`eval-${s.name}`).json ?? {};
    const t = e.parts?.test ?? {};
    const maes = [t.model?.mae, t.naive?.mae, t.seasonal_naive?.mae].map((v) => (typeof v === "number" ? v : Infinity));
    const best = Math.min(...maes);
    const b = (v: number) => (v === best ? `**${f2(v)}**` : f2(v));
    L.push(`| ${s.name}${failed(j)} | ${e.window ?? "–"} → ${e.horizon ?? "–"} | ${t.season ?? "–"} | ${secs(s.budget)} s | ${f2(j.json?.epochs)} (${j.json?.stopped ?? "–"}) | ${t.windows ?? "–"} | ${b(maes[0])} | ${b(maes[1])} | ${b(maes[2])} | ${f2(t.model?.rmse)} | ${f2(t.naive?.rmse)} | ${f2(t.seasonal_naive?.rmse)} | ${f2(t.model?.mase)} |`);
  }
  const wins: string[] = [];
  for (const s of series) {
    const e = byName(`eval-${s.name}`).json?.parts ?? {};
    for (const part of ["val", "test"]) {
      const t = e[part];
      if (!t?.model) continue;
      if (t.naive.mae < t.model.mae) wins.push(`naive beats the model on ${s.name} (${part}: MAE ${f2(t.naive.mae)} vs ${f2(t.model.mae)})`);
      if (t.seasonal_naive && t.seasonal_naive.mae < t.model.mae) wins.push(`seasonal naive beats it on ${s.name} (${part}: ${f2(t.seasonal_naive.mae)} vs ${f2(t.model.mae)})`);
    }
  }
  L.push("", wins.length ? `Where a baseline wins: ${wins.join("; ")}.` : "The model's MAE is below both baselines' on every validation and test part.");
  L.push("", "Validation part (what early stopping looked at):", "", "| series | model MAE | naive MAE | seasonal-naive MAE |", "|---|---:|---:|---:|");
  for (const s of series) {
    const v = byName(`eval-${s.name}`).json?.parts?.val ?? {};
    L.push(`| ${s.name} | ${f2(v.model?.mae)} | ${f2(v.naive?.mae)} | ${f2(v.seasonal_naive?.mae)} |`);
  }
  L.push("", "Forecasts from one origin in the test part (history, forecast, actual; the script keeps the plots and drops the CSVs):", "");
  for (const s of series) if (existsSync(`${DOCS}/${s.name}-forecast.svg`)) L.push(`![${s.name} forecast](results/${s.name}-forecast.svg)`);
  L.push("", "```sh", ...series.flatMap((s) => [cmd(byName(`forecast-${s.name}`)), cmd(byName(`eval-${s.name}`)), cmd(byName(`plot-${s.name}`))]), "```", "");

  const c = classify.json ?? {}, ce = byName("eval-indoor").json?.parts ?? {};
  L.push("## Sequence classification: indoor movement", "",
    "210 sequences of 4 radio signal strengths (19–119 steps), room change or not; stratified split 60/20/20 (seed 1); one LSTM of 32 units, " +
    `the class read at each sequence's last real step (padding masked), Adam (lr 0.003), early stopping after 30 epochs without improvement.${failed(classify)}`, "",
    "| part | sequences | accuracy | majority class | loss |", "|---|---:|---:|---:|---:|");
  for (const part of ["val", "test"]) {
    const s = ce[part] ?? {};
    L.push(`| ${part} | ${s.count ?? "–"} | ${f4(s.accuracy)} | ${f4(s.majority)} | ${f4(s.loss)} |`);
  }
  const cm = ce.test?.confusion as number[][] | undefined;
  if (cm) L.push("", `Test confusion matrix (rows actual, columns predicted; classes −1, 1): ${JSON.stringify(cm)}. Trained ${f2(c.epochs)} epochs in ${f1(c.seconds)} s (stopped by ${c.stopped}).`);
  if (plots["classify-indoor"]) L.push("", `![indoor loss](${plots["classify-indoor"]})`);
  L.push("", "```sh", cmd(classify), cmd(byName("eval-indoor")), "```", "");
  return L.join("\n") + "\n";
}

function unigramNats(): string {
  const text = readFileSync(shakespeare, "utf8"), counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) { const q = n / text.length; h -= q * Math.log(q); }
  return h.toFixed(4);
}

await main();
