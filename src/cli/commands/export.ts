// `recurrent export`: writes a model directory out for other tools.
//   --onnx FILE.onnx            ONNX (opset 17): RNN/LSTM/GRU ops, stacked, head as MatMul+Add
//                               (+Softmax/Sigmoid); Jordan as a Scan loop per layer; dynamic
//                               batch and length. --state-inputs adds h0 (and c0) inputs
//                               (L, B, H) (Jordan: s0_l{k}, y0_l{k}); otherwise zero states.
//   --pytorch FILE.safetensors  the weights as a PyTorch state_dict (Elman: b_ih = b_h, b_hh = 0),
//                               optionally under --prefix "rnn.": loads with load_state_dict.
// Checks everything before writing; the file is written atomically.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { RecurrentError } from "../../errors.ts";
import { writeFileAtomic } from "../../node/files.ts";
import { loadModel } from "../../node/model-dir.ts";
import { modelToOnnx } from "../../formats/onnx/model-export.ts";
import { exportTorchStateDict } from "../../formats/pytorch.ts";
import { writeSafetensors } from "../../formats/safetensors.ts";
import { Task, largeFiles } from "../../node/progress-task.ts";

interface Opts { model: string; onnx?: string; pytorch?: string; prefix: string; stateInputs?: boolean; force?: boolean }

export function register(program: Command): void {
  program.command("export")
    .description("export a model directory to ONNX or to a PyTorch state_dict (safetensors)")
    .requiredOption("--model <dir>", "the model directory")
    .option("--onnx <file>", "write an ONNX model (opset 17)")
    .option("--state-inputs", "onnx: add h0 (and c0) inputs, (L, B, H); without it states start at zero")
    .option("--pytorch <file>", "write the weights as a PyTorch state_dict in safetensors")
    .option("--prefix <prefix>", "pytorch: prefix for the RNN's keys, e.g. \"rnn.\"", "")
    .option("--force", "replace files that exist already")
    .action((opts: Opts) => { runExport(opts); });
}

export function runExport(opts: Opts): void {
  if (!opts.onnx && !opts.pytorch) throw new RecurrentError("export: expected --onnx FILE.onnx or --pytorch FILE.safetensors, got neither");
  for (const [flag, file] of [["--onnx", opts.onnx], ["--pytorch", opts.pytorch]] as const) {
    if (file && existsSync(file) && !opts.force) throw new RecurrentError(`export ${flag} ${file}: expected a new file, got one that exists (add --force to replace it)`);
  }
  // Progress on stderr, a line per step: from the start for a large model, else after 2 s.
  const steps = 1 + (opts.onnx ? 2 : 0) + (opts.pytorch ? 2 : 0);
  const task = new Task({ label: "export", unit: "steps", total: steps, interval: 0, show: largeFiles(join(opts.model, "model.safetensors")) });
  try {
    task.update(0, `loading ${opts.model}`);
    const { model } = loadModel(opts.model);
    // Build every output in memory first, so a refusal writes nothing.
    if (opts.onnx) task.update(1, "building the ONNX graph");
    const onnx = opts.onnx ? modelToOnnx(model, { initialState: !!opts.stateInputs }) : null;
    if (opts.pytorch && (model.config.gateActivation !== "sigmoid" || !model.config.resetAfter)) {
      throw new RecurrentError(`export --pytorch: ${model.config.gateActivation !== "sigmoid" ? "hard-sigmoid gates" : "a GRU with the reset gate before the product"}: expected a model PyTorch can run (nn.LSTM/nn.GRU have neither); use --onnx`);
    }
    if (opts.pytorch) task.update(opts.onnx ? 2 : 1, "building the PyTorch state_dict");
    const torch = opts.pytorch ? writeSafetensors(exportTorchStateDict(model, opts.prefix), { format: "pt" }) : null;
    let done = opts.onnx && opts.pytorch ? 3 : 2;
    if (onnx && opts.onnx) {
      task.update(done++, `writing ${opts.onnx}`);
      writeFileAtomic(opts.onnx, onnx);
      process.stdout.write(`wrote ${opts.onnx} (${onnx.length} bytes, ONNX opset 17): ${model.toString()}\n`);
    }
    if (torch && opts.pytorch) {
      task.update(done++, `writing ${opts.pytorch}`);
      writeFileAtomic(opts.pytorch, torch);
      process.stdout.write(`wrote ${opts.pytorch} (${torch.length} bytes, PyTorch state_dict): ${model.toString()}\n`);
    }
    task.finish();
  } finally { task.stop(); }
}
