// The options of `recurrent train`: one flat object that comes from a JSON config file,
// the command-line flags (flags win) and, on --resume, the options saved with the run.
// Defaults depend on the task (a character model and a forecaster want different sizes).
// Validation here is about values only; whether files exist is the task loaders' job.
// Not here: parsing argv (commander, in commands/train.ts) or running anything.
import { readFileSync } from "node:fs";
import { RecurrentError, brief, check, checkInt, checkOneOf } from "../../errors.ts";
import { cellSpec, cellsWhere } from "../../cells/registry.ts";
import { reads } from "../../cells/spec.ts";
import { CELLS, type CellKind } from "../../model/config.ts";
import { checkInitScheme, type InitScheme } from "../../model/initialize.ts";
import { OPTIMIZER_NAMES, type OptimizerName } from "../../train/optim/index.ts";
import { LOSS_REDUCTIONS, type LossReduction } from "../../train/trainer.ts";
import { TASK_NAMES } from "../../data/tasks/index.ts";
import { FILL_POLICIES, type FillPolicy } from "../../data/series.ts";
import { parseScheduleFlag } from "./schedule-flag.ts";
import { BACKEND_CHOICES, type BackendChoice } from "../../tensor/default-backend.ts";

export const DATA_TASKS = ["charlm", "wordlm", "forecast", "classify"] as const;
export type DataTask = (typeof DATA_TASKS)[number];

export interface TrainOptions {
  task: string;
  cell: CellKind;
  hidden: number;
  layers: number;
  /** Jordan state size S (default: the output size). */
  state?: number;
  /** Language models: embedding size E (token ids through an embedding); 0 = one-hot inputs. */
  embedding?: number;
  /** Dropout p in training on the embedding's output, between layers and before the head (0 = none). */
  dropout: number;
  /** Every layer reads each sequence both ways (PyTorch's bidirectional=True). */
  bidirectional: boolean;
  /** charlm/wordlm: steps per chunk (truncated BPTT length); synthetic: --length. */
  seq: number;
  batch: number;
  /** Epochs (0 = only the time limit bounds the run). */
  epochs: number;
  /** Seconds of training, summed over resumes (0 = none). */
  timeLimit: number;
  optimizer: OptimizerName;
  lr: number;
  /** A learning-rate schedule over updates (./schedule-flag.ts syntax); absent: constant --lr. */
  lrSchedule?: string;
  /** What a non-finite or diverging loss does: stop the run, or reload the last checkpoint
   *  with the learning rate halved (at most 3 times per invocation). */
  onNonfinite: "stop" | "rollback";
  /** Global-norm clipping (0 = off). */
  clip: number;
  /** What the gradient is of: the mean loss, or the per-step means summed over the chunk's
   *  steps (Zaremba et al.'s language models; charlm/wordlm only). */
  lossReduction: LossReduction;
  seed: number;
  init: InitScheme;
  /** Evaluations without improvement before stopping (0 = never stop early). */
  patience: number;
  /** Also evaluate every N updates (0 = once per epoch only). */
  evalEvery: number;
  /** Evaluate often enough for at least this many evaluations in the run (a curve even for short runs). */
  minEvaluations: number;
  /** GEMM threads (0 = one per core). */
  threads: number;
  /** The kernels: auto (FMA where this Node runs relaxed SIMD), fma, simd (no FMA) or reference. */
  backend: BackendChoice;
  // Inputs.
  text?: string;
  validText?: string;
  testText?: string;
  maxVocab?: number;
  csv?: string;
  target?: string;
  features?: string[];
  date?: string;
  horizon?: number;
  window?: number;
  season?: number;
  fill?: FillPolicy;
  sequences?: string;
  labels?: string;
  /** classify: the labels file's class column (default "label"). */
  labelColumn?: string;
  /** Validation and test shares (or counts for series). */
  val?: number;
  test?: number;
  trainSize?: number;
  /** Synthetic tasks: batches per epoch. */
  stepsPerEpoch: number;
  /** Record gradient-flow diagnostics in metrics.jsonl and plot them (gradients.svg/png). */
  logGradients: boolean;
  /** With logGradients: the per-step norms every N-th evaluation (the clipping figures at every one). */
  logGradientsEvery: number;
}

/** The keys a config file may hold: every option (camelCase, as in TrainOptions). */
const KEYS = new Set(["task", "cell", "hidden", "layers", "state", "embedding", "dropout", "bidirectional", "seq", "batch", "epochs", "timeLimit", "optimizer", "lr", "lrSchedule", "onNonfinite", "clip",
  "lossReduction", "seed", "init", "patience", "evalEvery", "minEvaluations", "threads", "backend", "text", "validText", "testText", "maxVocab", "csv", "target", "features", "date",
  "horizon", "window", "season", "fill", "sequences", "labels", "labelColumn", "val", "test", "trainSize", "stepsPerEpoch", "logGradients", "logGradientsEvery"]);

/** Task-specific defaults: sizes that train well in minutes on a laptop CPU. */
export function defaultsFor(task: string): Omit<TrainOptions, "task"> {
  const common = { cell: "lstm" as CellKind, layers: 1, optimizer: "adam" as OptimizerName, seed: 1, init: "pytorch" as InitScheme, timeLimit: 0, evalEvery: 0, minEvaluations: 10, threads: 0, backend: "auto" as BackendChoice, onNonfinite: "stop" as const, lossReduction: "mean" as LossReduction, stepsPerEpoch: 50, logGradients: false, logGradientsEvery: 1, dropout: 0, bidirectional: false };
  switch (task) {
    case "charlm": return { ...common, hidden: 128, seq: 64, batch: 32, epochs: 10, lr: 2e-3, clip: 5, patience: 3 };
    // Zaremba et al.'s small configuration sizes (2 × 200, 35 steps, batch 20), trained with Adam.
    case "wordlm": return { ...common, hidden: 200, layers: 2, embedding: 200, seq: 35, batch: 20, epochs: 13, lr: 2e-3, clip: 5, patience: 3 };
    case "forecast": return { ...common, hidden: 32, seq: 0, batch: 32, epochs: 200, lr: 3e-3, clip: 1, patience: 20 };
    case "classify": return { ...common, hidden: 32, seq: 0, batch: 16, epochs: 150, lr: 3e-3, clip: 1, patience: 30 };
    default: return { ...common, hidden: 32, seq: 0, batch: 32, epochs: 40, lr: 3e-3, clip: 1, patience: 0 };
  }
}

/** Reads a JSON config file of options (camelCase or kebab-case keys); unknown keys fail. */
export function readConfigFile(path: string): Partial<TrainOptions> {
  let text: string;
  try { text = readFileSync(path, "utf8"); }
  catch { throw new RecurrentError(`--config ${path}: expected a readable JSON file, got no such file`); }
  let json: unknown;
  try { json = JSON.parse(text); }
  catch (e) { throw new RecurrentError(`--config ${path}: expected JSON, got a parse error (${brief((e as Error).message)})`); }
  check(typeof json === "object" && json !== null && !Array.isArray(json), `--config ${path}`, "a JSON object of options", json);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    const key = k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    check(KEYS.has(key), `--config ${path}`, `option names among ${[...KEYS].join(", ")}`, k);
    out[key] = v;
  }
  return out as Partial<TrainOptions>;
}

/** Layers the sources (later wins), fills the task's defaults and validates every value. */
export function resolveOptions(...sources: Array<Partial<TrainOptions> | undefined>): TrainOptions {
  const given: Record<string, unknown> = {};
  for (const s of sources) for (const [k, v] of Object.entries(s ?? {})) if (v !== undefined) given[k] = v;
  if (given.task === undefined) throw new RecurrentError(`--task: expected one of ${[...DATA_TASKS, ...TASK_NAMES].join("|")}, got nothing`);
  const task = checkOneOf(given.task, [...DATA_TASKS, ...TASK_NAMES], "--task");
  const o = { task, ...defaultsFor(task), ...given } as TrainOptions;
  checkOneOf(o.cell, CELLS, "--cell");
  checkOneOf(o.optimizer, OPTIMIZER_NAMES, "--optimizer");
  checkInitScheme(o.init, "--init");
  checkOneOf(o.onNonfinite, ["stop", "rollback"] as const, "--on-nonfinite");
  checkOneOf(o.lossReduction, LOSS_REDUCTIONS, "--loss-reduction");
  // Summed over time is defined for a loss at every step of unpadded chunks: the language models.
  if (o.lossReduction === "sum-over-time") check(task === "charlm" || task === "wordlm", "--loss-reduction", "sum-over-time only with --task charlm|wordlm", `--task ${task}`);
  checkOneOf(o.backend, BACKEND_CHOICES, "--backend");
  checkInt(o.hidden, "--hidden"); checkInt(o.layers, "--layers"); checkInt(o.batch, "--batch");
  checkInt(o.seq, "--seq", 0); checkInt(o.epochs, "--epochs", 0); checkInt(o.seed, "--seed", 0);
  checkInt(o.patience, "--patience", 0); checkInt(o.evalEvery, "--eval-every", 0); checkInt(o.minEvaluations, "--min-evaluations", 0); checkInt(o.threads, "--threads", 0);
  checkInt(o.stepsPerEpoch, "--steps-per-epoch");
  check(typeof o.logGradients === "boolean", "--log-gradients", "true or false", o.logGradients);
  checkInt(o.logGradientsEvery, "--log-gradients-every");
  if (o.state !== undefined) { checkInt(o.state, "--state"); check(reads(cellSpec(o.cell), "state"), "--state", `only with --cell ${cellsWhere((s) => reads(s, "state")).map((s) => s.name).join("|")}`, o.state); }
  check(typeof o.dropout === "number" && o.dropout >= 0 && o.dropout < 1, "--dropout", "a probability in [0, 1)", o.dropout);
  check(typeof o.bidirectional === "boolean", "--bidirectional", "true or false", o.bidirectional);
  if (o.bidirectional) {
    const spec = cellSpec(o.cell);
    check(!spec.feedsBackOutput, "--bidirectional", `--cell ${cellsWhere((s) => !s.feedsBackOutput).map((s) => s.name).join("|")} (a ${spec.title} network feeds its own output back in time)`, `--cell ${o.cell}`);
    // A next-symbol predictor's target is its next input, which the reverse direction reads.
    check(!["charlm", "wordlm", "reber"].includes(task), "--bidirectional", "a task whose targets are not its next inputs (the reverse direction would read the next token it predicts)", `--task ${task}`);
    check(!o.logGradients, "--bidirectional", "no --log-gradients (its per-step gradients run the model one step at a time)", "--log-gradients");
  }
  if (o.embedding !== undefined) { checkInt(o.embedding, "--embedding", 0); check(o.embedding === 0 || o.task === "charlm" || o.task === "wordlm", "--embedding", "only with --task charlm|wordlm", o.embedding); }
  for (const k of ["lr", "timeLimit", "clip"] as const) {
    check(typeof o[k] === "number" && Number.isFinite(o[k]) && o[k] >= 0, `--${kebab(k)}`, "a finite number >= 0", o[k]);
  }
  check(o.lr > 0, "--lr", "a number > 0", o.lr);
  if (o.lrSchedule !== undefined) { check(typeof o.lrSchedule === "string", "--lr-schedule", "a schedule spec", o.lrSchedule); parseScheduleFlag(o.lrSchedule, o.lr, o.epochs > 0 ? o.epochs : null, 1); }
  check(o.epochs > 0 || o.timeLimit > 0, "--epochs", "a number of epochs > 0, or a --time-limit", o.epochs);
  for (const k of ["horizon", "window", "season", "maxVocab", "trainSize"] as const) if (o[k] !== undefined) checkInt(o[k], `--${kebab(k)}`);
  if (o.fill !== undefined) checkOneOf(o.fill, FILL_POLICIES, "--fill");
  if (o.features !== undefined) check(Array.isArray(o.features) && o.features.every((f) => typeof f === "string"), "--features", "column names", o.features);
  for (const k of ["val", "test"] as const) if (o[k] !== undefined) check(typeof o[k] === "number" && o[k]! >= 0, `--${k}`, "a share in [0, 1) or a count", o[k]);
  if (task === "charlm" || task === "wordlm") {
    check(typeof o.text === "string", "--text", `a text file for --task ${task}`, "none");
    checkInt(o.seq, "--seq");
  }
  if (task === "forecast") check(typeof o.csv === "string", "--csv", "a CSV file for --task forecast", "none");
  if (task === "classify") {
    check(typeof o.sequences === "string", "--sequences", "a sequences CSV for --task classify", "none");
    check(typeof o.labels === "string", "--labels", "a labels CSV for --task classify", "none");
  }
  return o;
}

/** Options a resumed run may change: they steer the rest of the run without making its past
 *  (weights, optimiser state, data order) mean something else. Everything else is fixed. */
export const RESUMABLE_OPTIONS = ["lr", "lrSchedule", "onNonfinite", "epochs", "timeLimit", "clip", "evalEvery", "minEvaluations", "patience", "threads", "backend"] as const;

/**
 * The options of a resumed run: the saved ones, then a config file's, then the flags'.
 * A source that changes an option outside RESUMABLE_OPTIONS is refused with one line (a
 * different cell, size, task, data or seed is a different run, not a continuation).
 * Returns the options and the changes, as "--lr 0.003 → 0.001" lines for the log.
 */
export function resumeOptions(saved: TrainOptions, ...sources: Array<Partial<TrainOptions> | undefined>): { options: TrainOptions; changes: string[] } {
  const before = resolveOptions(saved);           // with the defaults of options added since it was saved
  const options = resolveOptions(before, ...sources);
  const changes: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(options)]) as Set<keyof TrainOptions>) {
    const was = JSON.stringify(before[key]), now = JSON.stringify(options[key]);
    if (was === now) continue;
    if (!(RESUMABLE_OPTIONS as readonly string[]).includes(key)) {
      throw new RecurrentError(`--${kebab(key)}: cannot change on --resume (the saved run has ${was ?? "none"}; only ${RESUMABLE_OPTIONS.map((k) => `--${kebab(k)}`).join(", ")} may change), got ${now}`);
    }
    changes.push(`--${kebab(key)} ${was} → ${now}`);
  }
  return { options, changes };
}

export function kebab(k: string): string { return k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`); }
