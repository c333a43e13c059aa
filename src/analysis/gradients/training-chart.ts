// The Vega-Lite spec of `recurrent train --log-gradients`'s plot (gradients.svg/png): how the
// gradient flow changes over training, from the "gradients" objects of metrics.jsonl.
//   top:          ‖∂L/∂h_t‖ against t (log scale), one line per logged evaluation, coloured by
//                 the update it was taken at (dark: early, light: late)
//   bottom left:  the global gradient norm before clipping (mean and max over each evaluation
//                 interval) and after clipping (mean), log scale, with the clip threshold
//   bottom right: the share of updates whose gradient was clipped, per interval
// Pure data → spec (no file writing, no node: imports); rendering is src/plot/chart.ts.
import type { ChartSpec } from "../../plot/chart.ts";

/** What one metrics.jsonl record contributes (the fields the plot reads). */
export interface TrainingGradientPoint {
  step: number;
  gradients?: {
    norms?: number[];
    updates?: number;
    clip_rate?: number;
    norm_before?: { mean: number; max: number };
    norm_after?: { mean: number };
  } | null;
}

export function trainingGradientsSpec(records: readonly TrainingGradientPoint[], opts: { title: string; state?: string; clip?: number }): ChartSpec {
  const flow: Array<{ t: number; norm: number; step: number }> = [];
  const norms: Array<{ step: number; norm: number; series: string }> = [];
  const clips: Array<{ step: number; rate: number }> = [];
  let dropped = 0;
  for (const r of records) {
    const g = r.gradients;
    if (!g) continue;
    g.norms?.forEach((v, t) => { if (pos(v)) flow.push({ t, norm: v, step: r.step }); else dropped++; });
    // An interval with no updates (the record taken before training) has no clipping figures.
    if (!g.updates) continue;
    if (g.norm_before && pos(g.norm_before.mean)) norms.push({ step: r.step, norm: g.norm_before.mean, series: "mean before clipping" });
    if (g.norm_before && pos(g.norm_before.max)) norms.push({ step: r.step, norm: g.norm_before.max, series: "max before clipping" });
    if (g.norm_after && pos(g.norm_after.mean)) norms.push({ step: r.step, norm: g.norm_after.mean, series: "mean after clipping" });
    if (typeof g.clip_rate === "number") clips.push({ step: r.step, rate: g.clip_rate });
  }
  const h = opts.state ?? "h";
  const clipLayer = opts.clip ? [{ mark: { type: "rule", strokeDash: [4, 3], color: "#888" }, data: { values: [{ clip: opts.clip }] }, encoding: { y: { field: "clip", type: "quantitative" } } }] : [];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: opts.title, subtitle: dropped ? `${dropped} zero or non-finite values of ‖∂L/∂${h}_t‖ not shown (log scale)` : "" },
    vconcat: [
      {
        width: 620, height: 260,
        title: `‖∂L/∂${h}_t‖ on a fixed probe batch, at each logged evaluation`,
        data: { values: flow },
        mark: { type: "line", point: flow.length <= 200 ? { size: 12 } : false },
        encoding: {
          x: { field: "t", type: "quantitative", title: "time step t" },
          y: { field: "norm", type: "quantitative", scale: { type: "log" }, title: `‖∂L/∂${h}_t‖`, axis: { format: ".0e" } },
          color: { field: "step", type: "quantitative", title: "update", scale: { scheme: "viridis" } },
          detail: { field: "step", type: "nominal" },
        },
      },
      {
        hconcat: [
          {
            width: 290, height: 200,
            title: `global gradient norm per evaluation interval${opts.clip ? ` (clip at ${opts.clip})` : ""}`,
            layer: [
              {
                data: { values: norms },
                mark: { type: "line", point: true },
                encoding: {
                  x: { field: "step", type: "quantitative", title: "update" },
                  y: { field: "norm", type: "quantitative", scale: { type: "log" }, title: "‖g‖", axis: { format: ".0e" } },
                  color: { field: "series", type: "nominal", title: null, legend: { orient: "bottom", direction: "vertical", labelLimit: 0 },
                    scale: { domain: ["mean before clipping", "max before clipping", "mean after clipping"], range: ["#4c78a8", "#9ecae9", "#f58518"] } },
                },
              },
              ...clipLayer,
            ],
          },
          {
            width: 290, height: 200,
            title: opts.clip ? "share of updates clipped" : "share of updates clipped (clipping off)",
            data: { values: clips },
            mark: { type: "line", color: "#e45756", point: { color: "#e45756" } },
            encoding: {
              x: { field: "step", type: "quantitative", title: "update" },
              y: { field: "rate", type: "quantitative", title: "clip rate", scale: { domain: [0, 1] } },
            },
          },
        ],
      },
    ],
    resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
  } as ChartSpec;
}

function pos(v: unknown): v is number { return typeof v === "number" && Number.isFinite(v) && v > 0; }
