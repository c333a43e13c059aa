// `recurrent predict --model DIR --input FILE.json [--json]`: runs a model on batch-first input
// {"x": B×T×I} (or {"tokens": B×T} ids, one-hot encoded), with optional initial states "h0"
// ("c0" for LSTM), L×B×H. --json prints {"output": B×T×(O or H), "h_n": L×B×H, "c_n"} in
// PyTorch's conventions (output after the head's softmax/sigmoid); otherwise a short summary.
// A bidirectional model's states are (L·2)×B×H (layers × directions) and its output without a
// head B×T×2H, as PyTorch's bidirectional=True gives them.
//
// `recurrent predict --model DIR --sequences FILE.csv [--labels FILE [--label-column NAME]]`:
// a trained classifier names the class of every sequence of a long-format CSV (sequence_id,
// step, the model's feature columns), as CSV (sequence_id,predicted,probability[,actual]) or
// JSON with every class's probability; with --labels the true classes are printed beside.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { RecurrentError } from "../../errors.ts";
import { loadModel } from "../../node/model-dir.ts";
import { nest3, parsePredictInput, predictBatchFirst } from "../../model/predict.ts";
import { readCsvFile } from "../../node/csv-file.ts";
import { checkLabelled, parseLabels, parseSequenceSteps } from "../../data/sequences.ts";
import { openTrained } from "../session/saved.ts";
import { predictClasses } from "../tasks/classify.ts";
import { jsonLine } from "../options/flags.ts";
import { withTask } from "../../node/progress-task.ts";

interface Opts { model: string; input?: string; sequences?: string; labels?: string; labelColumn?: string; last?: boolean; json?: boolean }

export function register(program: Command): void {
  program.command("predict")
    .description("run a model on a JSON input (batch-first) and print outputs and final states, or name the class of every sequence of a CSV")
    .requiredOption("--model <dir>", "the model directory")
    .option("--input <file>", "JSON: {\"x\": B×T×I} or {\"tokens\": B×T}, optional \"h0\"/\"c0\" L×B×H ((L·2)×B×H when bidirectional)")
    .option("--sequences <file>", "classifiers: long-format sequences (sequence_id, step, the model's feature columns); prints each one's class")
    .option("--labels <file>", "with --sequences: the true classes (sequence_id, label), printed beside the predictions")
    .option("--label-column <name>", "with --labels: the labels file's class column (default: the model's, else label)")
    .option("--last", "with --sequences: the last checkpoint's weights instead of the best validation weights")
    .option("--json", "print the result as JSON")
    .addHelpText("after", `
Examples:
  npx recurrent predict --model models/lstm --input in.json --json
  npx recurrent predict --model runs/indoor --sequences new-sequences.csv
  npx recurrent predict --model runs/indoor --sequences seqs.csv --labels labels.csv --label-column class --json`)
    .action((opts: Opts) => { process.stdout.write(runPredict(opts)); });
}

export function runPredict(opts: Opts): string {
  if (!opts.input === !opts.sequences) throw new RecurrentError(`predict: expected --input FILE.json or --sequences FILE.csv, got ${opts.input ? "both" : "neither"}`);
  if (opts.sequences) return predictSequences(opts);
  if (opts.labels || opts.labelColumn || opts.last) throw new RecurrentError(`predict --input: expected no --labels, --label-column or --last (they go with --sequences), got ${opts.labels ? "--labels" : opts.labelColumn ? "--label-column" : "--last"}`);
  const { model } = loadModel(opts.model);
  let json: unknown;
  try { json = JSON.parse(readFileSync(opts.input!, "utf8")); }
  catch (e) { if ((e as NodeJS.ErrnoException).code) throw e; throw new RecurrentError(`${opts.input}: expected JSON, got a parse error (${(e as Error).message})`); }
  const { x, B, T, state0 } = parsePredictInput(json, model, opts.input!);
  const p = predictBatchFirst(model, x, B, T, state0);
  const result: Record<string, number[][][]> = { output: nest3(p.output, B, T, p.outputSize) };
  for (const [name, s] of Object.entries(p.states)) result[`${name}_n`] = nest3(s.data, s.rows, B, s.size);
  if (opts.json) return JSON.stringify(result) + "\n";
  const lines = [`${model.toString()}`, `output: B=${B} × T=${T} × ${p.outputSize}; last step of each sequence:`];
  for (let b = 0; b < B; b++) lines.push(`  [${b}] ${result.output![b]![T - 1]!.map((v) => v.toPrecision(5)).join(" ")}`);
  const rowsName = model.config.bidirectional ? "L·2" : "L";
  for (const name of Object.keys(p.states)) lines.push(`${name}_n: ${rowsName}=${p.states[name]!.rows} × B=${B} × ${p.states[name]!.size}`);
  return lines.join("\n") + "\n";
}

/** A classifier on a CSV of sequences: the predicted class of each, by name. */
function predictSequences(opts: Opts): string {
  if (opts.labelColumn && !opts.labels) throw new RecurrentError(`--label-column: expected --labels FILE to read it from, got no --labels`);
  const t = openTrained(opts.model, ["classify"], "predict --sequences", opts.last);
  const rec = t.task;
  const seqTable = readCsvFile(opts.sequences!, "--sequences");
  const steps = parseSequenceSteps(seqTable, { features: rec.features });
  let actual: Map<string, string> | null = null;
  if (opts.labels) {
    const table = readCsvFile(opts.labels, "--labels");
    actual = parseLabels(table, { label: opts.labelColumn ?? rec.labelColumn });
    checkLabelled(steps, actual, seqTable.source, table.source);
  }
  const preds = withTask({ label: "predict", unit: "sequences" }, (task) => predictClasses(t.model, rec.labels, steps.sequences, task.reporter()));
  const correct = actual ? preds.filter((p) => p.label === actual!.get(p.id)).length : 0;
  if (opts.json) {
    return jsonLine({
      model: t.model.toString(), weights: t.best ? "best" : "last", classes: rec.labels,
      predictions: preds.map((p) => ({ sequence_id: p.id, label: p.label, probabilities: p.probabilities, ...(actual ? { actual: actual.get(p.id) } : {}) })),
      ...(actual ? { accuracy: correct / preds.length } : {}),
    });
  }
  const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = preds.map((p) => [cell(p.id), cell(p.label), Math.max(...p.probabilities).toFixed(4), ...(actual ? [cell(actual.get(p.id)!)] : [])].join(","));
  return [`sequence_id,predicted,probability${actual ? ",actual" : ""}`, ...rows].join("\n") + "\n";
}
