// `recurrent import`: builds a model directory from another framework's weights.
//   --from pytorch --cell elman|lstm|gru --weights FILE.safetensors --out DIR [--nonlinearity tanh|relu]
//   --from tfjs --model model.json --out DIR
// Everything is read and checked before anything is written (one clear line on bad input,
// exit 1, nothing written). The conversions live in src/formats/pytorch.ts and src/formats/tfjs.ts.
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { RecurrentError, checkOneOf } from "../../errors.ts";
import { cellSpec, cellsWhere } from "../../cells/registry.ts";
import { reads } from "../../cells/spec.ts";
import { saveModel } from "../../node/model-dir.ts";
import { importTorchStateDict, type InTensor } from "../../formats/pytorch.ts";
import { readSafetensors, tensorAsFloat } from "../../formats/safetensors.ts";
import { importTfjsFile, readUserFile } from "../../node/tfjs-files.ts";
import { memoryLimits } from "../../model/budget.ts";
import { OUTPUT_ACTIVATIONS, type CellKind } from "../../model/config.ts";
import type { Sequence } from "../../train/sequence.ts";
import { Task, largeFiles } from "../../node/progress-task.ts";

interface Opts { force?: boolean; from: string; cell?: string; weights?: string; model?: string; out?: string; nonlinearity: string; outputActivation: string; dtype?: string }

export function register(program: Command): void {
  program.command("import")
    .description("import weights from PyTorch (a state_dict in safetensors) or TF.js (layers-model) into a model directory")
    .requiredOption("--from <framework>", "pytorch | tfjs")
    .option("--cell <cell>", "pytorch: elman | lstm | gru (nn.RNN, nn.LSTM, nn.GRU)")
    .option("--weights <file>", "pytorch: the state_dict as .safetensors (keys bare or under \"rnn.\", optional head.*, embedding.weight)")
    .option("--nonlinearity <name>", "pytorch elman: tanh | relu (nn.RNN's nonlinearity)", "tanh")
    .option("--output-activation <name>", "pytorch: activation after head.weight/head.bias: linear | softmax | sigmoid", "linear")
    .option("--dtype <dtype>", "float32 | float64 (default: float64 for F64 files, else float32)")
    .option("--model <file>", "tfjs: model.json (weights files beside it)")
    .option("--out <dir>", "the model directory to write (a new one, or with --force one to replace)")
    .option("--force", "replace the model already in --out (its checkpoint, metrics and plots go)")
    .action((opts: Opts) => { runImport(opts); });
}

/** What a replaced model's training left beside it (--force). */
const REPLACED = ["metrics.jsonl", "loss.svg", "loss.png", "gradients.svg", "gradients.png"];

export function runImport(opts: Opts): Sequence {
  const from = checkOneOf(opts.from, ["pytorch", "tfjs"] as const, "import --from");
  if (!opts.out) throw new RecurrentError("import --out: expected a directory to write the model to, got nothing");
  const out = opts.out;
  const holds = ["config.json", "checkpoint.json"].some((f) => existsSync(join(out, f)));
  if (holds && !opts.force) throw new RecurrentError(`import --out ${out}: expected a new directory, got one that holds a model (add --force to replace it)`);
  // Progress on stderr, a line per step (reading, converting, writing): from the start for
  // large weights, else after 2 s.
  const task = new Task({ label: "import", unit: "steps", total: 3, interval: 0, show: from === "pytorch" && largeFiles(opts.weights) });
  try {
    const { model, summary } = from === "pytorch" ? importPytorch(opts, task) : importTfjs(opts, task);
    task.update(2, `writing ${opts.out}`);
    if (holds) for (const f of REPLACED) rmSync(join(out, f), { force: true });   // the replaced model's run
    saveModel(opts.out, model, { task: { importedFrom: from, source: from === "pytorch" ? opts.weights : opts.model } });
    task.finish();
    process.stdout.write(`imported ${summary}\n  → ${opts.out}: ${model.toString()}\n`);
    return model;
  } finally { task.stop(); }
}

function importPytorch(opts: Opts, task: Task): { model: Sequence; summary: string } {
  const cell = checkOneOf(opts.cell, cellsWhere((s) => s.torch !== undefined).map((s) => s.name as CellKind), "import --cell");
  if (!opts.weights) throw new RecurrentError("import --weights: expected a .safetensors file holding the state_dict, got nothing");
  const nonlinearity = checkOneOf(opts.nonlinearity, ["tanh", "relu"] as const, "import --nonlinearity");
  if (!reads(cellSpec(cell), "hiddenActivation") && opts.nonlinearity !== "tanh") throw new RecurrentError(`import --nonlinearity: expected no value for ${cell} (fixed activations), got ${JSON.stringify(opts.nonlinearity)}`);
  const outputActivation = checkOneOf(opts.outputActivation, OUTPUT_ACTIVATIONS, "import --output-activation");
  const dtype = opts.dtype === undefined ? undefined : checkOneOf(opts.dtype, ["float32", "float64"] as const, "import --dtype");
  task.update(0, `reading ${opts.weights}`);
  // A regular file no bigger than the memory budget (a FIFO or /dev/zero is refused), as a plain Uint8Array.
  const limit = memoryLimits();
  const { tensors: raw } = readSafetensors(readUserFile(opts.weights, limit.bytes, `import --weights ${opts.weights}`, `${limit.source}`), opts.weights);
  const tensors: Record<string, InTensor> = {};
  for (const [k, t] of Object.entries(raw)) tensors[k] = { shape: t.shape, dtype: t.dtype, data: tensorAsFloat(t, `${opts.weights}: tensor "${k}"`) };
  task.update(1, "converting");
  const model = importTorchStateDict(tensors, { cell, nonlinearity, outputActivation, dtype, source: opts.weights });
  return { model, summary: `${opts.weights} (${Object.keys(tensors).length} tensors)` };
}

function importTfjs(opts: Opts, task: Task): { model: Sequence; summary: string } {
  if (!opts.model) throw new RecurrentError("import --model: expected a tfjs model.json, got nothing");
  if (opts.cell || opts.weights) throw new RecurrentError("import --from tfjs: expected --model model.json (the cell comes from the file), got --cell/--weights");
  task.update(0, `reading ${opts.model}`);
  // model.json and the weights files it names, each a regular file inside its folder (node/tfjs-files.ts).
  const r = importTfjsFile(opts.model);
  task.update(1, "converting");
  return { model: r.model, summary: `${opts.model} (${r.layers.join(" → ")})` };
}
