// Experiment: would gradient-free optimisers help with vanishing gradients? Trains small
// Elman and LSTM networks on the adding problem (Hochreiter & Schmidhuber 1997) at several
// lengths T with BPTT + Adam and with GA, simulated annealing, PSO and CMA-ES, all at the
// same number of loss evaluations on the same fixed training set from the same initial
// weights, and writes docs/experiments/gradient-free.md (+ .json and a chart).
//
//   node --import tsx scripts/experiments/gradient-free.ts [--budget 2000] [--lengths 10,20,40]
//     [--seeds 3] [--cells elman,lstm] [--methods adam,ga,anneal,pso,cmaes] [--out docs/experiments]
//     [--from a.json,b.json]   (report only, from the rows of earlier runs, e.g. one per cell run
//                               in parallel with --out /tmp/x; the JSON keeps every run's figures)
//
// Not a tuning study: every method runs with one fixed, stated setting.
import { Sequence } from "../../src/model/sequence.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { getTask } from "../../src/data/tasks/index.ts";
import { asTrainerBatch, predictionsFrom, trainingFor } from "../../src/data/tasks/as-batch.ts";
import { getMinimiser } from "../../src/evolve/index.ts";
import { Rng } from "../../src/rand.ts";
import { useFastBackend } from "../../src/tensor/fast.ts";
import { writeFileAtomic } from "../../src/io/files.ts";
import { writeChart } from "../../src/plot/chart.ts";
import { join } from "node:path";
import { readFileSync } from "node:fs";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1]);
const BUDGET = Number(args.get("budget") ?? 2000);
const LENGTHS = (args.get("lengths") ?? "10,20,40").split(",").map(Number);
const SEEDS = Number(args.get("seeds") ?? 3);
const CELLS = (args.get("cells") ?? "elman,lstm").split(",") as Array<"elman" | "lstm">;
const METHODS = (args.get("methods") ?? "adam,ga,anneal,pso,cmaes").split(",");
const OUT = args.get("out") ?? "docs/experiments";
const TASK = "adding";
const HIDDEN: Record<string, number> = { elman: 8, lstm: 4 };   // ~100 parameters each
const TRAIN_B = 128, TEST_B = 1000, SIGMA = 0.2, ADAM_LR = 0.01, CLIP = 1;

useFastBackend();
const task = getTask(TASK);
const how = trainingFor(task.targetKind);

interface Row {
  cell: string; T: number; seed: number; method: string; params: number;
  evaluations: number; trainLoss: number; testMse: number; testAccuracy: number; seconds: number;
  adamThirdMse?: number; // Adam after budget/3 steps: equal compute (a step costs ~3 forwards)
}

function initParams(m: Sequence, rng: Rng): Float64Array {
  // PyTorch's default for RNN layers and Linear heads alike: U(-1/√H, 1/√H).
  const k = 1 / Math.sqrt(m.config.hidden);
  return Float64Array.from({ length: m.paramCount }, () => rng.range(-k, k));
}

function evaluateTest(m: Sequence, tr: Trainer, test: ReturnType<typeof task.generate>) {
  const b = asTrainerBatch(test);
  const mse = tr.evaluate(b).loss;
  const { out } = m.forward(b.x, b.T, b.B);
  return { mse, accuracy: task.score(predictionsFrom(test, out), test).accuracy };
}

const FROM = args.get("from")?.split(",") ?? [];
const rows: Row[] = FROM.flatMap((f) => (JSON.parse(readFileSync(f, "utf8")) as { rows: Row[] }).rows);
const started = Date.now();
for (const cell of FROM.length ? [] : CELLS) {
  for (const T of LENGTHS) {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const dataRng = new Rng(1000 * seed + T);
      const train = task.generate({ length: T, batch: TRAIN_B, rng: dataRng });
      const test = task.generate({ length: T, batch: TEST_B, rng: dataRng });
      const model = new Sequence({ cell, input: task.inputSize, hidden: HIDDEN[cell], output: task.outputSize, outputActivation: how.outputActivation });
      const x0 = initParams(model, new Rng(seed));
      const trainBatch = asTrainerBatch(train);
      for (const method of METHODS) {
        const t0 = performance.now();
        const trainer = new Trainer(model, { loss: how.loss, manyToOne: how.manyToOne, optimizer: makeOptimizer("adam", { lr: ADAM_LR }), clipNorm: CLIP });
        let trainLoss: number, evaluations: number, adamThirdMse: number | undefined;
        if (method === "adam" || method === "adam-fresh") {
          // adam: full-batch steps on the fixed training set, like every other method here;
          // adam-fresh: each step on a fresh batch of the same size (the papers' online setting).
          model.params.set(x0);
          trainLoss = NaN;
          const fresh = new Rng(7777 + seed);
          for (let s = 1; s <= BUDGET; s++) {
            const b = method === "adam" ? trainBatch : asTrainerBatch(task.generate({ length: T, batch: TRAIN_B, rng: fresh }));
            trainLoss = trainer.trainStep(b).loss;
            if (s === Math.round(BUDGET / 3)) adamThirdMse = evaluateTest(model, trainer, test).mse;
          }
          evaluations = BUDGET;
          trainLoss = trainer.evaluate(trainBatch).loss;
        } else {
          const f = (p: Float64Array) => { model.params.set(p); return trainer.evaluate(trainBatch).loss; };
          const r = getMinimiser(method)(f, x0, { budget: BUDGET, sigma: SIGMA }, new Rng(seed));
          model.params.set(r.best);
          trainLoss = r.bestLoss; evaluations = r.evaluations;
        }
        const { mse, accuracy } = evaluateTest(model, trainer, test);
        const row: Row = { cell, T, seed, method, params: model.paramCount, evaluations, trainLoss, testMse: mse, testAccuracy: accuracy, seconds: (performance.now() - t0) / 1000, adamThirdMse };
        rows.push(row);
        console.log(JSON.stringify(row));
      }
    }
  }
}
const totalSeconds = FROM.length ? rows.reduce((s, r) => s + r.seconds, 0) : (Date.now() - started) / 1000;

// ---- report ----
const baseline = (T: number) => task.baseline(T).loss;
const solved = (r: Row) => r.testMse < baseline(r.T) / 4;
const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const fmt = (v: number, d = 4) => v.toFixed(d);
const lines: string[] = [];
lines.push("# Gradient-free training vs BPTT on the adding problem", "");
lines.push(`Generated by \`node --import tsx scripts/experiments/gradient-free.ts --budget ${BUDGET} --lengths ${LENGTHS.join(",")} --seeds ${SEEDS} --cells ${CELLS.join(",")} --methods ${[...new Set(rows.map((r) => r.method))].join(",")}\``);
lines.push(`(${new Date().toISOString().slice(0, 10)}; the runs' wall times add up to ${fmt(totalSeconds / 60, 1)} min on a 2-core machine shared with other jobs, WebAssembly GEMM backend;`);
lines.push(`the cells can run as separate processes with \`--cells elman --out DIR\` and be merged with \`--from DIR1/gradient-free.json,DIR2/...\`).`, "");
lines.push("## Setup", "");
lines.push(`* Task: \`${TASK}\` (docs/tasks.md): Hochreiter & Schmidhuber's adding problem, target 0.5 + (X1 + X2)/4 after T steps;`);
lines.push(`  the first marker within the first 10 steps, the second within the first T/2 − 1, so the lag to remember grows with T.`);
lines.push(`* Models: Elman (H = ${HIDDEN.elman}, tanh) and LSTM (H = ${HIDDEN.lstm}), linear head, MSE; ~100 parameters each`);
lines.push(`  (${[...new Set(rows.map((r) => `${r.cell} ${r.params}`))].join(", ")}). Initial weights U(−1/√H, 1/√H) (PyTorch's default), the same x0 for every method of a seed.`);
lines.push(`* Data: a fixed training set of ${TRAIN_B} sequences per (T, seed), the same for every method (a black-box optimiser needs a`);
lines.push(`  fixed objective); a fresh test set of ${TEST_B}. \`adam-fresh\` is the exception: each of its steps sees a new batch of ${TRAIN_B}`);
lines.push(`  (the papers' online setting), to separate optimisation from overfitting a small set.`);
lines.push(`* Budget: **${BUDGET} loss evaluations** per run on the full training set. For Adam one evaluation is one`);
lines.push(`  full-batch BPTT step (forward + backward, about 3× the cost of a forward); the rows "@ ${Math.round(BUDGET / 3)} steps" show Adam`);
lines.push(`  after a third of the steps, i.e. at equal compute.`);
lines.push(`* Settings, not tuned per task: Adam lr ${ADAM_LR}, gradient-norm clipping at ${CLIP}; GA (population 50, tournament 3, BLX-0.3,`);
lines.push(`  Gaussian mutation decaying from σ), SA (adaptive Gaussian step, geometric cooling), PSO (30 particles, Clerc–Kennedy`);
lines.push(`  constriction), CMA-ES (full covariance, default λ); all start from x0 with σ = ${SIGMA}.`);
lines.push(`* Solved: test MSE below a quarter of the constant-0.5 predictor's (${fmt(baseline(LENGTHS[0]))}–${fmt(baseline(LENGTHS[LENGTHS.length - 1]))}). Accuracy is`);
lines.push(`  the paper's criterion, the fraction of test sequences with |error| < 0.04.`, "");
lines.push("## Results", "");
lines.push("Each cell: median training MSE (on the fixed training set) · median test MSE · runs solved (test MSE < baseline/4) ·");
lines.push("mean test accuracy (|error| < 0.04). Medians over seeds.", "");
const methodsSeen = [...new Set(rows.map((r) => r.method))];
// The constant-0.5 predictor on the very sets the runs used (regenerated from their seeds).
function constant(T: number): { train: number; test: number; accuracy: number } {
  const acc = { train: [] as number[], test: [] as number[], accuracy: [] as number[] };
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = new Rng(1000 * seed + T);
    const tr = task.generate({ length: T, batch: TRAIN_B, rng: r }), te = task.generate({ length: T, batch: TEST_B, rng: r });
    const mse = (b: typeof tr) => { let s = 0; for (let j = 0; j < b.B; j++) s += (b.target[j] - 0.5) ** 2; return s / b.B; };
    acc.train.push(mse(tr)); acc.test.push(mse(te));
    acc.accuracy.push(task.score(new Float64Array(te.B).fill(0.5), te).accuracy);
  }
  return { train: median(acc.train), test: median(acc.test), accuracy: acc.accuracy.reduce((a, b) => a + b, 0) / SEEDS };
}
for (const cell of CELLS.filter((c) => rows.some((r) => r.cell === c))) {
  lines.push(`### ${cell}`, "");
  lines.push(`| method | ${LENGTHS.map((T) => `T = ${T}`).join(" | ")} |`);
  lines.push(`|---|${LENGTHS.map(() => "---").join("|")}|`);
  for (const method of methodsSeen) {
    const cells = LENGTHS.map((T) => {
      const rs = rows.filter((r) => r.cell === cell && r.T === T && r.method === method);
      if (!rs.length) return "–";
      return `${fmt(median(rs.map((r) => r.trainLoss)))} · ${fmt(median(rs.map((r) => r.testMse)))} · ${rs.filter(solved).length}/${rs.length} · ${fmt(rs.reduce((s, r) => s + r.testAccuracy, 0) / rs.length, 2)}`;
    });
    lines.push(`| ${method} | ${cells.join(" | ")} |`);
    const third = LENGTHS.map((T) => rows.filter((r) => r.cell === cell && r.T === T && r.method === method && r.adamThirdMse !== undefined));
    if (third.some((rs) => rs.length)) {
      lines.push(`| ${method} @ ${Math.round(BUDGET / 3)} steps (equal compute) | ${third.map((rs, i) => rs.length
        ? `– · ${fmt(median(rs.map((r) => r.adamThirdMse!)))} · ${rs.filter((r) => r.adamThirdMse! < baseline(LENGTHS[i]) / 4).length}/${rs.length} · –` : "–").join(" | ")} |`);
    }
  }
  lines.push(`| constant 0.5 (measured on the same sets) | ${LENGTHS.map((T) => { const c = constant(T); return `${fmt(c.train)} · ${fmt(c.test)} · – · ${fmt(c.accuracy, 2)}`; }).join(" | ")} |`, "");
}
const secs = (m: string) => rows.filter((r) => r.method === m).reduce((s, r) => s + r.seconds, 0);
lines.push(`Wall seconds per method, all runs added (a loaded machine: compare only as ratios): ${methodsSeen.map((m) => `${m} ${fmt(secs(m), 0)} s`).join(", ")}.`, "");
lines.push("![training and test MSE against T](gradient-free/mse.svg)", "");
lines.push("<!-- discussion -->", "");

const spec = {
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  data: { values: rows.map((r) => ({ cell: r.cell, T: r.T, method: r.method, train: Math.max(r.trainLoss, 1e-5), test: Math.max(r.testMse, 1e-5) })) },
  transform: [{ fold: ["train", "test"], as: ["set", "mse"] }],
  facet: { row: { field: "set", type: "nominal", title: "MSE on" }, column: { field: "cell", type: "nominal" } },
  spec: {
    width: 260, height: 180,
    layer: [
      { mark: { type: "point", opacity: 0.4 }, encoding: { x: { field: "T", type: "quantitative", scale: { type: "log", domain: [Math.min(...LENGTHS) * 0.8, Math.max(...LENGTHS) * 1.25] }, axis: { values: LENGTHS } }, y: { field: "mse", type: "quantitative", scale: { type: "log" }, title: "MSE (log)" }, color: { field: "method", type: "nominal" } } },
      { mark: "line", encoding: { x: { field: "T", type: "quantitative", scale: { type: "log", domain: [Math.min(...LENGTHS) * 0.8, Math.max(...LENGTHS) * 1.25] }, axis: { values: LENGTHS } }, y: { aggregate: "median", field: "mse", type: "quantitative" }, color: { field: "method", type: "nominal" } } },
    ],
  },
  title: `adding problem, ${BUDGET} loss evaluations per run, lines: median of ${SEEDS} seeds`,
};
await writeChart(join(OUT, "gradient-free"), "mse", spec as never);
writeFileAtomic(join(OUT, "gradient-free.json"), JSON.stringify({ budget: BUDGET, task: TASK, rows }, null, 1) + "\n");
const mdPath = join(OUT, "gradient-free.md");
let discussion = "";
try { // keep a hand-written discussion below the marker across regenerations
  const old = readFileSync(mdPath, "utf8"), k = old.indexOf("<!-- discussion -->");
  if (k >= 0) discussion = old.slice(k + "<!-- discussion -->".length).replace(/^\n+/, "");
} catch { /* first run */ }
writeFileAtomic(mdPath, lines.join("\n") + discussion);
console.log(`wrote ${mdPath} in ${fmt(totalSeconds, 0)} s`);
