// `recurrent eval --model DIR (--text F | --csv F | --sequences F --labels F) [--split ...] [--json]`:
// scores a trained model on data, rebuilding the task from what was saved with it (vocabulary,
// scaler and split, labels). Language models: nats per token, bits per token, perplexity.
// Forecasts: MAE, RMSE, MASE beside the naive and seasonal-naive baselines on the same windows.
// Classification: accuracy (beside the majority class) and a confusion matrix.
// By default the parts the training split held out are scored (validation, and test if any);
// --split all scores the whole input (a new text, a new set of sequences).
import { basename } from "node:path";
import type { Command } from "commander";
import { RecurrentError } from "../../errors.ts";
import { readTextFile } from "../../node/text-file.ts";
import { Vocab } from "../../data/vocab.ts";
import { encodeChars } from "../../data/char-tokenizer.ts";
import { encodeWords, splitWords } from "../../data/word-tokenizer.ts";
import { windowsIn } from "../../data/windows.ts";
import { getTask } from "../../data/tasks/index.ts";
import { Rng } from "../../rand.ts";
import { evaluator, type BatchEvaluator } from "../../train/batch-loss.ts";
import { trainingFor } from "../../data/tasks/as-batch.ts";
import type { Sequence } from "../../train/sequence.ts";
import type { ForecastComparison } from "../../baselines/forecast-eval.ts";
import { openTrained } from "../session/saved.ts";
import { loadText, lmEvaluation, streamLoss, type LmRecord } from "../tasks/lm.ts";
import { loadSeries, scorePart, type ForecastRecord } from "../tasks/forecast.ts";
import { classifyScores, loadClassify, type ClassifyRecord, type ClassScores } from "../tasks/classify.ts";
import { taskEvaluation } from "../tasks/synthetic.ts";
import { int, jsonLine } from "../options/flags.ts";
import { withTask } from "../../node/progress-task.ts";

interface Opts { model: string; text?: string; csv?: string; sequences?: string; labels?: string; labelColumn?: string; split?: string; json?: boolean; last?: boolean; seed?: number; fill?: "error" | "ffill" | "drop" }

export function register(program: Command): void {
  program.command("eval")
    .description("score a trained model: perplexity and bits for text, MAE/RMSE/MASE against baselines for forecasts, accuracy for classes")
    .requiredOption("--model <dir>", "a model directory written by `recurrent train`")
    .option("--text <file>", "language models: the text")
    .option("--csv <file>", "forecasters: the series (same columns as in training)")
    .option("--sequences <file>", "classifiers: long-format sequences")
    .option("--labels <file>", "classifiers: labels")
    .option("--label-column <name>", "classifiers: the labels file's class column (default: the one training read, else label)")
    .option("--split <part>", "val|test|all: which part to score (default: the parts training held out; all for a separate text)")
    .option("--fill <policy>", "forecasters: missing values error|ffill|drop (default: as in training)")
    .option("--seed <n>", "synthetic tasks: seed of the evaluation batch", int("--seed", 0))
    .option("--last", "use the last checkpoint's weights instead of the best validation weights")
    .option("--json", "print one JSON object")
    .action((o: Opts) => { process.stdout.write(runEval(o)); });
}

export function runEval(o: Opts): string {
  if (o.split !== undefined && !["val", "test", "all"].includes(o.split)) throw new RecurrentError(`--split: expected one of val|test|all, got ${JSON.stringify(o.split)}`);
  const t = openTrained(o.model, ["charlm", "wordlm", "forecast", "classify", "synthetic"], "eval", o.last);
  const rec = t.task, kind = rec.kind;
  const need = (flag: keyof Opts, name: string) => { if (!o[flag]) throw new RecurrentError(`--${name}: expected a file for a ${kind} model, got none`); };
  const head = { model: o.model, task: kind, weights: t.best ? "best" : "last", network: t.model.toString() };
  // Scoring needs the training loss alone (evaluator): no optimiser, no Trainer.
  let result: Record<string, unknown>;
  if (rec.kind === "forecast") { need("csv", "csv"); result = evalForecast(t.model, rec, o); }
  else if (rec.kind === "classify") { need("sequences", "sequences"); need("labels", "labels"); result = evalClassify(t.model, evaluator(t.model, { loss: "ce", manyToOne: true }), rec, o); }
  else if (rec.kind === "synthetic") {
    const task = getTask(rec.name);
    const ev = taskEvaluation(t.model, evaluator(t.model, trainingFor(task.targetKind)), task, task.generate({ length: rec.length, batch: 1000, rng: new Rng(o.seed ?? 12345) }));
    result = { parts: { fresh: { sequences: 1000, loss: ev.loss, ...ev.metrics } } };
  } else { need("text", "text"); result = evalText(t.model, evaluator(t.model, { loss: "ce" }), rec, o); }
  const out = { ...head, ...result };
  return o.json ? jsonLine(out) : formatEval(out);
}

function parts(split: string | undefined, hasTest: boolean): Array<"val" | "test"> {
  if (split === "val" || split === "test") return [split];
  return hasTest ? ["val", "test"] : ["val"];
}

function evalText(model: Sequence, scorer: BatchEvaluator, rec: LmRecord, o: Opts): Record<string, unknown> {
  const vocab = Vocab.fromJSON(rec.vocab, "model vocabulary");
  const V = vocab.size, out: Record<string, unknown> = {};
  if (o.split === "all" || (rec.separate && o.split === undefined)) {
    const text = readTextFile(o.text!, "--text");
    const ids = vocab.kind === "char" ? encodeChars(vocab, text, { unknown: "skip", where: "--text" }) : encodeWords(vocab, splitWords(text));
    const skipped = vocab.kind === "char" ? Array.from(text).length - ids.length : 0;
    const ev = lmEvaluation(scoreStream(model, scorer, ids, V, rec.seq, basename(o.text!)), ids.length);
    out[basename(o.text!)] = { nats: ev.loss, ...ev.metrics, ...(skipped ? { skipped_unknown: skipped } : {}) };
    return { parts: out };
  }
  if (rec.separate) throw new RecurrentError(`--split: this model was trained with a separate validation text; score a file with --split all (the default), got ${o.split}`);
  const data = loadText({ task: rec.kind, text: o.text, val: rec.val, test: rec.test }, vocab);
  for (const p of parts(o.split, data.test.length > 0)) {
    const ids = p === "val" ? data.val : data.test;
    if (ids.length < 2) throw new RecurrentError(`--split ${p}: expected a ${p === "val" ? "validation" : "test"} part of at least 2 tokens, got ${ids.length}`);
    const ev = lmEvaluation(scoreStream(model, scorer, ids, V, rec.seq, p), ids.length);
    out[p] = { nats: ev.loss, ...ev.metrics };
  }
  return { parts: out };
}

/** streamLoss with a progress display counting tokens (PTB's test set: about 35 s). */
function scoreStream(model: Sequence, scorer: BatchEvaluator, ids: Int32Array, V: number, seq: number, name: string): number {
  return withTask({ label: `eval ${name}`, unit: "tokens", total: ids.length },
    (task) => streamLoss(model, scorer, ids, V, seq, 16, (done, chunks) => task.update(Math.round((ids.length * done) / chunks))));
}

function evalForecast(model: Sequence, rec: ForecastRecord, o: Opts): Record<string, unknown> {
  const data = loadSeries(o.csv!, { fill: o.fill }, rec);
  const out: Record<string, unknown> = {};
  const show = (c: ForecastComparison, loss: number) => ({ windows: c.windows, values: c.values, mse_scaled: loss, model: c.model, naive: c.naive, seasonal_naive: c.seasonalNaive, season: c.season });
  if (o.split === "all") {
    const set = windowsIn(0, data.series.n, rec.config.window, rec.config.horizon, data.series.f, data.series.source, rec.config.relative);
    const s = withTask({ label: "eval all", unit: "windows" }, (task) => scorePart(model, data, set, task.reporter()));
    out.all = show(s.comparison, s.loss);
  } else {
    for (const p of parts(o.split, data.test !== null)) {
      const set = p === "val" ? data.val : data.test;
      if (!set) throw new RecurrentError(`--split test: expected a test part (the model was trained with --test 0), got none`);
      const s = withTask({ label: `eval ${p}`, unit: "windows" }, (task) => scorePart(model, data, set, task.reporter()));
      out[p] = show(s.comparison, s.loss);
    }
  }
  return { horizon: rec.config.horizon, window: rec.config.window, parts: out };
}

function evalClassify(model: Sequence, scorer: BatchEvaluator, rec: ClassifyRecord, o: Opts): Record<string, unknown> {
  const data = loadClassify({ sequences: o.sequences, labels: o.labels, seed: rec.seed, labelColumn: o.labelColumn }, rec);
  const out: Record<string, ClassScores> = {};
  const score = (name: string, items: number[]) => withTask({ label: `eval ${name}`, unit: "sequences" }, (task) => classifyScores(model, scorer, data, items, task.reporter()));
  if (o.split === "all") out.all = score("all", data.sequences.map((_, i) => i));
  else for (const p of parts(o.split, data.split.test.length > 0)) out[p] = score(p, p === "val" ? data.split.val : data.split.test);
  return { classes: rec.labels, parts: out };
}

/** A short human-readable report. */
function formatEval(r: Record<string, unknown>): string {
  const lines = [`${r.network}  (${r.weights} weights, ${r.task})`];
  const f = (x: unknown) => (typeof x === "number" ? (Number.isInteger(x) ? String(x) : x.toFixed(4)) : String(x));
  for (const [name, v] of Object.entries(r.parts as Record<string, Record<string, unknown>>)) {
    if (r.task === "forecast") {
      lines.push(`${name}: ${v.windows} windows × horizon ${r.horizon}`);
      lines.push(`  ${"".padEnd(22)}${"MAE".padStart(12)}${"RMSE".padStart(12)}${"MASE".padStart(10)}`);
      for (const k of ["model", "naive", "seasonal_naive"]) {
        const s = v[k] as { mae: number; rmse: number; mase: number } | null;
        if (s) lines.push(`  ${(k === "seasonal_naive" ? `seasonal naive (m=${v.season})` : k).padEnd(22)}${s.mae.toFixed(4).padStart(12)}${s.rmse.toFixed(4).padStart(12)}${s.mase.toFixed(4).padStart(10)}`);
      }
    } else if (r.task === "classify") {
      const c = (r.parts as Record<string, ClassScores>)[name];
      lines.push(`${name}: ${c.count} sequences, accuracy ${c.accuracy.toFixed(4)} (majority class ${c.majority.toFixed(4)}), loss ${c.loss.toFixed(4)}`);
      const classes = r.classes as string[];
      lines.push(`  confusion (rows actual, columns predicted): ${classes.join(" | ")}`);
      c.confusion.forEach((row, i) => lines.push(`  ${classes[i].padStart(8)}: ${row.map((x) => String(x).padStart(5)).join("")}`));
    } else {
      lines.push(`${name}: ${Object.entries(v).map(([k, x]) => `${k} ${f(x)}`).join(", ")}`);
    }
  }
  return lines.join("\n") + "\n";
}
