// Experiment: "why not a hidden Markov model?" (the lecture's question). Fits discrete HMMs
// of growing state count N by Baum–Welch and a small LSTM by BPTT + Adam to three tasks that
// need memory — Elman's temporal XOR (2 steps), the embedded Reber grammar (one bit across
// the whole string) and copy memory (10 symbols of 3 bits across T steps) — and scores both
// with the tasks' own criteria on fresh test data. Writes the raw rows to
// docs/experiments/hmm/rows.jsonl and the report from them (scripts/experiments/hmm/report.ts,
// which can also run alone from the rows).
//
//   npm run experiments -- hmm [--steps 1500] [--lanes 2] [--out docs/experiments]
//
// Each model (one task and N, or the task's LSTM) is a child process, `lanes` at a time. The HMM
// sees each task as one symbol stream and predicts its next symbol (for copy the stream is the
// input followed by the 10 recalled symbols, so the HMM even sees the earlier recalled symbols —
// more than the RNN gets). Not a tuning study: one setting per model.
import { baumWelch, hmmParamCount, nextSymbolProbs, randomHmm, logLikelihood } from "../../src/baselines/hmm.ts";
// The public core (src/core.ts) where it has the name: files under src/ are moving.
import { Sequence, Trainer, makeOptimizer, getTask, Rng, useFastBackend } from "../../src/core.ts";
import type { TaskBatch, Task } from "../../src/data/tasks/index.ts";
import { argmax } from "../../src/data/tasks/types.ts";
import { COPY_ALPHABET, COPY_SYMBOLS } from "../../src/data/tasks/copy.ts";
import { asTrainerBatch, predictionsFrom, trainingFor } from "../../src/data/tasks/as-batch.ts";
import { writeRows } from "../rows.ts";
import { child, runLanes } from "./lanes.ts";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1]);
const STEPS = Number(args.get("steps") ?? 1500);
const OUT = args.get("out") ?? "docs/experiments";
const SETTINGS = { trainBatch: 400, testBatch: 400, restarts: 3, rnnHidden: 32, rnnBatch: 32, lr: 0.01, clip: 1, pseudoCount: 1e-3, tolerance: 1e-6, dataSeed: 7, initSeed: 3 };
const { trainBatch: TRAIN_B, testBatch: TEST_B, restarts: RESTARTS, rnnHidden: RNN_H, rnnBatch: RNN_BATCH, lr: LR } = SETTINGS;

// memory: what the task needs remembered (its definition, docs/tasks.md); em: EM iterations at most.
interface Setup { name: string; length: number; M: number; memory: string; states: number[]; em: number; storedStrings?: number }
const SETUPS: Setup[] = [
  { name: "xor", length: 30, M: 2, memory: "the previous bit and the phase (which step of each triple is the XOR)", states: [2, 4, 8, 16], em: 150 },
  { name: "reber", length: 30, M: 7, memory: "the branch symbol (1 bit) across the inner string, plus the grammar node", states: [4, 8, 16, 32], em: 150 },
  { name: "copy", length: 10, M: 10, memory: `${COPY_SYMBOLS} symbols of ${Math.log2(COPY_ALPHABET)} bits (${COPY_SYMBOLS * Math.log2(COPY_ALPHABET)} bits) across the gap`, states: [8, 16, 32], em: 50, storedStrings: COPY_ALPHABET ** COPY_SYMBOLS },
];
// The task's batch as one symbol stream per sequence (see the file comment).
function streams(task: Task, b: TaskBatch): number[][] {
  const out: number[][] = [];
  for (let j = 0; j < b.B; j++) {
    const s: number[] = [];
    if (task.name === "xor") {
      for (let t = 0; t < b.T; t++) s.push(b.x[t * b.B + j]);
      s.push(b.target[(b.T - 1) * b.B + j]);
    } else if (task.name === "reber") {
      for (let t = 0; t < b.T; t++) {
        const off = (t * b.B + j) * b.I;
        if (!b.x.subarray(off, off + b.I).some((v) => v > 0)) break;
        s.push(argmax(b.x, off, b.I));
      }
    } else { // copy: inputs up to the recall, then the recalled symbols
      const recall = b.T - 10;
      for (let t = 0; t < b.T; t++) s.push(t < recall ? argmax(b.x, (t * b.B + j) * b.I, b.I) : b.target[t * b.B + j]);
    }
    out.push(s);
  }
  return out;
}

// HMM next-symbol probabilities → the predictions the task's score takes.
function hmmPredictions(task: Task, b: TaskBatch, hmm: ReturnType<typeof randomHmm>, seqs: number[][]): Float64Array {
  const pred = new Float64Array(b.T * b.B * b.O);
  seqs.forEach((s, j) => {
    const p = nextSymbolProbs(hmm, s), M = hmm.M;
    if (task.name === "xor") for (let t = 0; t < b.T; t++) pred[t * b.B + j] = p[t * M + 1];
    else if (task.name === "reber") for (let t = 0; t < s.length - 1; t++) for (let k = 0; k < 7; k++) pred[(t * b.B + j) * 7 + k] = p[t * M + k];
    else {
      const recall = b.T - 10;
      for (let t = 0; t < b.T; t++) {
        if (t < recall) { pred[(t * b.B + j) * b.O] = 1; continue; } // blanks: given, not the HMM's
        for (let k = 0; k < b.O; k++) pred[(t * b.B + j) * b.O + k] = p[(t - 1) * M + k];
      }
    }
  });
  return pred;
}

// Sequences `idx` of a batch, as a new batch (time-major copy).
function pick(b: TaskBatch, idx: number[]): TaskBatch {
  const B = idx.length, I = b.I, per = b.target.length / (b.targetKind.endsWith("last") ? b.B : b.T * b.B);
  const x = new Float32Array(b.T * B * I), target = new Float32Array(b.targetKind.endsWith("last") ? B * per : b.T * B * per);
  const mask = b.mask ? new Float32Array(b.T * B) : undefined;
  for (let t = 0; t < b.T; t++) idx.forEach((j, n) => {
    x.set(b.x.subarray((t * b.B + j) * I, (t * b.B + j + 1) * I), (t * B + n) * I);
    if (!b.targetKind.endsWith("last")) target.set(b.target.subarray((t * b.B + j) * per, (t * b.B + j + 1) * per), (t * B + n) * per);
    if (mask && b.mask) mask[t * B + n] = b.mask[t * b.B + j];
  });
  if (b.targetKind.endsWith("last")) idx.forEach((j, n) => target.set(b.target.subarray(j * per, (j + 1) * per), n * per));
  return { ...b, B, x, target, mask };
}

// Reber's one hard step: the branch symbol again, predicted at each string's second-to-last
// real step (every other step follows from the grammar node alone). The fraction of strings
// whose prediction there puts the branch symbol first.
function branchAccuracy(pred: ArrayLike<number>, b: TaskBatch): number {
  let right = 0;
  for (let j = 0; j < b.B; j++) {
    let n = 0;
    for (let t = 0; t < b.T; t++) if (b.mask![t * b.B + j] > 0) n++;
    const off = ((n - 2) * b.B + j) * b.O;
    if (argmax(pred, off, b.O) === argmax(b.target, off, b.O)) right++;
  }
  return right / b.B;
}

interface Unit { task: string; model: "hmm" | "lstm"; N?: number }

if (args.has("unit")) runUnit(JSON.parse(args.get("unit")!) as Unit);
else await main();

/** One model on one task: prints its row as one JSON line. */
function runUnit(u: Unit): void {
  useFastBackend();
  const setup = SETUPS.find((s) => s.name === u.task)!;
  const task = getTask(setup.name), rng = new Rng(SETTINGS.dataSeed);
  const train = task.generate({ length: setup.length, batch: TRAIN_B, rng });
  const test = task.generate({ length: setup.length, batch: TEST_B, rng });
  const t0 = performance.now();
  const scored = (pred: Float64Array | Float32Array) => {
    const sc = task.score(pred, test);
    return { testAccuracy: sc.accuracy, testStepAccuracy: sc.stepAccuracy ?? null, ...(task.name === "reber" ? { branchAccuracy: branchAccuracy(pred, test) } : {}) };
  };
  let row: object;
  if (u.model === "hmm") {
    const N = u.N!, trainS = streams(task, train), testS = streams(task, test);
    // Several random starts, keep the best training likelihood (EM finds local optima).
    let best: { hmm: ReturnType<typeof randomHmm>; ll: number; iterations: number } | null = null;
    for (let r = 0; r < RESTARTS; r++) {
      const { hmm, history } = baumWelch(randomHmm(N, setup.M, new Rng(100 * N + r)), trainS, { iterations: setup.em, tolerance: SETTINGS.tolerance, pseudoCount: SETTINGS.pseudoCount });
      const ll = logLikelihood(hmm, trainS);
      if (!best || ll > best.ll) best = { hmm, ll, iterations: history.length - 1 };
    }
    row = { kind: "fit", task: setup.name, model: "hmm", N, params: hmmParamCount(best!.hmm), ...scored(hmmPredictions(task, test, best!.hmm, testS)),
      trainLogLik: best!.ll, emIterations: best!.iterations, seconds: (performance.now() - t0) / 1000 };
  } else {
    // The RNN: an LSTM, BPTT + Adam on minibatches of the same training set.
    const how = trainingFor(task.targetKind);
    const model = new Sequence({ cell: "lstm", input: task.inputSize, hidden: RNN_H, output: task.outputSize, outputActivation: how.outputActivation });
    const init = new Rng(SETTINGS.initSeed), k = 1 / Math.sqrt(RNN_H);
    for (let i = 0; i < model.paramCount; i++) model.params[i] = init.range(-k, k);
    const trainer = new Trainer(model, { loss: how.loss, manyToOne: how.manyToOne, optimizer: makeOptimizer("adam", { lr: LR }), clipNorm: SETTINGS.clip });
    for (let s = 0; s < STEPS; s++) {
      const idx = Array.from({ length: RNN_BATCH }, () => init.int(TRAIN_B));
      trainer.trainStep(asTrainerBatch(pick(train, idx)));
    }
    const tb = asTrainerBatch(test);
    const { out } = model.forward(tb.x, tb.T, tb.B, { mask: tb.mask });
    row = { kind: "fit", task: setup.name, model: "lstm", H: RNN_H, params: model.paramCount, steps: STEPS, ...scored(predictionsFrom(test, out)), seconds: (performance.now() - t0) / 1000 };
  }
  process.stdout.write(JSON.stringify(row) + "\n");
}

async function main(): Promise<void> {
  const lanes = Number(args.get("lanes") ?? 2);
  const units: Unit[] = SETUPS.flatMap((s) => [...s.states.map((N) => ({ task: s.name, model: "hmm" as const, N })), { task: s.name, model: "lstm" as const }]);
  // Largest HMMs first (Baum–Welch is O(T·N²) per sequence), so the lanes end together.
  const queue = [...units].sort((a, b) => (b.N ?? 24) - (a.N ?? 24));
  const started = new Date(), t0 = performance.now(), load0 = loadavg()[0];
  const self = fileURLToPath(import.meta.url);
  const rows = await runLanes(self, queue, lanes);
  const at = (r: Record<string, any>) => units.findIndex((u) => u.task === r.task && u.model === r.model && (u.N ?? null) === (r.N ?? null));
  const argv = process.argv.slice(2);
  const head = {
    kind: "run", command: `npm run experiments -- hmm${argv.length ? " " + argv.join(" ") : ""}`,
    date: started.toISOString(), wallSeconds: (performance.now() - t0) / 1000, lanes, units: units.length,
    cpus: availableParallelism(), cpu: cpus()[0]?.model ?? "unknown", loadAtStart: load0, loadAtEnd: loadavg()[0],
    steps: STEPS, ...SETTINGS, setups: SETUPS,
  };
  const path = join(OUT, "hmm", "rows.jsonl");
  writeRows(path, [head, ...rows.sort((a, b) => at(a) - at(b))]);
  process.stderr.write(`wrote ${path} in ${(head.wallSeconds / 60).toFixed(1)} min\n`);
  await child(["--import", "tsx", join(self, "..", "hmm", "report.ts"), "--out", OUT], "inherit");
}
