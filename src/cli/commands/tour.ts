// `recurrent tour` (what `npm start` runs): Elman, Jordan, LSTM and GRU each learn the first
// 100 kB of tinyshakespeare at the character level for the same time budget, and the tour
// prints, per model, its parameter count, train and validation loss (nats per character),
// time, and a generated sample. It shows the core learning, in about two and a half minutes.
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pc from "picocolors";
import { prepareText } from "../../data/prepare-text.ts";
import { LmBatches, oneHot } from "../../data/lm-batches.ts";
import { decodeChars, encodeChars } from "../../data/char-tokenizer.ts";
import { Sequence } from "../../model/sequence.ts";
import { initialize } from "../../model/initialize.ts";
import { sampleTokens } from "../../model/sample.ts";
import { Rng } from "../../rand.ts";
import { Trainer } from "../../train/trainer.ts";
import { makeOptimizer } from "../../train/optim/index.ts";
import { useFastBackend } from "../../tensor/fast.ts";
import { compileWasmEagerly } from "../../io/threads-node.ts";
import { gemmName } from "../../tensor/gemm.ts";
import { CELLS, type CellKind } from "../../model/config.ts";
import type { Vec } from "../../tensor/types.ts";
import { intOption, numberOption } from "../options.ts";
import { Task } from "../progress-task.ts";

const DEFAULT_TEXT = join(dirname(fileURLToPath(import.meta.url)), "../../../data/tinyshakespeare-100k.txt");

interface TourOptions { seconds: number; hidden: number; seq: number; batch: number; seed: number; cells: string; text: string; reference?: boolean }

export function register(program: Command): void {
  program.command("tour")
    .description("train Elman, Jordan, LSTM and GRU on Shakespeare for a short, equal time each (npm start)")
    .option("--seconds <s>", "training time per model", numberOption("--seconds", 1), 30)
    .option("--hidden <H>", "hidden units", intOption("--hidden"), 128)
    .option("--seq <T>", "steps per chunk (truncated BPTT length)", intOption("--seq"), 32)
    .option("--batch <B>", "parallel streams", intOption("--batch"), 32)
    .option("--seed <n>", "random seed", intOption("--seed", 0), 1)
    .option("--cells <list>", "comma-separated cells", "elman,jordan,lstm,gru")
    .option("--text <file>", "a text file to learn", DEFAULT_TEXT)
    .option("--reference", "use the plain TypeScript GEMM instead of WebAssembly SIMD")
    .addHelpText("after", "\nExample:\n  npx recurrent tour --seconds 10 --cells lstm,gru\n")
    .action((o: TourOptions) => {
      if (!o.reference) { compileWasmEagerly(); useFastBackend(); }
      const cells = o.cells.split(",").map((c) => c.trim()) as CellKind[];
      for (const c of cells) if (!(CELLS as readonly string[]).includes(c)) throw new Error(`--cells: expected names from ${CELLS.join(",")}, got ${JSON.stringify(c)}`);
      const text = readFileSync(o.text, "utf8");
      const data = prepareText(text, { level: "char", val: 0.1, where: o.text });
      const V = data.vocab.size;
      console.log(pc.bold(`recurrent tour: character-level Shakespeare (${(text.length / 1000).toFixed(0)} kB, ${V} symbols), ` +
        `${o.seconds} s per model, hidden ${o.hidden}, seq ${o.seq}, batch ${o.batch}, GEMM ${gemmName()}`));
      console.log(pc.dim(`A model that knows nothing scores ln ${V} = ${Math.log(V).toFixed(3)} nats/char; lower is better.\n`));
      const rows: string[][] = [];
      for (const cell of cells) rows.push(runOne(cell, data, V, o));
      console.log(pc.bold("\nSummary (validation loss in nats per character, same time budget each)"));
      const head = ["cell", "params", "train", "val", "updates", "seconds"];
      const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      console.log(head.map((h, i) => h.padEnd(w[i])).join("  "));
      for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  "));
    });
}

function runOne(cell: CellKind, data: ReturnType<typeof prepareText>, V: number, o: TourOptions): string[] {
  const rng = new Rng(o.seed);
  const model = new Sequence({ cell, input: V, hidden: o.hidden, output: V, outputActivation: "softmax", ...(cell === "jordan" ? { state: 64 } : {}) });
  initialize(model, rng, "glorot");
  const trainer = new Trainer(model, { loss: "ce", optimizer: makeOptimizer("adam", { lr: 3e-3 }), clipNorm: 5 });
  const batches = new LmBatches(data.train, o.batch, o.seq, { dropRemainder: true });
  console.log(pc.cyan(model.toString()));
  const start = performance.now();
  let state: Vec[][] | null = null, k = 0, epoch = 0, recent = 0, n = 0, updates = 0, seconds = 0, val = NaN, text = "";
  const x = new Float32Array(o.seq * o.batch * V);
  // Progress on stderr (a bar on a terminal), in tenths of the time budget; stopped before
  // the model's results are printed.
  const task = new Task({ label: `tour ${cell}`, total: Math.round(o.seconds * 10), showCount: false });
  try {
    while ((performance.now() - start) / 1000 < o.seconds) {
      const c = batches.chunk(k);
      oneHot(c.x, V, x);
      const r = trainer.trainStep({ x, T: c.T, B: c.B, targets: c.y }, state);
      state = r.state;   // carried to the next chunk without its gradient (truncated BPTT)
      recent = n < 20 ? (recent * n + r.loss) / (n + 1) : 0.95 * recent + 0.05 * r.loss;
      n++; updates++;
      if (++k === batches.length) { k = 0; epoch++; state = null; }
      task.update(Math.round((performance.now() - start) / 100), `training: loss ${recent.toFixed(3)}, ${updates} updates`);
    }
    seconds = (performance.now() - start) / 1000;
    task.update(Math.round(o.seconds * 10), "validating");
    val = validationLoss(trainer, data.val, V, o);
    task.update(Math.round(o.seconds * 10), "sampling");
    const sample = sampleTokens(model, { prompt: encodeChars(data.vocab, "ROMEO:\n"), length: 160, temperature: 0.7, rng: new Rng(o.seed) });
    text = decodeChars(data.vocab, sample);
    task.finish();
  } finally { task.stop(); }
  console.log(`  train ${recent.toFixed(3)}  val ${val.toFixed(3)} nats/char  ${updates} updates (${epoch} full passes) in ${seconds.toFixed(1)} s`);
  console.log(pc.dim(text.split("\n").map((l) => `  | ${l}`).join("\n")) + "\n");
  return [cell, model.paramCount.toLocaleString("en-US"), recent.toFixed(3), val.toFixed(3), String(updates), seconds.toFixed(1)];
}

function validationLoss(trainer: Trainer, ids: Int32Array, V: number, o: TourOptions): number {
  const batches = new LmBatches(ids, 8, o.seq * 4);
  let state: Vec[][] | null = null, total = 0, count = 0;
  for (const c of batches) {
    const r = trainer.evaluate({ x: oneHot(c.x, V), T: c.T, B: c.B, targets: c.y }, state);
    state = r.state;
    total += r.loss * c.T * c.B; count += c.T * c.B;
  }
  return total / count;
}
