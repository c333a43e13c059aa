// `recurrent firms --prices FILE --firms FILE [--start D] [--end D] [--measure M] [--out DIR]
// [--json]`: firm similarity from daily growth rates, and whether it goes with sector and
// market capitalisation (issue 6). Reads the tables (gzip or plain CSV), aligns them, runs
// each measure's statistics, prints a summary (or one JSON object) and, with --out, writes
// the report (Markdown, HTML, charts).
import type { Command } from "commander";
import { check } from "../../errors.ts";
import { align } from "../../analysis/firms/align.ts";
import { readFirms, readPrices } from "../../analysis/firms/read.ts";
import { parseMeasures, runMeasure, summaryJson, type RunOptions } from "../../analysis/firms/run.ts";
import { ANALYSIS_STAGES, type MeasureResult } from "../../analysis/firms/analyse.ts";
import { writeReport, verdict } from "../../analysis/firms/report/report.ts";
import { Task } from "../../node/progress-task.ts";

interface Opts {
  prices: string; firms: string; start?: string; end?: string; measure: string; out?: string; json?: boolean;
  minCoverage: string; dropUnknown?: boolean; tickers?: string;
  permutations: string; seed: string; k: string; window: string; step: string; rolling: boolean;
  rnnHidden: string; rnnSteps: string; rnnWindow: string; rnnEmbedding: string; rnnCell: string; rnnBidirectional?: boolean;
}

const num = (v: string, flag: string): number => {
  const x = Number(v);
  check(v.trim() !== "" && Number.isFinite(x), flag, "a number", v);
  return x;
};
const int = (v: string, flag: string, min: number): number => {
  const x = num(v, flag);
  check(Number.isInteger(x) && x >= min, flag, `an integer >= ${min}`, v);
  return x;
};

export function register(program: Command): void {
  program.command("firms")
    .description("similarity of firms from daily growth rates, tested against sector and market cap")
    .requiredOption("--prices <file>", "long-format prices: date,ticker,close (CSV or gzipped CSV)")
    .requiredOption("--firms <file>", "firms table: ticker,sector,market_cap_usd")
    .option("--start <date>", "first date of the window (YYYY-MM-DD); default: first date in the file")
    .option("--end <date>", "last date of the window; default: last date in the file")
    .option("--measure <m>", "pearson|cosine|rbf|residual|rnn, a comma list, or all", "pearson")
    .option("--out <dir>", "write the report (report.md, report.html, charts, summary.json) here")
    .option("--json", "print one JSON object instead of the text summary")
    .option("--min-coverage <share>", "keep firms with growth rates on at least this share of the window's days", "0.99")
    .option("--drop-unknown", "leave out tickers found in only one of the two files (counted and reported) instead of failing")
    .option("--tickers <list>", "only these firms (comma-separated)")
    .option("--permutations <n>", "permutations per test (>= 10000 for publishable p-values)", "10000")
    .option("--seed <n>", "seed of the permutation tests and the RNN", "1")
    .option("-k, --k <n>", "neighbours in the kNN sector vote", "5")
    .option("--window <days>", "rolling window length in common trading days", "252")
    .option("--step <days>", "rolling window step in days", "21")
    .option("--no-rolling", "skip the rolling windows")
    .option("--rnn-cell <cell>", "gru|lstm for --measure rnn", "gru")
    .option("--rnn-hidden <n>", "hidden units of the RNN", "16")
    .option("--rnn-steps <n>", "Adam updates of the RNN forecaster (0 = untrained, random features)", "600")
    .option("--rnn-window <days>", "days per RNN window", "20")
    .option("--rnn-embedding <kind>", "trajectory (hidden states over time) | mean (mean final hidden state)", "trajectory")
    .option("--rnn-bidirectional", "read each window both ways: states [h→ ; h←] (2H), trained to forecast the day after each window")
    .action(async (opts: Opts) => { process.stdout.write(await runFirms(opts, process.argv.slice(2).join(" "))); });
}

export async function runFirms(opts: Opts, commandLine = "recurrent firms ..."): Promise<string> {
  const measures = parseMeasures(opts.measure);
  const permutations = int(opts.permutations, "--permutations", 0);
  const seed = int(opts.seed, "--seed", 0);
  const rnnEmbedding = opts.rnnEmbedding;
  check(rnnEmbedding === "trajectory" || rnnEmbedding === "mean", "--rnn-embedding", "trajectory|mean", rnnEmbedding);
  // The study's choice of cells (src/analysis/firms/rnn.ts), not a cell's behaviour.
  check(["gru", "lstm"].includes(opts.rnnCell), "--rnn-cell", "gru|lstm", opts.rnnCell);
  const run: RunOptions = {
    permutations, seed, k: int(opts.k, "--k", 1),
    window: int(opts.window, "--window", 3), step: int(opts.step, "--step", 1), rollingEnabled: opts.rolling,
    rnn: {
      cell: opts.rnnCell as "gru" | "lstm", hidden: int(opts.rnnHidden, "--rnn-hidden", 1), steps: int(opts.rnnSteps, "--rnn-steps", 0),
      window: int(opts.rnnWindow, "--rnn-window", 2), embedding: rnnEmbedding, seed,
      ...(opts.rnnBidirectional ? { bidirectional: true } : {}),
    },
  };
  // Progress on stderr: reading, then each measure's stages (similarity, tests, rolling
  // windows), then the report; the RNN's updates and the rolling windows move the bar within
  // their stage (the task counts hundredths of stages).
  const stagesTotal = 1 + measures.length * (1 + ANALYSIS_STAGES.length) + (opts.out ? 1 : 0);
  const task = new Task({ label: "firms", total: 100 * stagesTotal, showCount: false });
  try {
    if (!opts.json) run.log = (line) => task.log(line);
    task.update(0, `stage 1/${stagesTotal}: reading ${opts.prices}`);
    const prices = readPrices(opts.prices);
    const firms = readFirms(opts.firms);
    const a = align(prices, firms, {
      start: opts.start, end: opts.end, minCoverage: num(opts.minCoverage, "--min-coverage"),
      dropUnknown: opts.dropUnknown, tickers: opts.tickers?.split(",").map((t) => t.trim()).filter(Boolean),
    });
    let stages = 0, measure = "", last = "";
    run.progress = (stage, done, of) => {
      if (stage !== last) { stages++; last = stage; } // `stages` done: every one before this
      const within = done !== undefined && of ? done / of : 0;
      task.update(Math.round(100 * (stages + within)), `stage ${stages + 1}/${stagesTotal}: ${measure ? `${measure} ` : ""}${stage}${done !== undefined && of ? ` ${done}/${of}` : ""}`);
    };
    const results: MeasureResult[] = measures.map((m) => { measure = m; return runMeasure(a, m, run); });
    let written: string[] = [];
    measure = "";
    if (opts.out) written = await writeReport(opts.out, a, results, run, { prices: opts.prices, firms: opts.firms, command: `npx recurrent ${commandLine}` });
    task.finish();
    return summary(opts, a, results, written, permutations, seed, run);
  } finally { task.stop(); }
}

function summary(opts: Opts, a: ReturnType<typeof align>, results: MeasureResult[], written: string[], permutations: number, seed: number, run: RunOptions): string {
  if (opts.json) return JSON.stringify(summaryJson(a, results, run)) + "\n";
  const lines = [
    `${a.tickers.length} firms, ${a.dates.length} common trading days, ${a.dates[0]}..${a.dates[a.dates.length - 1]} ` +
      `(${a.droppedFirms.length} firms and ${a.droppedDays.length} days dropped${a.droppedPriceRows ? `, ${a.droppedPriceRows} price rows of unknown tickers` : ""}); ${permutations} permutations, seed ${seed}`,
    ...results.map((r) => verdict(r).replace(/\*\*/g, "")),
  ];
  if (written.length) lines.push(`report: ${written.find((w) => w.endsWith("report.md"))} (+ ${written.length - 1} files)`);
  return lines.join("\n") + "\n";
}
