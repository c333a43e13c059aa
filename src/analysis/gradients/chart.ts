// Vega-Lite specs for gradient-flow plots (pure data → spec; rendering is src/plot/chart.ts).
// A log y axis cannot show 0, so exact zeros (e.g. an LSTM's c at a step the loss cannot
// reach) are left out of the plotted points, and the subtitle says how many.
import type { ChartSpec } from "../../plot/chart.ts";

export interface NormLine { series: string; norms: number[] }

/** ‖·‖ against t on a log scale, one line per series. */
export function normsChartSpec(lines: NormLine[], opts: { title: string; yTitle: string; xTitle?: string; width?: number; height?: number }): ChartSpec {
  const values: Array<{ t: number; norm: number; series: string }> = [];
  let dropped = 0;
  for (const l of lines) l.norms.forEach((v, t) => { if (v > 0 && Number.isFinite(v)) values.push({ t, norm: v, series: l.series }); else dropped++; });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: opts.title, subtitle: dropped ? `${dropped} zero or non-finite values not shown (log scale)` : "" },
    width: opts.width ?? 560, height: opts.height ?? 300,
    data: { values },
    mark: { type: "line", point: values.length <= 120 ? { size: 16 } : false },
    encoding: {
      x: { field: "t", type: "quantitative", title: opts.xTitle ?? "time step t" },
      y: { field: "norm", type: "quantitative", scale: { type: "log" }, title: opts.yTitle, axis: { format: ".0e" } },
      color: { field: "series", type: "nominal", title: null },
    },
  } as ChartSpec;
}
