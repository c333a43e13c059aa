// Experiment: "why not a hidden Markov model?" (the lecture's question). Fits discrete HMMs
// of growing state count N by Baum–Welch and a small LSTM by BPTT + Adam to three tasks that
// need memory — Elman's temporal XOR (2 steps), the embedded Reber grammar (one bit across
// the whole string) and copy memory (10 symbols of 3 bits across T steps) — and scores both
// with the tasks' own criteria on fresh test data. Writes docs/experiments/hmm.md (+ .json).
//
//   node --import tsx scripts/experiments/hmm.ts [--steps 1500] [--out docs/experiments]
//
// The HMM sees each task as one symbol stream and predicts its next symbol (for copy the
// stream is the input followed by the 10 recalled symbols, so the HMM even sees the earlier
// recalled symbols — more than the RNN gets). Not a tuning study: one setting per model.
import { baumWelch, hmmParamCount, nextSymbolProbs, randomHmm, logLikelihood } from "../../src/baselines/hmm.ts";
import { getTask, type TaskBatch, type Task } from "../../src/data/tasks/index.ts";
import { argmax } from "../../src/data/tasks/types.ts";
import { asTrainerBatch, predictionsFrom, trainingFor } from "../../src/data/tasks/as-batch.ts";
import { Sequence } from "../../src/model/sequence.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { Rng } from "../../src/rand.ts";
import { useFastBackend } from "../../src/tensor/fast.ts";
import { writeFileAtomic } from "../../src/io/files.ts";
import { join } from "node:path";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1]);
const STEPS = Number(args.get("steps") ?? 1500);
const OUT = args.get("out") ?? "docs/experiments";
const TRAIN_B = 400, TEST_B = 400, RESTARTS = 3, RNN_H = 32, RNN_BATCH = 32, LR = 0.01;
useFastBackend();

interface Setup { name: string; length: number; M: number; memory: string; statesNeeded: string; states: number[]; em: number }
const SETUPS: Setup[] = [
  { name: "xor", length: 30, M: 2, memory: "the last 2 bits and the phase", statesNeeded: "≈ 6 (3 phases × the bit to XOR with)", states: [2, 4, 8, 16], em: 150 },
  { name: "reber", length: 30, M: 7, memory: "the branch symbol (1 bit) across the inner string, plus the grammar node", statesNeeded: "≈ 2 × 8 = 16 (branch × position in the grammar)", states: [4, 8, 16, 32], em: 150 },
  { name: "copy", length: 10, M: 10, memory: "10 symbols of 3 bits (30 bits) across the gap", statesNeeded: "8^10 ≈ 1.1e9 (every possible stored string)", states: [8, 16, 32], em: 50 },
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

interface Result { task: string; model: string; params: number; testAccuracy: number; testStepAccuracy: number; trainLogLik?: number; seconds: number }
const results: Result[] = [];
const started = Date.now();
for (const setup of SETUPS) {
  const task = getTask(setup.name), rng = new Rng(7);
  const train = task.generate({ length: setup.length, batch: TRAIN_B, rng });
  const test = task.generate({ length: setup.length, batch: TEST_B, rng });
  const trainS = streams(task, train), testS = streams(task, test);
  for (const N of setup.states) {
    const t0 = performance.now();
    // Several random starts, keep the best training likelihood (EM finds local optima).
    let best: { hmm: ReturnType<typeof randomHmm>; ll: number } | null = null;
    for (let r = 0; r < RESTARTS; r++) {
      const { hmm } = baumWelch(randomHmm(N, setup.M, new Rng(100 * N + r)), trainS, { iterations: setup.em, tolerance: 1e-6, pseudoCount: 1e-3 });
      const ll = logLikelihood(hmm, trainS);
      if (!best || ll > best.ll) best = { hmm, ll };
    }
    const sc = task.score(hmmPredictions(task, test, best!.hmm, testS), test);
    const row: Result = { task: setup.name, model: `HMM N=${N}`, params: hmmParamCount(best!.hmm), testAccuracy: sc.accuracy, testStepAccuracy: sc.stepAccuracy ?? NaN, trainLogLik: best!.ll, seconds: (performance.now() - t0) / 1000 };
    results.push(row); console.log(JSON.stringify(row));
  }
  // The RNN: an LSTM, BPTT + Adam on minibatches of the same training set.
  const t0 = performance.now(), how = trainingFor(task.targetKind);
  const model = new Sequence({ cell: "lstm", input: task.inputSize, hidden: RNN_H, output: task.outputSize, outputActivation: how.outputActivation });
  const init = new Rng(3), k = 1 / Math.sqrt(RNN_H);
  for (let i = 0; i < model.paramCount; i++) model.params[i] = init.range(-k, k);
  const trainer = new Trainer(model, { loss: how.loss, manyToOne: how.manyToOne, optimizer: makeOptimizer("adam", { lr: LR }), clipNorm: 1 });
  for (let s = 0; s < STEPS; s++) {
    const idx = Array.from({ length: RNN_BATCH }, () => init.int(TRAIN_B));
    trainer.trainStep(asTrainerBatch(pick(train, idx)));
  }
  const tb = asTrainerBatch(test);
  const { out } = model.forward(tb.x, tb.T, tb.B, { mask: tb.mask });
  const sc = task.score(predictionsFrom(test, out), test);
  const row: Result = { task: setup.name, model: `LSTM H=${RNN_H}`, params: model.paramCount, testAccuracy: sc.accuracy, testStepAccuracy: sc.stepAccuracy ?? NaN, seconds: (performance.now() - t0) / 1000 };
  results.push(row); console.log(JSON.stringify(row));
}

const f = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : "–");
const L: string[] = ["# Why not a hidden Markov model?", ""];
L.push(`Generated by \`node --import tsx scripts/experiments/hmm.ts --steps ${STEPS}\``);
L.push(`(${new Date().toISOString().slice(0, 10)}, ${f((Date.now() - started) / 60000, 1)} min on this shared 2-core machine). Raw rows: \`hmm.json\`.`, "");
L.push("## Setup", "");
L.push(`* Tasks (docs/tasks.md), ${TRAIN_B} training and ${TEST_B} fresh test sequences each:`);
for (const s of SETUPS) L.push(`  * \`${s.name}\` (--length ${s.length}): must remember ${s.memory}; an HMM needs ${s.statesNeeded} states to do it exactly.`);
L.push(`* HMM: discrete, N states, Baum–Welch (scaled forward–backward; at most ${SETUPS.map((s) => `${s.em} (${s.name})`).join(", ")} EM iterations,`);
L.push(`  pseudo-count 1e-3), best of ${RESTARTS} random starts (Dirichlet(1) rows) by training likelihood; it predicts the next symbol`);
L.push(`  of each task's symbol stream.`);
L.push(`* RNN: LSTM (H = ${RNN_H}), BPTT + Adam (lr ${LR}, clip 1), ${STEPS} steps on minibatches of ${RNN_BATCH} drawn from the same training set.`);
L.push(`* Scores are the tasks' own: xor — all XOR bits of a sequence right (step accuracy over XOR bits); reber — every next-symbol`);
L.push(`  set right in a string (H&S 1997; step accuracy over steps); copy — all steps right (step accuracy over the 10 recall steps,`);
L.push(`  chance 1/8). For copy the HMM is handed the blanks and scored on the recall only.`, "");
L.push("## Results", "", "| task | model | parameters | sequences correct | step accuracy | seconds |", "|---|---|---|---|---|---|");
for (const r of results) L.push(`| ${r.task} | ${r.model} | ${r.params} | ${f(r.testAccuracy)} | ${f(r.testStepAccuracy)} | ${f(r.seconds, 1)} |`);
L.push("", "<!-- discussion -->", "");
const mdPath = join(OUT, "hmm.md");
let discussion = "";
try {
  const { readFileSync } = await import("node:fs");
  const old = readFileSync(mdPath, "utf8"), i = old.indexOf("<!-- discussion -->");
  if (i >= 0) discussion = old.slice(i + "<!-- discussion -->".length).replace(/^\n+/, "");
} catch { /* first run */ }
writeFileAtomic(join(OUT, "hmm.json"), JSON.stringify({ results }, null, 1) + "\n");
writeFileAtomic(mdPath, L.join("\n") + discussion);
console.log(`wrote ${mdPath}`);
