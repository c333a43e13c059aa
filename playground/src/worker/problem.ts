// The page's three kinds of task as what fit() trains on, built from the library's data pieces
// the command line uses, so a model trained here is the model `recurrent train` would make
// from the same options and seed (and its config.json "task" record is the CLI's):
//   synthetic   src/cli/tasks/synthetic.ts itself (fresh batches per epoch, a fixed validation
//               batch of 512 by the task's own criterion)
//   forecast    a shipped CSV through prepareForecast, windows as src/cli/tasks/forecast.ts cuts them
//   charlm      textData: a text as parallel character streams, state carried between chunks
// Each also gives the fixed batches the views read (a probe of a few sequences for gradients and
// the unrolled network) and the task's output view. Not here: training (./session.ts).
import { Rng } from "../../../src/rand.ts";
import type { Network } from "../../../src/model/network.ts";
import type { Trainer, Batch } from "../../../src/train/trainer.ts";
import type { Evaluation, TrainData } from "../../../src/train/fit.ts";
import { evaluateData } from "../../../src/train/fit.ts";
import type { LossKind } from "../../../src/train/loss.ts";
import type { OutputActivation } from "../../../src/model/config.ts";
import { getTask, type Task, type TaskBatch } from "../../../src/data/tasks/index.ts";
import { asTrainerBatch, predictionsFrom, trainingFor } from "../../../src/data/tasks/as-batch.ts";
import { syntheticProblem } from "../../../src/cli/tasks/synthetic.ts";
import type { TrainOptions } from "../../../src/cli/options/train-options.ts";
import type { LmRecord } from "../../../src/cli/tasks/lm.ts";
import type { ForecastRecord } from "../../../src/cli/tasks/forecast.ts";
import { parseCsv } from "../../../src/data/csv.ts";
import { prepareForecast, type ForecastData } from "../../../src/data/prepare-forecast.ts";
import { forecastWindows } from "../../../src/train/forecast-windows.ts";
import { epochOrder, forecastBatch, sliceBatches, lmBatch } from "../../../src/data/batches.ts";
import { compareForecasts } from "../../../src/baselines/forecast-eval.ts";
import { lmScores } from "../../../src/baselines/metrics.ts";
import { textData } from "../../../src/data/datasets.ts";
import { LmBatches, type LmChunk } from "../../../src/data/lm-batches.ts";
import type { Vocab } from "../../../src/data/vocab.ts";
import type { StandardScaler } from "../../../src/data/scaler.ts";
import { RecurrentError } from "../../../src/errors.ts";
import { sampleTokens } from "../../../src/model/sample.ts";
import type { WindowSet } from "../../../src/data/windows.ts";
import type { Vec } from "../../../src/tensor/types.ts";
import type { PlaygroundConfig } from "../config.ts";
import type { OutputView } from "../protocol.ts";

export interface PageProblem {
  kind: "synthetic" | "forecast" | "charlm";
  train: TrainData;
  validate: (model: Network, trainer: Trainer) => Evaluation;
  input: number;
  output: number;
  outputActivation: OutputActivation;
  loss: LossKind;
  manyToOne: boolean;
  /** config.json's "task": what `recurrent eval/generate/forecast --model` rebuild the task from. */
  record: Record<string, unknown>;
  describe: string;
  /** The loss a trivial predictor reaches, when the task defines one. */
  baseline: { loss: number; what: string } | null;
  /** A fixed batch of a few sequences: gradient norms and the unrolled view read it. */
  probe: Batch;
  /** A fixed batch to minimise for gradient-free methods (they need one objective). */
  fixed(): Batch;
  /** The task's output view of the model as it is now; `row` picks the probe sequence shown. */
  outputView(model: Network, row: number, temperature: number): OutputView;
}

/** Rows of the probe batch (gradients are over all of them; the unrolled view shows one). */
export const PROBE_ROWS = 8;

/** The shipped series and the text, and what an imported model brings (its vocabulary, scaler, inputs). */
export interface ProblemOptions {
  airline: string;
  sunspots: string;
  text: string;
  saved?: { vocab?: Vocab; ids?: boolean; scaler?: StandardScaler };
}

export function buildProblem(c: PlaygroundConfig, o: ProblemOptions): PageProblem {
  if (c.task === "forecast") return forecastProblem(c, c.series === "airline" ? o.airline : o.sunspots, o.saved?.scaler);
  if (c.task === "charlm") return charProblem(c, o.text, o.saved?.vocab, o.saved?.ids ?? false);
  return synthetic(c);
}

/** Jordan teacher forcing: the target of the previous step fed back, y*_{t−1} (T, B, O), zeros at
 *  t = 0; class targets (T, B) become one-hot vectors. Null for a network that feeds back its own output. */
export function teacherOf(b: Batch, O: number): Vec | null {
  const { T, B } = b, y = b.targets as ArrayLike<number>;
  const classes = y.length === T * B && O > 1;
  if (!classes && y.length !== T * B * O) return null;
  const t = new Float32Array(T * B * O);
  for (let s = 1; s < T; s++) for (let k = 0; k < B; k++) {
    const to = (s * B + k) * O, from = (s - 1) * B + k;
    if (classes) t[to + y[from]] = 1;
    else for (let o = 0; o < O; o++) t[to + o] = y[from * O + o];
  }
  return t;
}

/** The batches of a problem with the teacher's targets added (a teacher-forced Jordan network). */
function withTeacher(p: PageProblem, teacher: boolean): PageProblem {
  if (!teacher) return p;
  const add = (b: Batch): Batch => ({ ...b, teacher: teacherOf(b, p.output) });
  const train: TrainData = { ...p.train, batch: (i) => add(p.train.batch(i)), startEpoch: p.train.startEpoch?.bind(p.train) };
  Object.defineProperty(train, "batchesPerEpoch", { get: () => p.train.batchesPerEpoch });
  return { ...p, train, probe: add(p.probe), fixed: () => add(p.fixed()) };
}

function synthetic(c: PlaygroundConfig): PageProblem {
  const task = getTask(c.task);
  // The command line's own problem: the same batches from the same seed, the same validation.
  const p = syntheticProblem({ task: c.task, seq: c.length, seed: c.seed, stepsPerEpoch: 50, batch: c.batch } as TrainOptions);
  const how = trainingFor(task.targetKind);
  const probeTask = task.generate({ length: c.length, batch: PROBE_ROWS, rng: new Rng(c.seed + 104729) });
  const fixedTask = () => task.generate({ length: c.length, batch: 128, rng: new Rng(c.seed + 1) });
  const base = task.baseline(c.length);
  const teacher = c.cell === "jordan" && c.feedback === "teacher";
  // A teacher-forced Jordan net needs the targets fed back in validation too: the CLI's
  // validation (same batch, same criterion) with them added.
  const val = teacher ? task.generate({ length: c.length, batch: 512, rng: new Rng(c.seed + 7919) }) : null;
  const validate = val ? (model: Network, trainer: Trainer): Evaluation => {
    const tb = asTrainerBatch(val);
    const b = { ...tb, teacher: teacherOf(tb, task.outputSize) };
    const loss = trainer.evaluate(b).loss;
    const { out } = model.forward(b.x, b.T, b.B, { mask: b.mask, teacher: b.teacher });
    const sc = task.score(predictionsFrom(val, out), val);
    return { loss, metrics: { accuracy: sc.accuracy, ...(sc.stepAccuracy !== undefined ? { step_accuracy: sc.stepAccuracy } : {}), baseline_loss: base.loss } };
  } : p.validate;
  return withTeacher({
    kind: "synthetic", train: p, validate, input: task.inputSize, output: task.outputSize, outputActivation: how.outputActivation,
    loss: how.loss, manyToOne: how.manyToOne, record: p.record, describe: p.describe,
    baseline: { loss: base.loss, what: base.predictor },
    probe: asTrainerBatch(probeTask),
    fixed: () => asTrainerBatch(fixedTask()),
    outputView: (model, row) => syntheticOutput(model, task, probeTask, row, teacher),
  }, teacher);
}

function syntheticOutput(model: Network, task: Task, b: TaskBatch, row: number, teacher: boolean): OutputView {
  const tb = asTrainerBatch(b);
  const { out } = model.forward(tb.x, tb.T, tb.B, { mask: tb.mask, teacher: teacher ? teacherOf(tb, task.outputSize) : null });
  const pred = predictionsFrom(b, out);
  const score = task.score(pred, b);
  const { T, B, O } = b;
  if (b.targetKind === "regression-last") {
    return { kind: "scatter", title: `${task.name}: prediction against target (${B} probe sequences)`, target: Array.from(b.target), prediction: Array.from(pred), accuracy: score.accuracy, tolerance: 0.04 };
  }
  if (b.targetKind === "class-last") {
    const probs: number[][] = [];
    for (let k = 0; k < B; k++) probs.push(softmax(pred.subarray(k * O, (k + 1) * O)));
    return { kind: "classes", title: `${task.name}: class probabilities (rows: probe sequences)`, target: Array.from(b.target), probs, accuracy: score.accuracy };
  }
  // Every-step tasks: the chosen sequence, step by step.
  const r = Math.min(row, B - 1);
  const steps: Array<{ target: number[]; prediction: number[]; scored: boolean }> = [];
  for (let t = 0; t < T; t++) {
    const scored = !b.mask || b.mask[t * B + r] > 0;
    if (b.targetKind === "class-every-step") {
      steps.push({ target: [b.target[t * B + r]], prediction: softmax(pred.subarray((t * B + r) * O, (t * B + r + 1) * O)), scored });
    } else {
      steps.push({ target: Array.from(b.target.subarray((t * B + r) * O, (t * B + r + 1) * O)), prediction: Array.from(pred.subarray((t * B + r) * O, (t * B + r + 1) * O)), scored });
    }
  }
  return { kind: "steps", title: `${task.name}: sequence ${r}, target and prediction at every step`, classes: b.targetKind === "class-every-step", outputs: O, steps, accuracy: score.accuracy, stepAccuracy: score.stepAccuracy ?? null };
}

function softmax(v: ArrayLike<number>): number[] {
  let m = -Infinity;
  for (let i = 0; i < v.length; i++) m = Math.max(m, v[i]);
  const e = Array.from(v, (x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

// --- forecasts -------------------------------------------------------------------------------

const SERIES_FILES: Record<string, string> = { airline: "airline_passengers.csv", sunspots: "sunspots_monthly.csv" };

function forecastProblem(c: PlaygroundConfig, csv: string, scaler?: StandardScaler): PageProblem {
  const file = SERIES_FILES[c.series];
  const data = prepareForecast(parseCsv(csv, file), { ...(c.window ? { window: c.window } : {}), ...(c.horizon ? { horizon: c.horizon } : {}), ...(scaler ? { scaler } : {}) });
  const cfg = data.config, n = data.series.n, H = cfg.horizon;
  const record: ForecastRecord = { kind: "forecast", config: cfg, scaler: data.scaler.toJSON(), fill: "error" };
  let batches: Int32Array[] = [];
  const nTrain = data.train.starts.length;
  const train: TrainData = {
    batchesPerEpoch: Math.ceil(nTrain / c.batch), manyToOne: true,
    startEpoch: (rng) => { batches = sliceBatches(epochOrder(nTrain, rng), c.batch); },
    batch: (i) => forecastBatch(data.scaled, n, data.train, batches[i]),
    units: (b) => b.B,
  };
  const validate = (model: Network): Evaluation => {
    const f = forecastWindows(model, data, data.val);
    const cmp = compareForecasts(data.target, data.val.starts, H, f.pred, data.bounds.trainEnd, cfg.season);
    return { loss: f.loss, metrics: { mae: cmp.model!.mae, rmse: cmp.model!.rmse, mase: cmp.model!.mase, naive_mae: cmp.naive.mae, ...(cmp.seasonalNaive ? { seasonal_naive_mae: cmp.seasonalNaive.mae } : {}) } };
  };
  const probeItems = Int32Array.from({ length: Math.min(PROBE_ROWS, data.val.starts.length) }, (_, k) => k);
  const b = data.bounds;
  return {
    kind: "forecast", train, validate, input: data.series.f, output: H, outputActivation: "linear", loss: "mse", manyToOne: true, record: record as unknown as Record<string, unknown>,
    describe: `${file}: ${n} months of ${cfg.target}, split ${b.trainEnd}/${b.valEnd - b.trainEnd}/${b.n - b.valEnd}; window ${cfg.window}, horizon ${H}; ${nTrain} training windows`,
    baseline: null,
    probe: forecastBatch(data.scaled, n, data.val, probeItems),
    fixed: () => forecastBatch(data.scaled, n, data.train, Int32Array.from({ length: nTrain }, (_, k) => k)),
    outputView: (model) => {
      const f = forecastWindows(model, data, data.val);
      const cmp = compareForecasts(data.target, data.val.starts, H, f.pred, data.bounds.trainEnd, cfg.season);
      // One-step-ahead forecasts of every validation window, and the whole horizon from the last one.
      const oneStep = Array.from(data.val.starts, (s, k) => [s, f.pred[k * H]] as [number, number]);
      const lastK = data.val.starts.length - 1, lastStart = data.val.starts[lastK];
      const horizon = Array.from({ length: H }, (_, h) => [lastStart + h, f.pred[lastK * H + h]] as [number, number]);
      return {
        kind: "forecast", title: `${cfg.target}: validation forecasts (${data.val.starts.length} windows)`,
        dates: data.series.dates ? Array.from(data.series.dates, String) : null,
        actual: Array.from(data.target), trainEnd: b.trainEnd, valEnd: b.valEnd, oneStep, horizon,
        mae: cmp.model!.mae, naiveMae: cmp.naive.mae, seasonalMae: cmp.seasonalNaive?.mae ?? null,
      };
    },
  };
}

// --- character model -------------------------------------------------------------------------

function charProblem(c: PlaygroundConfig, text: string, vocab: Vocab | undefined, ids: boolean): PageProblem {
  if (text.trim().length === 0) throw new RecurrentError("text: expected some text to model (paste any text, or reset to the Shakespeare excerpt), got an empty text");
  const d = textData(text, { level: "char", batchSize: c.batch, seqLength: c.seq, validation: 0.1, vocab, ids });
  const V = d.vocab.size;
  const record: LmRecord = { kind: "charlm", vocab: d.vocab.toJSON(), seq: c.seq, separate: false, val: 0.1, test: 0 };
  const chars = Array.from(text).length;
  const all = d.encode(text);
  // The probe: the first chunk of a few streams over the validation part (the whole text if that is short).
  const valIds = all.subarray(Math.round(all.length * 0.9));
  const probeIds = valIds.length > 2 * (c.seq + 1) ? valIds : all;
  const probeStream = new LmBatches(probeIds, Math.min(PROBE_ROWS, Math.max(1, Math.floor(probeIds.length / (c.seq + 1)))), c.seq, { where: "text" });
  const asBatch = (ch: LmChunk): Batch => ids ? { x: Float32Array.from(ch.x), T: ch.T, B: ch.B, targets: ch.y } : lmBatch(ch, V);
  const probe = asBatch(probeStream.chunk(0));
  const promptSource = text.slice(0, 200);
  const prompt = (promptSource.split("\n").find((l) => l.trim().length > 0) ?? promptSource).slice(0, 20);
  const teacher = c.cell === "jordan" && c.feedback === "teacher";
  const validation = teacher && d.validation ? { ...d.validation, batch: (i: number) => { const b = d.validation!.batch(i); return { ...b, teacher: teacherOf(b, V) }; } } as TrainData : d.validation;
  return withTeacher({
    kind: "charlm", train: d.train, input: V, output: V, outputActivation: "softmax", loss: "ce", manyToOne: false, record: record as unknown as Record<string, unknown>,
    validate: (_model, trainer): Evaluation => {
      if (!validation) return { loss: NaN, metrics: {} };
      const e = evaluateData(trainer, validation);
      const s = lmScores(e.loss);
      return { loss: e.loss, metrics: { bits: s.bits, perplexity: s.perplexity } };
    },
    describe: `text of ${chars.toLocaleString("en-US")} characters, vocabulary ${V}; ${d.train.batchesPerEpoch} chunks of ${c.batch} streams × ${c.seq} steps per epoch`,
    baseline: { loss: Math.log(V), what: `uniform over ${V} characters` },
    probe,
    fixed: () => asBatch(new LmBatches(all, Math.min(32, Math.max(1, Math.floor(all.length / (c.seq + 1)))), c.seq).chunk(0)),
    outputView: (model, _row, temperature) => {
      const p = d.encode(prompt);
      const out = sampleTokens(model, { prompt: p, length: 300, temperature, rng: new Rng(c.seed) });
      return { kind: "text", title: `sampled text (temperature ${temperature})`, prompt, text: d.decode(out), temperature };
    },
  }, teacher);
}
