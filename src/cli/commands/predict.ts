// `recurrent predict --model DIR --input FILE.json [--json]`: runs a model on batch-first input
// {"x": B×T×I} (or {"tokens": B×T} ids, one-hot encoded), with optional initial states "h0"
// ("c0" for LSTM), L×B×H. --json prints {"output": B×T×(O or H), "h_n": L×B×H, "c_n"} in
// PyTorch's conventions (output after the head's softmax/sigmoid); otherwise a short summary.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { RecurrentError } from "../../errors.ts";
import { loadModel } from "../../io/model-dir.ts";
import { nest3, parsePredictInput, predictBatchFirst } from "../../io/predict.ts";

interface Opts { model: string; input: string; json?: boolean }

export function register(program: Command): void {
  program.command("predict")
    .description("run a model on a JSON input (batch-first) and print outputs and final states")
    .requiredOption("--model <dir>", "the model directory")
    .requiredOption("--input <file>", "JSON: {\"x\": B×T×I} or {\"tokens\": B×T}, optional \"h0\"/\"c0\" L×B×H")
    .option("--json", "print the result as JSON")
    .action((opts: Opts) => { process.stdout.write(runPredict(opts)); });
}

export function runPredict(opts: Opts): string {
  const { model } = loadModel(opts.model);
  let json: unknown;
  try { json = JSON.parse(readFileSync(opts.input, "utf8")); }
  catch (e) { if ((e as NodeJS.ErrnoException).code) throw e; throw new RecurrentError(`${opts.input}: expected JSON, got a parse error (${(e as Error).message})`); }
  const { x, B, T, state0 } = parsePredictInput(json, model, opts.input);
  const p = predictBatchFirst(model, x, B, T, state0);
  const L = model.layers.length;
  const result: Record<string, number[][][]> = { output: nest3(p.output, B, T, p.outputSize) };
  for (const [name, s] of Object.entries(p.states)) result[`${name}_n`] = nest3(s.data, L, B, s.size);
  if (opts.json) return JSON.stringify(result) + "\n";
  const lines = [`${model.toString()}`, `output: B=${B} × T=${T} × ${p.outputSize}; last step of each sequence:`];
  for (let b = 0; b < B; b++) lines.push(`  [${b}] ${result.output![b]![T - 1]!.map((v) => v.toPrecision(5)).join(" ")}`);
  for (const name of Object.keys(p.states)) lines.push(`${name}_n: L=${L} × B=${B} × ${p.states[name]!.size}`);
  return lines.join("\n") + "\n";
}
