// The report of the gradients experiment: charts (SVG + PNG) and docs/experiments/gradients.md,
// from the rows that run.ts produced. Every figure in the text is computed from the rows.
import { join } from "node:path";
import { writeChart as drawChart, type ChartSpec } from "../../../src/plot/chart.ts";
import { writeFileAtomic } from "../../../src/node/files.ts";
import type { Row, Settings } from "./run.ts";
import { discussion } from "./discussion.ts";
import { HS_SEQUENCES, longRangeSection } from "./long-range.ts";

export interface Results {
  settings: Settings; seeds: number; lengths: number[]; radiusLength: number;
  wallSeconds: number; workers: number; rows: Row[]; command: string;
}

export const CELL_NAMES: Record<string, string> = { elman: "Elman", jordan: "Jordan", lstm: "LSTM", gru: "GRU" };
const clipName = (c: boolean, s: Settings) => (c ? `clip ‖g‖ ≤ ${s.clip}` : "no clipping");

/** Solved runs / runs for a filter. */
export function rate(rows: Row[], f: (r: Row) => boolean): { k: number; n: number } {
  const sel = rows.filter(f);
  return { k: sel.filter((r) => r.solved).length, n: sel.length };
}

/** Writes gradients.md under `out` and, unless charts is false, its charts under out/gradients. */
export async function writeReport(res: Results, out: string, opts: { charts?: boolean } = {}): Promise<void> {
  const s = res.settings, dir = join(out, "gradients");
  // The charts are skipped by the test that regenerates the text from the committed rows.
  const writeChart = opts.charts === false ? async () => undefined : drawChart;
  const success = res.rows.filter((r) => r.kind === "success");
  const radius = res.rows.filter((r) => r.kind === "radius");
  const tasks = [...new Set(success.map((r) => r.task))];
  const cells = ["elman", "jordan", "lstm", "gru"].filter((c) => success.some((r) => r.cell === c));

  // 1. Success rate against T.
  const rateRows = [];
  for (const task of tasks) for (const cell of cells) for (const T of res.lengths) for (const clip of [false, true]) {
    const { k, n } = rate(success, (r) => r.task === task && r.cell === cell && r.T === T && r.clip === clip);
    if (n) rateRows.push({ task, cell: CELL_NAMES[cell], T, clipping: clipName(clip, s), rate: k / n });
  }
  await writeChart(dir, "success", {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Runs solved (test accuracy ≥ ${s.success}) out of ${res.seeds} seeds, by sequence length`,
    data: { values: rateRows },
    facet: { column: { field: "task", type: "nominal", title: null }, row: { field: "clipping", type: "nominal", title: null } },
    spec: {
      width: 260, height: 170,
      layer: [{ mark: { type: "line", point: true },
        encoding: {
          x: { field: "T", type: "quantitative", title: "sequence length T", scale: { type: "log", domain: [Math.min(...res.lengths), Math.max(...res.lengths)], nice: false }, axis: { values: res.lengths } },
          y: { field: "rate", type: "quantitative", title: "success rate", scale: { domain: [0, 1] } },
          color: { field: "cell", type: "nominal", title: null, sort: cells.map((c) => CELL_NAMES[c]) },
          strokeDash: { field: "cell", type: "nominal", title: null, sort: cells.map((c) => CELL_NAMES[c]) },
        } }],
    },
  } as ChartSpec);

  // 2. ‖∂L/∂h_t‖ at initialisation and after training.
  const normRows: Array<{ task: string; when: string; series: string; lag: number; norm: number }> = [];
  for (const r of success.filter((x) => x.init)) {
    for (const [when, n] of [["at initialisation", r.init], ["after training", r.trained]] as const) {
      if (!n) continue;
      const add = (name: string, v: number[]) => v.forEach((x, t) => { if (x > 0 && Number.isFinite(x)) normRows.push({ task: `${r.task}, T = ${r.T}`, when, series: name, lag: r.T - t, norm: x }); });
      add(`${CELL_NAMES[r.cell]} ${r.cell === "jordan" ? "s" : "h"}`, n.h);
      if (n.c) add("LSTM c", n.c);
    }
  }
  await writeChart(dir, "norms", {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "‖∂L/∂h_t‖ against the lag T − t (probe batch of 32; seed 0, clipped run)",
    data: { values: normRows },
    facet: { column: { field: "when", type: "nominal", title: null, sort: ["at initialisation", "after training"] }, row: { field: "task", type: "nominal", title: null } },
    spec: {
      width: 280, height: 190,
      mark: { type: "line" },
      encoding: {
        x: { field: "lag", type: "quantitative", title: "lag T − t (steps back from the loss)" },
        y: { field: "norm", type: "quantitative", scale: { type: "log" }, title: "‖∂L/∂state_t‖", axis: { format: ".0e" } },
        color: { field: "series", type: "nominal", title: null },
      },
    },
    resolve: { scale: { y: "independent" } },
  } as ChartSpec);

  // 3. Elman with a given spectral radius.
  const radRows: Array<{ what: string; radius: string; lag: number; norm: number }> = [];
  for (const r of radius.filter((x) => x.init)) {
    const lab = `ρ(U) = ${r.radius}${r.clip ? ", clipped" : ""}`;
    const add = (what: string, v: number[] | undefined) => v?.forEach((x, t) => { if (x > 0 && Number.isFinite(x)) radRows.push({ what, radius: lab, lag: r.T - t, norm: x }); });
    if (!r.clip) { add("‖∂L/∂h_t‖ at initialisation", r.init!.h); add("‖∂h_T/∂h_t‖₂ at initialisation (sequence 0)", r.init!.jacobian); }
    add(`‖∂L/∂h_t‖ after training`, r.trained?.h);
  }
  await writeChart(dir, "radius", {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Elman (H = ${s.hidden}, tanh) on temporal order, T = ${res.radiusLength}: recurrent matrix rescaled to spectral radius ρ (Adam)`,
    data: { values: radRows },
    facet: { column: { field: "what", type: "nominal", title: null, sort: ["‖∂L/∂h_t‖ at initialisation", "‖∂h_T/∂h_t‖₂ at initialisation (sequence 0)", "‖∂L/∂h_t‖ after training"] } },
    spec: {
      width: 240, height: 200, mark: { type: "line", point: { size: 12 } },
      encoding: {
        x: { field: "lag", type: "quantitative", title: "lag T − t" },
        y: { field: "norm", type: "quantitative", scale: { type: "log" }, title: null, axis: { format: ".0e" } },
        color: { field: "radius", type: "nominal", title: null },
      },
    },
    resolve: { scale: { y: "independent" } },
  } as ChartSpec);

  writeFileAtomic(join(out, "gradients.md"), markdown(res, success, radius, res.rows.filter((r) => r.kind === "init"), tasks, cells));
}

function fmt(x: number, d = 2): string { return Number.isFinite(x) ? x.toFixed(d) : "–"; }
function sci(x: number): string { return Number.isFinite(x) ? x.toExponential(1) : "–"; }
const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);

function markdown(res: Results, success: Row[], radius: Row[], inits: Row[], tasks: string[], cells: string[]): string {
  const s = res.settings;
  const L: string[] = [];
  const cpuSeconds = res.rows.reduce((a, r) => a + r.seconds, 0);
  L.push("# Vanishing and exploding gradients on long-range tasks", "");
  L.push(`Regenerate: \`${res.command}\` (${res.rows.length} training runs; ${fmt(res.wallSeconds / 60, 1)} min wall clock on ${res.workers} worker processes, ${fmt(cpuSeconds / 60, 1)} min summed over runs, on a 2-core machine shared with other jobs). Raw rows: [gradients/results.json](gradients/results.json). Diagnostics: \`src/analysis/gradients/\` (\`stateGradients\` for ‖∂L/∂h_t‖, \`jacobianNorms\` for ‖∂h_T/∂h_t‖, \`recurrentSpectra\` for ρ and σ_max per gate block, \`GradientLog\` for the norm before/after clipping, \`gradientRecord\` for all of them at once); single plots: \`npx recurrent gradients --cell C --task T --length N\`.`, "");
  const hsAdding = HS_SEQUENCES.filter((p) => p.task === "adding-1997");
  L.push("## Setup and budgets", "");
  L.push(`* Cells: Elman, Jordan (state size = output size, own output fed back), LSTM, GRU; one layer, H = ${s.hidden} hidden units (section 5: its own sizes), a linear head.`);
  L.push("* Initialisation, by section: 1 and 2, PyTorch's default (every RNN tensor U(−1/√H, 1/√H); the head and Jordan's tensors as nn.Linear, U(−1/√fan_in, 1/√fan_in)); 3, the same, then Elman's weight_hh redrawn Gaussian and rescaled to spectral radius ρ; 4, the toolkit's `glorot` scheme; 5, PyTorch's default with, per arm, the LSTM forget-gate bias set and/or the recurrent gate blocks made orthogonal (Elman there: `glorot`).");
  L.push(`* Tasks (\`docs/tasks.md\`): the adding problem (Hochreiter & Schmidhuber 1997, Exp. 4, at one fixed length T per run; both markers in the first half, so the lag is at least T/2; section 5 uses their variable lengths) and temporal order (Exp. 6a, Pascanu et al. 2013's length-scaled form; the two symbols sit at 10–20 % and 50–60 % of T). Lengths T ∈ {${res.lengths.join(", ")}}.`);
  L.push(`* Training: Adam, lr ${s.lr}, minibatches of ${s.batch} freshly generated sequences per update (online, as in the papers), at most ${s.maxSteps} updates, a validation batch of 256 every ${s.evalEvery} updates, stopping once its accuracy reaches ${s.stopAt}. With clipping: global gradient norm clipped to ${s.clip} (Pascanu et al. 2013). The clipped and unclipped runs of a seed start from the same weights and see the same batches.`);
  L.push(`* Solved: accuracy ≥ ${s.success} on ${s.testSize} held-out sequences by the task's criterion (adding: |error| < 0.04; temporal order: the right class). ${res.seeds} seeds per setting. A run whose loss or gradient became non-finite counts as failed (diverged).`);
  L.push(`* Budget: these sizes are small next to the papers' (H&S needed ${hsAdding.map((p) => p.sequences.toLocaleString("en-US")).join(", ")} training sequences on the adding problem at T = ${hsAdding.map((p) => p.T).join(", ")}; Pascanu et al. used 50 hidden units and up to 5·10⁶ updates of SGD). ${s.maxSteps} updates × ${s.batch} sequences = ${(s.maxSteps * s.batch).toLocaleString("en-US")} sequences at most per run. A failure here means *not within this budget*.`, "");

  L.push("## 1. Success rate against T", "", "![success rate](gradients/success.svg)", "", "(Lines that coincide hide each other, e.g. Elman and Jordan at 0 on the adding problem; the tables have every count.)", "");
  L.push(`Runs solved out of ${res.seeds}, and mean test accuracy, per task, cell, length and clipping:`, "");
  for (const task of tasks) {
    L.push(`**${task}** (trivial baseline: ${task === "adding" ? "output 0.5: MSE ≈ 0.04, accuracy ≈ 0.15" : "chance: accuracy 0.25"})`, "");
    L.push(`| cell | ${res.lengths.map((T) => `T = ${T}, no clip | T = ${T}, clip`).join(" | ")} |`);
    L.push(`|---|${res.lengths.map(() => "---|---").join("|")}|`);
    for (const cell of cells) {
      const cellsTxt = res.lengths.flatMap((T) => [false, true].map((clip) => {
        const sel = success.filter((r) => r.task === task && r.cell === cell && r.T === T && r.clip === clip);
        const k = sel.filter((r) => r.solved).length, div = sel.filter((r) => r.diverged).length;
        return `${k}/${sel.length} (${fmt(mean(sel.map((r) => r.accuracy)))})${div ? ` ${div}✗` : ""}`;
      }));
      L.push(`| ${CELL_NAMES[cell]} | ${cellsTxt.join(" | ")} |`);
    }
    L.push("");
  }
  L.push("✗ = runs that diverged (non-finite loss or gradient).", "");
  L.push("Updates used (mean over runs; early stopping makes solved runs shorter) and how often clipping fired in the clipped runs:", "");
  L.push(`| task | cell | ${res.lengths.map((T) => `T = ${T}: updates | clip rate | median ‖g‖`).join(" | ")} |`);
  L.push(`|---|---|${res.lengths.map(() => "---|---|---").join("|")}|`);
  for (const task of tasks) for (const cell of cells) {
    const parts = res.lengths.map((T) => {
      const sel = success.filter((r) => r.task === task && r.cell === cell && r.T === T);
      const clipped = sel.filter((r) => r.clip);
      return `${fmt(mean(sel.map((r) => r.updates)), 0)} | ${fmt(100 * mean(clipped.map((r) => r.clipping.clipRate)), 0)} % | ${sci(mean(clipped.map((r) => r.clipping.before.median)))}`;
    });
    L.push(`| ${task} | ${CELL_NAMES[cell]} | ${parts.join(" | ")} |`);
  }
  L.push("");

  L.push("## 2. Per-step gradient norms at initialisation and after training", "", "![gradient norms](gradients/norms.svg)", "");
  L.push("‖∂L/∂h_t‖ over a probe batch of 32 sequences, from `stateGradients` (exact, checked against finite differences). The table gives the ratio ‖∂L/∂h_0‖ / ‖∂L/∂h_{T−1}‖: how much of the gradient at the last step survives back to the first (LSTM: the h path; its c path in the figure).", "");
  L.push("| task | T | cell | ratio at init | ratio after training | solved |", "|---|---|---|---|---|---|");
  for (const r of success.filter((x) => x.init)) {
    const ratio = (n?: number[]) => (n ? sci(n[0] / n[n.length - 1]) : "–");
    L.push(`| ${r.task} | ${r.T} | ${CELL_NAMES[r.cell]} | ${ratio(r.init!.h)} | ${ratio(r.trained?.h)} | ${r.solved ? "yes" : "no"} (${fmt(r.accuracy)}) |`);
  }
  L.push("");

  L.push("## 3. Elman with recurrent spectral radius < 1, ≈ 1, > 1", "", "![spectral radius](gradients/radius.svg)", "");
  L.push(`weight_hh drawn Gaussian and rescaled to spectral radius ρ exactly (σ_max is larger: the matrix is not normal); temporal order, T = ${res.radiusLength} (which the default Elman net solves), ${res.seeds} seeds, trained with Adam (lr ${s.lr}) and with SGD (lr ${s.sgdLr}, momentum ${s.sgdMomentum}), each with and without clipping. Gradient ratios are at initialisation, on the probe batch (Jacobian: sequence 0).`, "");
  L.push("| ρ(U) | σ_max(U) | ‖∂L/∂h_0‖/‖∂L/∂h_{T−1}‖ | ‖∂h_T/∂h_0‖₂ | optimiser | clipping | solved | mean accuracy | clip rate | median / max ‖g‖ before clipping |");
  L.push("|---|---|---|---|---|---|---|---|---|---|");
  for (const rho of [...new Set(radius.map((r) => r.radius!))]) for (const opt of ["adam", "sgd"]) for (const clip of [false, true]) {
    const sel = radius.filter((r) => r.radius === rho && (r.optimizer ?? "adam") === opt && r.clip === clip);
    if (!sel.length) continue;
    const rec = radius.find((r) => r.radius === rho && r.init);
    const k = sel.filter((r) => r.solved).length, div = sel.filter((r) => r.diverged).length;
    L.push(`| ${rho} | ${fmt(mean(sel.map((r) => r.sigmaInit)))} | ${rec ? sci(rec.init!.h[0] / rec.init!.h[rec.init!.h.length - 1]) : "–"} | ${rec?.init?.jacobian ? sci(rec.init.jacobian[0]) : "–"} | ${opt === "sgd" ? "SGD" : "Adam"} | ${clipName(clip, s)} | ${k}/${sel.length}${div ? ` (${div} diverged)` : ""} | ${fmt(mean(sel.map((r) => r.accuracy)))} | ${clip ? `${fmt(100 * mean(sel.map((r) => r.clipping.clipRate)), 0)} %` : "–"} | ${sci(mean(sel.map((r) => r.clipping.before.median)))} / ${sci(Math.max(...sel.map((r) => r.clipping.before.max)))} |`);
  }
  L.push("");
  if (inits.length) {
    const T = inits[0].T;
    L.push(`## 4. The longest length again, from another initialisation`, "");
    L.push(`T = ${T}, with clipping, ${res.seeds} seeds: PyTorch's default (section 1) against the toolkit's \`glorot\` scheme (Glorot-uniform input weights, an orthogonal recurrent matrix per gate block, zero biases except an LSTM forget-gate bias of 1, as Jozefowicz et al. 2015 advise). Ratio = ‖∂L/∂h_0‖/‖∂L/∂h_{T−1}‖ at initialisation, seed 0 (LSTM: h and c).`, "");
    L.push("| task | cell | PyTorch init: solved (accuracy) | ratio | glorot init: solved (accuracy) | ratio |", "|---|---|---|---|---|---|");
    for (const task of tasks) for (const cell of cells) {
      const a = success.filter((r) => r.task === task && r.cell === cell && r.T === T && r.clip);
      const b = inits.filter((r) => r.task === task && r.cell === cell);
      const ratio = (rows: Row[]) => {
        const r = rows.find((x) => x.init);
        if (!r) return "–";
        const q = (v: number[]) => sci(v[0] / v[v.length - 1]);
        return r.init!.c ? `${q(r.init!.h)} / ${q(r.init!.c)}` : q(r.init!.h);
      };
      const solved = (rows: Row[]) => `${rows.filter((r) => r.solved).length}/${rows.length} (${fmt(mean(rows.map((r) => r.accuracy)))})`;
      L.push(`| ${task} | ${CELL_NAMES[cell]} | ${solved(a)} | ${ratio(a)} | ${solved(b)} | ${ratio(b)} |`);
    }
    L.push("");
  }
  L.push(...longRangeSection(res.rows, s, [...success, ...inits]));
  L.push("## 6. Comparison with the published results", "", ...discussion(res, success, radius, inits), "");
  return L.join("\n");
}
