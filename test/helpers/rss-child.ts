// A child process for test/model/constant-memory.test.ts: runs a long stateful workload and
// prints one JSON line with the resident set size (RSS) and the JS heap after a full garbage
// collection, measured at a tenth of the run and again near its end, both while it runs (so
// whatever the run holds is counted).
//   step N       N calls of Sequence.step on a tiny LSTM (batch 1)
//   generate N   `recurrent generate --length N` on a tiny character model, output counted and dropped
//   forecast N   `recurrent forecast --horizon N` (fed back) on a tiny monthly forecaster, output counted and dropped
// Usage: node --expose-gc --import tsx test/helpers/rss-child.ts step|generate|forecast N [DIR]
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { saveModel } from "../../src/node/model-dir.ts";
import { Vocab } from "../../src/data/vocab.ts";
import { runGenerate } from "../../src/cli/commands/generate.ts";
import { runForecast } from "../../src/cli/commands/forecast.ts";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "../../src/rand.ts";
import { useFastBackend } from "../../src/tensor/fast.ts";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => { throw new Error("run with --expose-gc"); })();
const [mode, nText, dir] = process.argv.slice(2);
const N = Number(nText);
const WARM = Math.floor(N / 10);
useFastBackend();

function sample(): { rss: number; heap: number } {
  gc(); gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

let warm = { rss: 0, heap: 0 }, end = { rss: 0, heap: 0 };
if (mode === "step") {
  const m = new Sequence({ cell: "lstm", input: 4, hidden: 8, output: 4 });
  initialize(m, new Rng(1), "pytorch");
  m.resetState(1);
  const x = Float32Array.of(0.1, -0.2, 0.3, 0.5);
  let sum = 0;
  for (let i = 0; i < N; i++) {
    if (i === WARM) warm = sample();
    if (i === N - 1) end = sample();
    const y = m.step(x);
    sum += y[0];
  }
  if (!Number.isFinite(sum)) throw new Error("non-finite outputs");
} else if (mode === "generate") {
  const chars = [..."\n abcdefghijklmnopqrstuvwxyz.,"];
  const m = new Sequence({ cell: "lstm", input: chars.length, hidden: 8, output: chars.length, outputActivation: "softmax" });
  initialize(m, new Rng(2), "pytorch");
  saveModel(dir!, m, { task: { kind: "charlm", vocab: new Vocab("char", chars).toJSON(), seq: 8, separate: false, val: 0.1, test: 0 } });
  let written = 0;
  // The warm-up sample is taken from inside the run, once WARM characters are out.
  runGenerate({ model: dir!, length: N, temperature: 1, topK: 0, seed: 3 }, (s) => {
    const before = written;
    written += s.length;
    if (before < WARM && written >= WARM) warm = sample();
    if (before < N - 70_000 && written >= N - 70_000) end = sample();   // the last piece but one
  });
  if (written < N) throw new Error(`wrote ${written} characters, expected at least ${N}`);
} else if (mode === "forecast") {
  const m = new Sequence({ cell: "gru", input: 1, hidden: 4, output: 4 });
  initialize(m, new Rng(4), "pytorch");
  const config = { target: "y", features: [], date: "month", window: 8, horizon: 4, season: 12, frequency: "monthly", val: 0.15, test: 0, relative: true };
  saveModel(dir!, m, { task: { kind: "forecast", config, scaler: { kind: "standard", columns: ["y"], mean: [10], std: [2] }, fill: "error" } });
  const csv = join(dir!, "series.csv");
  writeFileSync(csv, "month,y\n" + Array.from({ length: 24 }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")},${10 + Math.sin(i)}`).join("\n") + "\n");
  let rows = 0;
  await runForecast({ model: dir!, csv, horizon: N }, (s) => {
    const before = rows;
    for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) rows++;
    if (before < WARM && rows >= WARM) warm = sample();
    if (before < N - 5000 && rows >= N - 5000) end = sample();   // a piece of rows before the last
  });
  if (rows !== N + 1) throw new Error(`wrote ${rows} lines for ${N} rows and a header`);
} else throw new Error("usage: rss-child.ts step|generate|forecast N [DIR]");
if (!end.rss) throw new Error("no sample near the end");
process.stdout.write(JSON.stringify({ warm, end }) + "\n");
