// `recurrent tour` (what `npm start` runs): Elman, Jordan, LSTM and GRU each learn the first
// 100 kB of tinyshakespeare at the character level for the same time budget, and the tour
// prints, per model, its parameter count, train and validation loss (nats per character),
// time, and a generated sample. It shows the core learning, in about two and a half minutes.
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pc from "picocolors";
import { Sequence } from "../../train/sequence.ts";
import { textData, type TextDatasets } from "../../data/datasets.ts";
import { initialize } from "../../model/initialize.ts";
import { Rng } from "../../rand.ts";
import { installBackend } from "../session/backend.ts";
import { gemmName } from "../../tensor/gemm.ts";
import { cellSpec } from "../../cells/registry.ts";
import { reads } from "../../cells/spec.ts";
import { CELLS, type CellKind } from "../../model/config.ts";
import { int, num } from "../options/flags.ts";
import { Task } from "../../node/progress-task.ts";

const DEFAULT_TEXT = join(dirname(fileURLToPath(import.meta.url)), "../../../data/tinyshakespeare-100k.txt");

interface TourOptions { seconds: number; hidden: number; seq: number; batch: number; seed: number; cells: string; text: string; reference?: boolean }

export function register(program: Command): void {
  program.command("tour")
    .description("train Elman, Jordan, LSTM and GRU on Shakespeare for a short, equal time each (npm start)")
    .option("--seconds <s>", "training time per model", num("--seconds", 1), 30)
    .option("--hidden <H>", "hidden units", int("--hidden", 1), 128)
    .option("--seq <T>", "steps per chunk (truncated BPTT length)", int("--seq", 1), 32)
    .option("--batch <B>", "parallel streams", int("--batch", 1), 32)
    .option("--seed <n>", "random seed", int("--seed", 0), 1)
    .option("--cells <list>", "comma-separated cells", "elman,jordan,lstm,gru")
    .option("--text <file>", "a text file to learn", DEFAULT_TEXT)
    .option("--reference", "use the plain TypeScript kernels instead of WebAssembly SIMD")
    .addHelpText("after", "\nExample:\n  npx recurrent tour --seconds 10 --cells lstm,gru\n")
    .action(async (o: TourOptions) => {
      installBackend(1, o.reference ? "reference" : "auto");
      const cells = o.cells.split(",").map((c) => c.trim()) as CellKind[];
      for (const c of cells) if (!(CELLS as readonly string[]).includes(c)) throw new Error(`--cells: expected names from ${CELLS.join(",")}, got ${JSON.stringify(c)}`);
      const text = readFileSync(o.text, "utf8");
      const data = textData(text, { level: "char", batchSize: o.batch, seqLength: o.seq, validation: 0.1 });   // every cell reads the same streams
      const V = data.vocab.size;
      console.log(pc.bold(`recurrent tour: character-level Shakespeare (${(text.length / 1000).toFixed(0)} kB, ${V} symbols), ` +
        `${o.seconds} s per model, hidden ${o.hidden}, seq ${o.seq}, batch ${o.batch}, GEMM ${gemmName()}`));
      console.log(pc.dim(`A model that knows nothing scores ln ${V} = ${Math.log(V).toFixed(3)} nats/char; lower is better.\n`));
      const rows: string[][] = [];
      for (const cell of cells) rows.push(await runOne(cell, data, o));
      console.log(pc.bold("\nSummary (validation loss in nats per character, same time budget each)"));
      const head = ["cell", "params", "train", "val", "updates", "seconds"];
      const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      console.log(head.map((h, i) => h.padEnd(w[i])).join("  "));
      for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  "));
    });
}

async function runOne(cell: CellKind, data: TextDatasets, o: TourOptions): Promise<string[]> {
  const V = data.vocab.size;
  const rng = new Rng(o.seed);
  const model = new Sequence({ cell, input: V, hidden: o.hidden, output: V, outputActivation: "softmax", ...(reads(cellSpec(cell), "state") ? { state: 64 } : {}) });
  initialize(model, rng, "glorot");
  console.log(pc.cyan(model.toString()));
  let recent = 0, n = 0, val = NaN, sample = "";
  // Progress on stderr (a bar on a terminal), in tenths of the time budget; stopped before
  // the model's results are printed.
  const task = new Task({ label: `tour ${cell}`, total: Math.round(o.seconds * 10), showCount: false });
  let history;
  const t0 = performance.now();
  try {
    // The library's training loop (fit): the time budget counts training only, and the
    // validation part is scored where the budget ends.
    history = await model.fit(data.train, {
      epochs: 0, timeLimit: o.seconds, optimizer: "adam", lr: 3e-3, clipNorm: 5, rng,
      validationData: data.validation ?? undefined,
      callbacks: [{
        onBatchEnd: (ctx, r) => {
          recent = n < 20 ? (recent * n + r.loss) / (n + 1) : 0.95 * recent + 0.05 * r.loss;
          n++;
          task.update(Math.min(Math.round(o.seconds * 10) - 1, Math.round((performance.now() - t0) / 100)), `training: loss ${recent.toFixed(3)}, ${ctx.state.step} updates`);
        },
        onEvaluation: () => task.update(Math.round(o.seconds * 10), "validating"),
      }],
    });
    val = history.evaluations.at(-1)?.val_loss ?? NaN;
    task.update(Math.round(o.seconds * 10), "sampling");
    sample = model.generate(data, { prompt: "ROMEO:\n", length: 160, temperature: 0.7, seed: o.seed });
    task.finish();
  } finally { task.stop(); }
  const epochs = Math.floor(history.steps / data.train.batchesPerEpoch);
  console.log(`  train ${recent.toFixed(3)}  val ${val.toFixed(3)} nats/char  ${history.steps} updates (${epochs} full passes) in ${history.seconds.toFixed(1)} s`);
  console.log(pc.dim(sample.split("\n").map((l) => `  | ${l}`).join("\n")) + "\n");
  return [cell, model.paramCount.toLocaleString("en-US"), recent.toFixed(3), val.toFixed(3), String(history.steps), history.seconds.toFixed(1)];
}
