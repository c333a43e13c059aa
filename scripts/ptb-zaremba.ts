// `npm run ptb-small` / `npm run ptb-medium`: the language models of Zaremba, Sutskever & Vinyals
// (2014) on the Penn Treebank, trained as their published main.lua does, through the `recurrent`
// command line (a child process, so the command in docs/results.md is exactly what ran); then
// `eval --json` on ptb.test.txt.
//
// small (non-regularised), detail by detail (main.lua's `params` and loop):
//   2 LSTM layers of 200, a 200-wide embedding, 10,000 words    --layers 2 --hidden 200 --embedding 200
//   20-step chunks, 20 streams, the state carried                --seq 20 --batch 20 (wordlm carries it)
//   every parameter U(−0.1, 0.1)                                 --init uniform:0.1
//   plain SGD at 1 on the per-step batch means summed over the 20 steps   --optimizer sgd --lr 1 --loss-reduction sum-over-time
//   the global gradient norm clipped at 5                        --clip 5
//   13 epochs; the rate halved at the end of every epoch after the 4th (`epoch > max_epoch` is
//   first true at the end of the 5th): 1 for 5 epochs, then 1/2, 1/4, … → --lr-schedule step:1e:0.5:5e
//   validation at each epoch's end only, no early stopping     --min-evaluations 0 --patience 0
//   no dropout
// medium (regularised): 2 × 650, 35 steps, U(−0.05, 0.05), dropout 0.5 on the non-recurrent
//   connections, 39 epochs, the rate divided by 1.2 at the end of every epoch after the 6th
//   (--lr-schedule step:1e:0.8333333333:7e); the rest as small. Its full schedule is many hours
//   here, so it runs for a budget (--time-limit, default 1800 s), validating every 400 updates
//   (280,000 words) for a curve over the budget, and the report projects the rest.
// Two GEMM threads (both cores): the machine should be otherwise quiet, since the wall time is
// one of the figures. The rows go to docs/results/ptb-<model>/: train.json (command, exit code,
// wall time, load, the CLI's --json line and training options), metrics.jsonl (the run's own) and
// eval-test.json (best validation weights) and eval-test-last.json (the last weights, what main.lua
// tests); scripts/results/report.ts turns them into sections of docs/results.md.
//
//   node --import tsx scripts/ptb-zaremba.ts small            (about 50 min on 2 cores)
//   node --import tsx scripts/ptb-zaremba.ts medium [--time-limit 1800]
//   node --import tsx scripts/ptb-zaremba.ts small --smoke    (20 s of training into a temp dir, rows not kept)
//   node --import tsx scripts/ptb-zaremba.ts small --evaluate-only (the test evaluations again, then the rows)
//   node --import tsx scripts/ptb-zaremba.ts small --collect-only  (the rows again from runs/ptb-small)
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir, loadavg, cpus, availableParallelism } from "node:os";
import { join } from "node:path";
import { writeRows, readRows } from "./rows.ts";
import { DOCS, type JobRow } from "./results/report.ts";

const model = process.argv[2];
if (model !== "small" && model !== "medium") {
  process.stderr.write(`error: ptb-zaremba: expected the model, small or medium, as the first argument, got ${model ?? "nothing"}\n`);
  process.exit(2);
}
const smoke = process.argv.includes("--smoke");
const limitAt = process.argv.indexOf("--time-limit");
const D = "../shared/data/ptb";
const RUNS = smoke ? mkdtempSync(join(tmpdir(), `ptb-${model}-`)) : `runs/ptb-${model}`;
const OUT = join(RUNS, "model");
const ROWS = join(DOCS, `ptb-${model}`);

const COMMON = ["train", "--task", "wordlm", "--text", `${D}/ptb.train.txt`, "--valid-text", `${D}/ptb.valid.txt`,
  "--test-text", `${D}/ptb.test.txt`, "--cell", "lstm", "--layers", "2", "--batch", "20", "--optimizer", "sgd", "--lr", "1",
  "--loss-reduction", "sum-over-time", "--clip", "5", "--min-evaluations", "0", "--patience", "0", "--seed", "1", "--threads", "2"];
export const PRESETS = {
  small: [...COMMON, "--hidden", "200", "--embedding", "200", "--seq", "20", "--epochs", "13", "--init", "uniform:0.1",
    "--lr-schedule", "step:1e:0.5:5e"],
  medium: [...COMMON, "--hidden", "650", "--embedding", "650", "--seq", "35", "--epochs", "39", "--init", "uniform:0.05",
    "--dropout", "0.5", "--lr-schedule", "step:1e:0.8333333333:7e", "--eval-every", "400"],
};
const limit = smoke ? "20" : limitAt > 0 ? process.argv[limitAt + 1] : model === "medium" ? "1800" : null;
const train = [...PRESETS[model], ...(limit ? ["--time-limit", limit] : []), "--out", OUT, "--json"];
// The test perplexity with the best validation's weights (eval's default) and with the last ones
// (what main.lua tests: it keeps no best weights).
const evalTest = ["eval", "--model", OUT, "--text", `${D}/ptb.test.txt`, "--json"];
const evalTestLast = [...evalTest.slice(0, -1), "--last", "--json"];

interface Ran { args: string[]; code: number; seconds: number; stdout: string; stderr: string; load: number[]; started?: string }

/** Runs `recurrent <args>`, its progress passed through to our stderr, sampling the load average each minute. */
function run(args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    const t0 = performance.now(), load = [loadavg()[0]], started = new Date().toISOString();
    const timer = setInterval(() => load.push(loadavg()[0]), 60_000);
    const p = spawn(process.execPath, ["bin/recurrent.mjs", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", (d) => { stdout += d; });
    p.stderr.on("data", (d) => { stderr += d; process.stderr.write(d); });
    p.on("close", (code) => {
      clearInterval(timer);
      load.push(loadavg()[0]);
      resolve({ args, code: code ?? -1, seconds: (performance.now() - t0) / 1000, stdout, stderr, load, started });
    });
  });
}

const lastJson = (text: string): Record<string, any> | undefined => {
  try { return JSON.parse(text.trim().split("\n").pop() ?? ""); } catch { return undefined; }
};

/** A job's row as scripts/results/report.ts reads it (JobRow), plus the wall time's load. */
function row(job: string, r: Ran, extra: Partial<JobRow> = {}): JobRow & { load?: { mean: number; max: number } } {
  const mean = r.load.reduce((a, b) => a + b, 0) / r.load.length;
  return { job, args: r.args.map((a) => (a.startsWith(RUNS) ? a.replace(RUNS, `runs/ptb-${model}`) : a)), code: r.code, seconds: r.seconds,
    ...(r.code === 0 ? {} : { stderr: r.stderr.trim().split("\n").pop() }), result: lastJson(r.stdout),
    load: { mean, max: Math.max(...r.load) }, ...extra };
}

async function main(): Promise<void> {
  const logs = join(RUNS, "logs");
  const logged = (n: string): Ran => JSON.parse(readFileSync(join(logs, `${n}.json`), "utf8")) as Ran;
  const evaluate = async (name: string, args: string[]): Promise<Ran> => {
    const r = await run(args);
    writeFileSync(join(logs, `${name}.json`), JSON.stringify(r));
    return r;
  };
  let t: Ran, e: Ran, last: Ran;
  if (process.argv.includes("--collect-only")) {
    [t, e, last] = ["train", "eval-test", "eval-test-last"].map(logged);
  } else if (process.argv.includes("--evaluate-only")) {
    t = logged("train");
    e = await evaluate("eval-test", evalTest);
    last = await evaluate("eval-test-last", evalTestLast);
  } else {
    if (!smoke) rmSync(RUNS, { recursive: true, force: true });
    mkdirSync(logs, { recursive: true });
    t = await run(train);
    writeFileSync(join(logs, "train.json"), JSON.stringify(t));
    e = await evaluate("eval-test", evalTest);
    last = await evaluate("eval-test-last", evalTestLast);
  }
  const config = existsSync(join(OUT, "config.json")) ? JSON.parse(readFileSync(join(OUT, "config.json"), "utf8")) : {};
  const { text: _t, validText: _v, testText: _x, ...options } = config.training?.options ?? {};
  const rows = { train: row(`ptb-${model}`, t, { options }), test: row(`ptb-${model}-test`, e), last: row(`ptb-${model}-test-last`, last) };
  if (smoke) {
    process.stderr.write(`smoke: train exit ${t.code} in ${t.seconds.toFixed(0)} s, eval exits ${e.code} and ${last.code}; test perplexity ${rows.test.result?.parts?.["ptb.test.txt"]?.perplexity} (last weights ${rows.last.result?.parts?.["ptb.test.txt"]?.perplexity})\n`);
    rmSync(RUNS, { recursive: true, force: true });
    process.exitCode = t.code || e.code || last.code;
    return;
  }
  mkdirSync(ROWS, { recursive: true });
  // When the training started (a log from before `started` was recorded: its file's time less its length).
  const date = t.started ?? new Date(statSync(join(logs, "train.json")).mtimeMs - 1000 * t.seconds).toISOString();
  writeRows(join(ROWS, "train.json"), [{ ...rows.train, date, cpus: availableParallelism(), cpu: cpus()[0]?.model ?? "unknown CPU", node: process.version }]);
  writeRows(join(ROWS, "eval-test.json"), [rows.test]);
  writeRows(join(ROWS, "eval-test-last.json"), [rows.last]);
  copyFileSync(join(OUT, "metrics.jsonl"), join(ROWS, "metrics.jsonl"));
  process.stderr.write(`rows in ${ROWS}; now: node --import tsx scripts/results.ts --report-only\n`);
  const m = readRows(join(ROWS, "metrics.jsonl"));
  process.stderr.write(`${m.length} metrics rows; test perplexity ${rows.test.result?.parts?.["ptb.test.txt"]?.perplexity}\n`);
}

await main();
