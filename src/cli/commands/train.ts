// `recurrent train`: one command for every task (charlm, wordlm, forecast, classify and the
// synthetic tasks), configured by flags and/or --config FILE.json (flags win), or continued
// with --resume DIR (the saved options, then the config file, then the flags). The loop,
// checkpoints and plots are in ../session/ (the task problems in ../tasks/); this file only turns argv into options.
import type { Command } from "commander";
import { readTraining } from "../../node/model-dir.ts";
import { RecurrentError } from "../../errors.ts";
import { TASK_NAMES, getTask } from "../../data/tasks/index.ts";
import { defaultLength } from "../tasks/synthetic.ts";
import { DATA_TASKS, readConfigFile, resolveOptions, resumeOptions, type TrainOptions } from "../options/train-options.ts";
import { runTraining } from "../session/loop.ts";
import { int, jsonLine, list, num } from "../options/flags.ts";
import { normaliseConfig } from "../../model/config.ts";
import { cellSpec } from "../../cells/registry.ts";
import { reads } from "../../cells/spec.ts";
import { checkHeapList, checkTrainingMemory } from "../../model/budget.ts";

interface Flags extends Partial<TrainOptions> { out?: string; resume?: string; config?: string; json?: boolean; length?: number }

export function register(program: Command): void {
  program.command("train")
    .description("train a recurrent network on text, a CSV time series, labelled sequences or a synthetic task")
    .option("--task <task>", `${DATA_TASKS.join("|")} or a synthetic task (${TASK_NAMES.join("|")})`)
    .option("--out <dir>", "model directory to create (weights, optimiser, config.json, metrics.jsonl, loss.svg/png)")
    .option("--resume <dir>", "continue the run saved in <dir> (same data, same seed: same weights as never stopping)")
    .option("--config <file>", "JSON object of options (camelCase or kebab-case names); flags win")
    .option("--cell <cell>", "elman|jordan|lstm|gru (default lstm)")
    .option("--hidden <H>", "hidden units per layer", int("--hidden", 1))
    .option("--layers <L>", "stacked layers", int("--layers", 1))
    .option("--state <S>", "Jordan state size (default: the output size)", int("--state", 1))
    .option("--embedding <E>", "charlm, wordlm: embedding size for token inputs (0: one-hot; default 200 for wordlm, 0 for charlm)", int("--embedding", 0))
    .option("--dropout <p>", "dropout probability in training on the embedding's output, between layers and before the head (Zaremba et al. 2014; default 0)", num("--dropout"))
    .option("--bidirectional", "every layer also reads each sequence backwards (PyTorch's bidirectional=True; outputs 2H per step); not for language models or Jordan networks")
    .option("--seq <T>", "steps per chunk for language models (truncated BPTT length); sequence length for synthetic tasks", int("--seq", 1))
    .option("--length <T>", "synthetic tasks: sequence length (same as --seq)", int("--length", 1))
    .option("--batch <B>", "batch size", int("--batch", 1))
    .option("--epochs <N>", "epochs (0: only --time-limit bounds the run)", int("--epochs", 0))
    .option("--time-limit <seconds>", "stop (with a checkpoint) after this many seconds of training (validation not counted), summed over resumes", num("--time-limit"))
    .option("--optimizer <name>", "sgd|adam|adamw|rmsprop|adagrad (default adam)")
    .option("--lr <rate>", "learning rate", num("--lr"))
    .option("--lr-schedule <spec>", "learning-rate schedule: constant|step:N[:gamma]|exponential:gamma|cosine[:N[:lrMin]]|warmup:N:SPEC or a JSON object (default constant)")
    .option("--on-nonfinite <policy>", "a non-finite or diverging loss: stop (default) or rollback (reload the last checkpoint with the learning rate halved, at most 3 times)")
    .option("--clip <norm>", "clip the global gradient norm (0: off)", num("--clip"))
    .option("--loss-reduction <how>", "charlm, wordlm: the gradient of the mean loss per token (mean, default) or of the per-step batch means summed over the chunk's steps (sum-over-time: Zaremba et al.'s language models, so --lr 1 and --clip 5 mean what theirs do)")
    .option("--seed <n>", "seed of the one random generator (initial weights, batch order, split)", int("--seed", 0))
    .option("--init <scheme>", "initial weights: pytorch|glorot|uniform:a (every parameter U(−a, a), Zaremba et al.) (default pytorch)")
    .option("--patience <n>", "stop after n evaluations without a better validation loss (0: never)", int("--patience", 0))
    .option("--eval-every <n>", "also validate every n updates (default: once per epoch)", int("--eval-every", 0))
    .option("--min-evaluations <n>", "validate often enough for at least n evaluations in the run, so short runs draw a curve (default 10; 0: per epoch and --eval-every only)", int("--min-evaluations", 0))
    .option("--threads <n>", "GEMM threads (0: one per core)", int("--threads", 0))
    .option("--backend <kind>", "auto|fma|simd|reference: the kernels (default auto: WebAssembly with fused multiply-add where this Node runs relaxed SIMD, else plain SIMD; a resume on other kernels warns)")
    .option("--text <file>", "charlm, wordlm: the training text (split 90/10 unless --valid-text)")
    .option("--valid-text <file>", "wordlm, charlm: a separate validation text (PTB's ptb.valid.txt)")
    .option("--test-text <file>", "a separate test text (PTB's ptb.test.txt)")
    .option("--max-vocab <n>", "wordlm: vocabulary size cap (default 10000)", int("--max-vocab", 3))
    .option("--csv <file>", "forecast: the time series")
    .option("--target <col>", "forecast: the column to predict")
    .option("--features <cols>", "forecast: extra input columns, comma-separated; classify: feature columns", list)
    .option("--date <col>", "forecast: the date column (default: a non-numeric first column)")
    .option("--horizon <H>", "forecast: steps predicted at once (default: one season)", int("--horizon", 1))
    .option("--window <W>", "forecast: input steps per window (default: two seasons)", int("--window", 1))
    .option("--season <m>", "forecast: seasonal period for the seasonal-naive baseline (default from the dates)", int("--season", 1))
    .option("--fill <policy>", "forecast: missing values: error|ffill|drop (default error)")
    .option("--sequences <file>", "classify: long-format sequences (sequence_id, step, features...)")
    .option("--labels <file>", "classify: labels (sequence_id, label)")
    .option("--label-column <name>", "classify: the labels file's class column (default label)")
    .option("--val <share>", "validation share (< 1) or count of steps", num("--val"))
    .option("--test <share>", "test share (< 1) or count of steps", num("--test"))
    .option("--train-size <n>", "forecast: training steps (the rest after validation and test is left out)", int("--train-size", 1))
    .option("--steps-per-epoch <n>", "synthetic tasks: batches per epoch (default 50)", int("--steps-per-epoch", 1))
    .option("--log-gradients", "record gradient-flow diagnostics (‖∂L/∂h_t‖ per step, norm before/after clipping, clip rate) in metrics.jsonl; plot them in gradients.svg/png")
    .option("--log-gradients-every <n>", "with --log-gradients: the per-step norms every n-th evaluation (default 1; implies --log-gradients)", int("--log-gradients-every", 1))
    .option("--json", "print one JSON object with the results on stdout")
    .addHelpText("after", `
Examples:
  npx recurrent train --task charlm --text ../shared/data/text/tinyshakespeare.txt --out runs/shakespeare
  npx recurrent train --task wordlm --text ptb.train.txt --valid-text ptb.valid.txt --test-text ptb.test.txt --out runs/ptb --time-limit 600
  npx recurrent train --task forecast --csv airline_passengers.csv --out runs/airline
  npx recurrent train --task classify --sequences seqs.csv --labels labels.csv --out runs/indoor
  npx recurrent train --task adding --length 50 --out runs/adding
  npx recurrent train --task adding --length 50 --cell elman --log-gradients --out runs/adding-elman
  npx recurrent train --resume runs/shakespeare --epochs 20
  npx recurrent train --task adding --length 50 --backend simd --out runs/adding-simd`)
    .action(async (flags: Flags) => {
      const { out, resume, config, json, length, ...rest } = flags;
      if (length !== undefined) rest.seq = length;
      if (rest.logGradientsEvery !== undefined) rest.logGradients = true;
      const fromFile = config ? readConfigFile(config) : {};
      let options: TrainOptions, dir: string;
      if (resume) {
        if (out && out !== resume) throw new RecurrentError(`--out: expected none with --resume (the run continues in ${resume}), got ${JSON.stringify(out)}`);
        const saved = readTraining(resume) as { options?: TrainOptions };   // runTraining loads the rest
        if (!saved.options) throw new RecurrentError(`--resume ${resume}: expected a training checkpoint, got a model directory without one`);
        if (rest.task && rest.task !== saved.options.task) throw new RecurrentError(`--task: expected ${saved.options.task} (the saved run's task), got ${JSON.stringify(rest.task)}`);
        options = resumeOptions(saved.options, fromFile, rest).options;
        dir = resume;
      } else {
        options = resolveOptions(fromFile, rest);
        if (!out) throw new RecurrentError("--out: expected a directory for the model, got none");
        dir = out;
      }
      checkTrainingSize(options);
      const interrupt = process.env.RECURRENT_INTERRUPT_AT_STEP;   // a test hook (see RunHooks)
      const summary = await runTraining(options, dir, Boolean(resume), interrupt ? { interruptAt: Number(interrupt) } : {});
      if (json) process.stdout.write(jsonLine(summary));
    });
}

/** Arrays of the parameters' size each optimiser keeps (an upper bound: SGD's momentum). */
const OPTIMIZER_SLOTS: Record<string, number> = { sgd: 1, adam: 2, adamw: 2, rmsprop: 2, adagrad: 1 };

/**
 * Refuses, before any data is read or anything allocated, a run the machine cannot hold
 * (model/budget.ts): the model and one batch counted with the smallest input and output the
 * data could give (one feature, one output), so what is refused surely does not fit; the data's
 * own sizes are checked again when the model is built. Synthetic tasks keep one seed per batch
 * of an epoch: --steps-per-epoch is bounded by the JS heap.
 */
export function checkTrainingSize(o: TrainOptions): void {
  const c = normaliseConfig({ cell: o.cell, input: 1, hidden: o.hidden, layers: o.layers, output: 1, embedding: o.embedding ?? 0, bidirectional: o.bidirectional,
    ...(reads(cellSpec(o.cell), "state") && o.state ? { state: o.state } : {}) }, "train", "lower bound");
  const synthetic = !(DATA_TASKS as readonly string[]).includes(o.task);
  const steps = o.seq > 0 ? o.seq : synthetic ? defaultLength(getTask(o.task)) : o.window ?? 1;
  checkTrainingMemory(c, { batch: o.batch, steps, optimizerSlots: OPTIMIZER_SLOTS[o.optimizer] ?? 2 }, "train");
  if (synthetic) checkHeapList(o.stepsPerEpoch, "--steps-per-epoch", "the seeds of an epoch's batches");
}
