// Experiment: would gradient-free optimisers help with vanishing gradients? Trains small
// Elman and LSTM networks on the adding problem (Hochreiter & Schmidhuber 1997) at several
// lengths T with BPTT + Adam and with GA, simulated annealing, PSO and CMA-ES, all at the
// same number of loss evaluations on the same fixed training set from the same initial
// weights; then a ten times larger budget for a few of them. Writes the raw rows to
// docs/experiments/gradient-free/rows.jsonl and the report from them
// (scripts/experiments/gradient-free/report.ts, which can also run alone from the rows).
//
//   npm run experiments -- gradient-free [--lanes 2] [--budget 2000] [--lengths 10,20,40] [--seeds 3]
//     [--cells elman,lstm] [--methods adam,adam-fresh,ga,anneal,pso,cmaes]
//     [--long-budget 20000] [--long-lengths 10,20,40] [--long-seeds 3] [--long-cells elman,lstm]
//     [--long-methods cmaes,pso,adam-fresh] [--out docs/experiments]
//
// Every unit of work (one cell, T and seed; the long runs one method each) is a child process,
// `lanes` at a time, so the whole study is one command. Not a tuning study: every method runs
// with one fixed, stated setting.
// The public core (src/core.ts) where it has the name: files under src/ are moving.
import { Sequence, Trainer, makeOptimizer, getTask, Rng, useFastBackend, initialize } from "../../src/core.ts";
import { addingMarkerRanges } from "../../src/data/tasks/adding.ts";
import { asTrainerBatch, predictionsFrom, trainingFor } from "../../src/data/tasks/as-batch.ts";
import { getMinimiser } from "../../src/evolve/index.ts";
import { writeRows } from "../rows.ts";
import { child, runLanes } from "./lanes.ts";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1]);
const list = (k: string, d: string) => (args.get(k) ?? d).split(",");
const OUT = args.get("out") ?? "docs/experiments";
// Fixed settings, recorded in the rows' first line so the report states them from there.
const SETTINGS = {
  task: "adding", trainBatch: 128, testBatch: 1000, sigma: 0.2, adamLr: 0.01, clip: 1,
  hidden: { elman: 8, lstm: 4 } as Record<string, number>, // ~100 parameters each
  // The minimisers' options, passed explicitly (they equal src/evolve's defaults).
  options: { ga: { population: 50, tournament: 3, alpha: 0.3 }, anneal: {}, pso: { particles: 30 }, cmaes: {} } as Record<string, Record<string, number>>,
};

interface Unit { budget: number; cell: "elman" | "lstm"; T: number; seed: number; methods: string[] }

if (args.has("unit")) await runUnit(JSON.parse(args.get("unit")!) as Unit);
else await main();

/** One cell, T and seed: the same data and x0 for every method; prints one JSON row per line. */
async function runUnit(u: Unit): Promise<void> {
  useFastBackend();
  const task = getTask(SETTINGS.task), how = trainingFor(task.targetKind);
  const { trainBatch: TRAIN_B, testBatch: TEST_B } = SETTINGS;
  const dataRng = new Rng(1000 * u.seed + u.T);
  const train = task.generate({ length: u.T, batch: TRAIN_B, rng: dataRng });
  const test = task.generate({ length: u.T, batch: TEST_B, rng: dataRng });
  const emit = (row: object) => process.stdout.write(JSON.stringify(row) + "\n");
  // The constant-0.5 predictor on these very sets, and the task's analytic baseline.
  const mse = (b: typeof train) => { let s = 0; for (let j = 0; j < b.B; j++) s += (b.target[j] - 0.5) ** 2; return s / b.B; };
  const [n1, n2] = addingMarkerRanges(u.T);
  emit({ kind: "constant", T: u.T, seed: u.seed, trainMse: mse(train), testMse: mse(test),
    testAccuracy: task.score(new Float64Array(test.B).fill(0.5), test).accuracy, baseline: task.baseline(u.T).loss, firstMarkerIn: n1, secondMarkerIn: n2 });

  const model = new Sequence({ cell: u.cell, input: task.inputSize, hidden: SETTINGS.hidden[u.cell], output: task.outputSize, outputActivation: how.outputActivation });
  // PyTorch's defaults (the library's initialiser), drawn in a float64 twin so x0 keeps every bit.
  const twin = new Sequence(model.config, "float64");
  initialize(twin, new Rng(u.seed), "pytorch");
  const x0 = Float64Array.from(twin.params);
  const trainB = asTrainerBatch(train), testB = asTrainerBatch(test);
  const third = Math.round(u.budget / 3);
  for (const method of u.methods) {
    const t0 = performance.now();
    const trainer = new Trainer(model, { loss: how.loss, manyToOne: how.manyToOne, optimizer: makeOptimizer("adam", { lr: SETTINGS.adamLr }), clipNorm: SETTINGS.clip });
    const scoreTest = () => {
      const { out } = model.forward(testB.x, testB.T, testB.B);
      return { testMse: trainer.evaluate(testB).loss, testAccuracy: task.score(predictionsFrom(test, out), test).accuracy };
    };
    let trainMse: number, evaluations: number, thirdTestMse: number | undefined;
    if (method === "adam" || method === "adam-fresh") {
      // adam: full-batch steps on the fixed training set, like every other method here;
      // adam-fresh: each step on a fresh batch of the same size (the papers' online setting).
      model.params.set(x0);
      const fresh = new Rng(7777 + u.seed);
      for (let s = 1; s <= u.budget; s++) {
        const b = method === "adam" ? trainB : asTrainerBatch(task.generate({ length: u.T, batch: TRAIN_B, rng: fresh }));
        trainer.trainStep(b);
        if (s === third) thirdTestMse = scoreTest().testMse;
      }
      evaluations = u.budget;
      trainMse = trainer.evaluate(trainB).loss;
    } else {
      const f = (p: Float64Array) => { model.params.set(p); return trainer.evaluate(trainB).loss; };
      const r = getMinimiser(method)(f, x0, { budget: u.budget, sigma: SETTINGS.sigma, ...SETTINGS.options[method] }, new Rng(u.seed));
      model.params.set(r.best);
      trainMse = r.bestLoss; evaluations = r.evaluations;
    }
    emit({ kind: "fit", budget: u.budget, cell: u.cell, T: u.T, seed: u.seed, method, params: model.paramCount, evaluations, trainMse,
      ...scoreTest(), ...(thirdTestMse === undefined ? {} : { thirdSteps: third, thirdTestMse }), seconds: (performance.now() - t0) / 1000 });
  }
}

async function main(): Promise<void> {
  const lanes = Number(args.get("lanes") ?? 2);
  const budget = Number(args.get("budget") ?? 2000), longBudget = Number(args.get("long-budget") ?? 20000);
  const units: Unit[] = [];
  for (const cell of list("cells", "elman,lstm")) for (const T of list("lengths", "10,20,40").map(Number)) for (let seed = 1; seed <= Number(args.get("seeds") ?? 3); seed++)
    units.push({ budget, cell: cell as Unit["cell"], T, seed, methods: list("methods", "adam,adam-fresh,ga,anneal,pso,cmaes") });
  if (longBudget > 0) for (const cell of list("long-cells", "elman,lstm")) for (const T of list("long-lengths", "10,20,40").map(Number))
    for (let seed = 1; seed <= Number(args.get("long-seeds") ?? 3); seed++) for (const m of list("long-methods", "cmaes,pso,adam-fresh"))
      units.push({ budget: longBudget, cell: cell as Unit["cell"], T, seed, methods: [m] });
  // Longest first (cost grows with budget, T and the LSTM's four gates), so the lanes end together.
  const cost = (u: Unit) => u.budget * u.methods.length * u.T * (u.cell === "lstm" ? 2 : 1);
  const queue = [...units].sort((a, b) => cost(b) - cost(a));
  const started = new Date(), t0 = performance.now(), load0 = loadavg()[0];
  const self = fileURLToPath(import.meta.url);
  const rows = await runLanes(self, queue, lanes);
  const seen = new Set<string>();   // one constant row per (T, seed), though several units share it
  const constants = rows.filter((r) => r.kind === "constant" && !seen.has(`${r.T}/${r.seed}`) && seen.add(`${r.T}/${r.seed}`));
  const order = (r: Record<string, any>) => [r.budget ?? 0, r.cell ?? "", r.T, r.seed, units[0].methods.indexOf(r.method)];
  const cmp = (a: Record<string, any>, b: Record<string, any>) => { const x = order(a), y = order(b); for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1; return 0; };
  const argv = process.argv.slice(2);
  const head = {
    kind: "run", command: `npm run experiments -- gradient-free${argv.length ? " " + argv.join(" ") : ""}`,
    date: started.toISOString(), wallSeconds: (performance.now() - t0) / 1000, lanes, units: units.length,
    cpus: availableParallelism(), cpu: cpus()[0]?.model ?? "unknown", loadAtStart: load0, loadAtEnd: loadavg()[0],
    budget, longBudget, ...SETTINGS,
  };
  const path = join(OUT, "gradient-free", "rows.jsonl");
  writeRows(path, [head, ...constants.sort(cmp), ...rows.filter((r) => r.kind === "fit").sort(cmp)]);
  process.stderr.write(`wrote ${path} in ${(head.wallSeconds / 60).toFixed(1)} min\n`);
  await child(["--import", "tsx", join(self, "..", "gradient-free", "report.ts"), "--out", OUT], "inherit");
}
