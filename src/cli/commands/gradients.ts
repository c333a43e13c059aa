// `recurrent gradients`: how the loss gradient flows back through time in a freshly
// initialised network on a synthetic task. Plots ‖∂L/∂h_t‖ against t (log scale) as SVG and
// PNG, prints a summary (or, with --json, every number), optionally with the Jacobian
// products ‖∂state_T/∂state_t‖ of one sequence. The diagnostics live in src/analysis/gradients.
import type { Command } from "commander";
import { mkdirSync } from "node:fs";
import { gradientRecord } from "../../analysis/gradients/record.ts";
import { normsChartSpec } from "../../analysis/gradients/chart.ts";
import { getTask } from "../../data/tasks/index.ts";
import { asTrainerBatch, trainingFor } from "../../data/tasks/as-batch.ts";
import { CELLS, type CellKind } from "../../model/config.ts";
import { checkInitScheme, initialize, type InitScheme } from "../../model/initialize.ts";
import { Sequence } from "../../train/sequence.ts";
import { writeChart } from "../../plot/chart.ts";
import { Rng } from "../../rand.ts";
import { choice, int } from "../options/flags.ts";

interface GradientsOptions {
  cell: CellKind; task: string; length: number; hidden: number; seed: number; batch: number;
  init: InitScheme; out: string; json?: boolean; jacobian?: boolean;
}

export function register(program: Command): void {
  program.command("gradients")
    .description("plot ‖∂L/∂h_t‖ against t (log scale) for a new network on a synthetic task")
    .requiredOption("--cell <cell>", "elman|jordan|lstm|gru", choice("--cell", CELLS))
    .requiredOption("--task <name>", "xor|adding|adding-arjovsky|copy|temporal-order|reber")
    .requiredOption("--length <N>", "the task's sequence length T", int("--length", 1))
    .option("--hidden <H>", "hidden units", int("--hidden", 1), 32)
    .option("--seed <S>", "seed of the weights and the batch", int("--seed", 0), 1)
    .option("--batch <B>", "sequences in the batch", int("--batch", 1), 32)
    .option("--init <scheme>", "pytorch|glorot|uniform:a", (v: string) => { checkInitScheme(v, "--init"); return v as InitScheme; }, "pytorch")
    .option("--out <dir>", "where the plot goes", ".")
    .option("--jacobian", "also ‖∂state_T/∂state_t‖₂ along the first sequence (a second plot)")
    .option("--json", "print every number as one JSON object")
    .addHelpText("after", "\nExample:\n  npx recurrent gradients --cell elman --task adding --length 100 --out plots --json\n")
    .action(async (o: GradientsOptions) => {
      const task = getTask(o.task);
      const rng = new Rng(o.seed);
      const how = trainingFor(task.targetKind);
      const generated = task.generate({ length: o.length, batch: o.batch, rng });   // checks --length
      const model = new Sequence({
        cell: o.cell, input: task.inputSize, hidden: o.hidden, output: task.outputSize, outputActivation: how.outputActivation,
      });
      initialize(model, rng, o.init);
      const batch = asTrainerBatch(generated);
      const rec = gradientRecord(model, batch, { loss: how.loss, manyToOne: how.manyToOne }, { jacobian: o.jacobian });
      mkdirSync(o.out, { recursive: true });
      const name = `gradients-${o.cell}-${o.task}-T${o.length}`;
      const title = `${model.toString().replace(/\s+#.*/, "")} on ${o.task}, T = ${rec.T}, ${o.init} init, seed ${o.seed}`;
      const plot = await writeChart(o.out, name, normsChartSpec(
        rec.series.map((s) => ({ series: `∂L/∂${s.state}${model.layers.length > 1 ? ` (layer ${s.layer})` : ""}`, norms: s.norms })),
        { title, yTitle: "‖∂L/∂state_t‖ (batch of " + rec.B + ")" }));
      let jacPlot: { svg: string; png: string } | null = null;
      if (rec.jacobian) {
        jacPlot = await writeChart(o.out, `${name}-jacobian`, normsChartSpec(
          [{ series: "whole state", norms: rec.jacobian.norms }, ...rec.jacobian.blocks.map((b) => ({ series: `∂${b.state}_T/∂${b.state}_t`, norms: b.norms }))],
          { title, yTitle: "‖∂state_T/∂state_t‖₂ (sequence 0)" }));
      }
      if (o.json) {
        process.stdout.write(JSON.stringify({
          cell: o.cell, task: o.task, length: o.length, hidden: o.hidden, seed: o.seed, init: o.init,
          model: model.toString(), ...rec, plot, ...(jacPlot ? { jacobianPlot: jacPlot } : {}),
        }) + "\n");
        return;
      }
      const n = rec.norms, fmt = (x: number) => x.toExponential(2);
      const lines = [
        model.toString(),
        `task ${o.task}, T = ${rec.T}, batch ${rec.B}, loss ${rec.loss}`,
        `‖∂L/∂${rec.series.find((x) => x.layer === model.layers.length - 1)!.state}_t‖: t = T−1: ${fmt(n[n.length - 1])}, t = 0: ${fmt(n[0])} (ratio ${fmt(rec.ratio)} over ${rec.T - 1} steps)`,
        ...rec.spectra.map((s) => `${s.tensor} [${s.block}]: spectral radius ${s.spectralRadius.toFixed(3)}, σ_max ${s.maxSingular.toFixed(3)}`),
        `plot: ${plot.svg}, ${plot.png}`,
        ...(jacPlot && rec.jacobian ? [`‖∂state_T/∂state_0‖₂ = ${fmt(rec.jacobian.norms[0])}; plot: ${jacPlot.svg}, ${jacPlot.png}`] : []),
      ];
      process.stdout.write(lines.join("\n") + "\n");
    });
}
