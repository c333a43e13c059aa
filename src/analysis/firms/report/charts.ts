// Vega-Lite specs for the firm-similarity report: the heatmap ordered by sector (the
// pixels are a PNG passed in as a data URL; see png.ts), the average-linkage dendrogram
// drawn as rules from the merge list, and the rolling-window similarity lines. Pure: these
// functions only build specs; writeChart renders them.
import type { ChartSpec } from "../../../plot/chart.ts";
import type { Merge } from "../stats/cluster.ts";
import { leafOrder } from "../stats/cluster.ts";

const SECTOR_SCHEME = "tableau20";

/**
 * Heatmap of an (N, N) similarity matrix already drawn into `pngUrl` in the order `order`,
 * with sector boundaries and names; `lim` is the colour limit of the symmetric scale.
 */
export function heatmapSpec(title: string, N: number, pngUrl: string, blocks: Array<{ sector: string; from: number; to: number }>, lim: number): ChartSpec {
  const size = 620;
  const sc = { domain: [0, N], nice: false, zero: false };
  return {
    title, width: size, height: size,
    layer: [
      {
        data: { values: [{ x: 0, y: 0, url: pngUrl }] },
        mark: { type: "image", width: size, height: size, align: "left", baseline: "top", aspect: false },
        encoding: {
          x: { field: "x", type: "quantitative", scale: sc, axis: null },
          y: { field: "y", type: "quantitative", scale: { ...sc, reverse: true }, axis: null },
          url: { field: "url", type: "nominal" },
        },
      },
      {
        data: { values: blocks.map((b) => ({ ...b, mid: 0.5 * (b.from + b.to) })) },
        layer: [
          { mark: { type: "rule", color: "black", strokeWidth: 0.6 }, encoding: { x: { field: "to", type: "quantitative", scale: sc } } },
          { mark: { type: "rule", color: "black", strokeWidth: 0.6 }, encoding: { y: { field: "to", type: "quantitative", scale: { ...sc, reverse: true } } } },
          {
            mark: { type: "text", align: "left", dx: 6, fontSize: 10, clip: false },
            encoding: { x: { datum: N, type: "quantitative", scale: sc }, y: { field: "mid", type: "quantitative", scale: { ...sc, reverse: true } }, text: { field: "sector" } },
          },
        ],
      },
      {
        // Invisible points that only carry the colour legend of the pixel scale.
        data: { values: [{ v: -lim }, { v: lim }] },
        mark: { type: "point", opacity: 0 },
        encoding: {
          x: { datum: 0, type: "quantitative", scale: sc },
          y: { datum: 0, type: "quantitative", scale: { ...sc, reverse: true } },
          color: { field: "v", type: "quantitative", title: "similarity", scale: { scheme: "redblue", reverse: true, domain: [-lim, lim] }, legend: { orient: "bottom", direction: "horizontal", gradientLength: 300 } },
        },
      },
    ],
    padding: { right: 170, left: 10, top: 10, bottom: 10 },
  };
}

/** The dendrogram of an average-linkage tree; leaves are ticks coloured by sector. */
export function dendrogramSpec(title: string, merges: Merge[], N: number, sectors: string[]): ChartSpec {
  const { x } = leafOrder(merges, N);
  const height = (id: number) => (id < N ? 0 : merges[id - N].height);
  const segs: Array<{ x: number; x2: number; y: number; y2: number }> = [];
  merges.forEach((m) => {
    const h = m.height;
    segs.push({ x: x[m.a], x2: x[m.a], y: height(m.a), y2: h });
    segs.push({ x: x[m.b], x2: x[m.b], y: height(m.b), y2: h });
    segs.push({ x: x[m.a], x2: x[m.b], y: h, y2: h });
  });
  const leaves = Array.from({ length: N }, (_, i) => ({ x: x[i], sector: sectors[i] }));
  return {
    title, width: 900, height: 320,
    layer: [
      {
        data: { values: segs },
        mark: { type: "rule", strokeWidth: 0.5, color: "#444" },
        encoding: {
          x: { field: "x", type: "quantitative", axis: null, scale: { domain: [-1, N], nice: false } },
          x2: { field: "x2" },
          y: { field: "y", type: "quantitative", title: "average-linkage distance (1 − similarity)" },
          y2: { field: "y2" },
        },
      },
      {
        data: { values: leaves },
        mark: { type: "tick", orient: "vertical", thickness: 1.5, size: 14, yOffset: 9 },
        encoding: {
          x: { field: "x", type: "quantitative", scale: { domain: [-1, N], nice: false } },
          y: { datum: 0, type: "quantitative" },
          color: { field: "sector", type: "nominal", scale: { scheme: SECTOR_SCHEME }, legend: { orient: "bottom", columns: 4, title: "sector" } },
        },
      },
    ],
  };
}

export interface RollingRow { panel: string; series: string; end: string; value: number }

/** Rolling-window lines, one panel per measure (own y scale), the 2008–09 crisis shaded. */
export function rollingSpec(title: string, rows: RollingRow[], panels: string[]): ChartSpec {
  return {
    title,
    vconcat: panels.map((panel, k) => ({
      width: 760, height: 110,
      layer: [
        {
          // Windows whose year includes the Sep 2008 – Mar 2009 crash end in this span.
          data: { values: [{ a: "2008-09-15", b: "2010-03-09" }] },
          mark: { type: "rect", color: "#f3d9d9" },
          encoding: { x: { field: "a", type: "temporal", scale: { type: "utc" } }, x2: { field: "b" } },
        },
        {
          data: { values: rows.filter((r) => r.panel === panel) },
          mark: { type: "line", strokeWidth: 1.5 },
          encoding: {
            x: { field: "end", type: "temporal", scale: { type: "utc" }, axis: { format: "%Y", tickCount: 10 }, title: k === panels.length - 1 ? "end of the window" : null },
            y: { field: "value", type: "quantitative", title: panel, scale: { zero: false } },
            color: { field: "series", type: "nominal", title: "pairs", scale: { domain: ["all pairs", "within sector", "between sectors", "market factor"] } },
          },
        },
      ],
    })),
    resolve: { scale: { color: "shared" } },
  };
}
