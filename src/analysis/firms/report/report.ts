// Edge module (Node only): writes the firm-similarity report into a directory —
// report.md and report.html (the same blocks), summary.json, and per measure a heatmap
// ordered by sector and a dendrogram (SVG and PNG), plus one rolling-window chart.
// Every file is written atomically. The answer in plain words is generated from the
// measured numbers, so it can never disagree with the tables.
import { join } from "node:path";
import { loadVega, renderSvg, svgToPng, writeChart } from "../../../plot/chart.ts";
import { writeFileAtomic } from "../../../node/files.ts";
import type { Aligned } from "../align.ts";
import type { MeasureResult } from "../analyse.ts";
import { leafOrder } from "../stats/cluster.ts";
import { marketVolatility } from "../rolling.ts";
import { summaryJson, type RunOptions } from "../run.ts";
import { dendrogramSpec, heatmapSpec, rollingSpec, type RollingRow } from "./charts.ts";
import { toHtml, toMarkdown, type Block } from "./document.ts";
import { encodePng } from "./png.ts";

const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
/** A permutation p-value; at the floor 1/(n+1) no permutation reached the observed statistic. */
const pv = (p: number, n: number) => (p <= 1 / (n + 1) + 1e-15 ? `≤ ${(1 / (n + 1)).toPrecision(2)} (no permutation of ${n.toLocaleString("en-US")} reached it)` : p < 0.001 ? p.toExponential(1) : f(p, 4));
const pvEq = (p: number, n: number) => (p <= 1 / (n + 1) + 1e-15 ? pv(p, n) : `= ${pv(p, n)}`);
const pvShort = (p: number, n: number) => (p <= 1 / (n + 1) + 1e-15 ? `≤ ${(1 / (n + 1)).toPrecision(2)}` : p < 0.001 ? p.toExponential(1) : f(p, 4));
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const usd = (x: number) => (x >= 1e12 ? `${(x / 1e12).toFixed(2)}T` : x >= 1e9 ? `${(x / 1e9).toFixed(1)}B` : `${(x / 1e6).toFixed(0)}M`);

const DESCRIPTION: Record<string, string> = {
  pearson: "Pearson correlation of daily growth rates",
  cosine: "cosine of the raw (uncentred) growth-rate vectors",
  rbf: "RBF kernel on standardised growth vectors, bandwidth = median pairwise distance",
  residual: "correlation of residuals after regressing each firm on the equal-weighted market factor",
  rnn: "cosine of embeddings from a GRU next-day forecaster shared across firms",
};

/** Firm order for the heatmap: by sector (alphabetical), then by dendrogram order within sector. */
function sectorOrder(r: MeasureResult, N: number): { order: number[]; blocks: Array<{ sector: string; from: number; to: number }> } {
  const { order: leaves } = leafOrder(r.merges, N);
  const pos = new Int32Array(N);
  leaves.forEach((i, p) => { pos[i] = p; });
  const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => r.label[a] - r.label[b] || pos[a] - pos[b]);
  const blocks: Array<{ sector: string; from: number; to: number }> = [];
  order.forEach((i, p) => {
    const s = r.sectorNames[r.label[i]];
    if (!blocks.length || blocks[blocks.length - 1].sector !== s) blocks.push({ sector: s, from: p, to: p + 1 });
    else blocks[blocks.length - 1].to = p + 1;
  });
  return { order, blocks };
}

function heatmapPng(S: Float64Array, N: number, order: number[], lim: number, interp: (t: number) => string): string {
  const scale = Math.max(1, Math.ceil(600 / N)), W = N * scale;
  const rgb = new Uint8Array(W * W * 3);
  const cache = new Map<number, number[]>();
  const colour = (v: number) => {
    const t = Math.round(255 * Math.max(0, Math.min(1, 1 - (v + lim) / (2 * lim))));
    let c = cache.get(t);
    if (!c) { c = (interp(t / 255).match(/\d+/g) ?? ["0", "0", "0"]).slice(0, 3).map(Number); cache.set(t, c); }
    return c;
  };
  for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) {
    const c = colour(S[order[a] * N + order[b]]);
    for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) {
      const o = ((a * scale + dy) * W + b * scale + dx) * 3;
      rgb[o] = c[0]; rgb[o + 1] = c[1]; rgb[o + 2] = c[2];
    }
  }
  return "data:image/png;base64," + Buffer.from(encodePng(rgb, W, W)).toString("base64");
}

/** The verdict for one measure, in plain words, from its numbers. */
export function verdict(r: MeasureResult, alpha = 0.01): string {
  const s = r.sector, m = r.market_cap, n = s.permutations, N = r.label.length;
  const sec = s.p_value < alpha
    ? `firms in the same sector are more alike (within ${f(s.within_mean)} vs between ${f(s.between_mean)}, d = ${f(s.effect_size, 2)}, p ${pvEq(s.p_value, n)})`
    : `no evidence that same-sector firms are more alike (within ${f(s.within_mean)} vs between ${f(s.between_mean)}, p ${pvEq(s.p_value, n)})`;
  const knn = `a firm's ${r.knn.k} most similar firms name its sector ${pct(s.knn_accuracy)} of the time (chance ${pct(s.chance_accuracy)})`;
  const big = r.clusters.sizes[0];
  const ari = `clustering into ${r.clusters.k} groups recovers the sectors with ARI ${f(s.ari, 2)}${big > N / 2 && s.ari < 0.2 ? ` (one cluster holds ${big} of ${N} firms: the common market movement swamps the tree)` : ""}`;
  const size = m.p_value < alpha
    ? `similarity ${m.mantel_r < 0 ? "falls" : "rises"}${Math.abs(m.mantel_r) < 0.1 ? " slightly" : ""} as sizes differ (Mantel r = ${f(m.mantel_r)}, p ${pvEq(m.p_value, m.permutations)})`
    : `no evidence that size difference matters (Mantel r = ${f(m.mantel_r)}, p ${pvEq(m.p_value, m.permutations)})`;
  return `**${r.measure}**: ${sec}; ${knn}; ${ari}; ${size}.`;
}

export interface ReportInput { prices: string; firms: string; command: string }

export async function writeReport(dir: string, a: Aligned, results: MeasureResult[], opt: RunOptions, input: ReportInput): Promise<string[]> {
  const N = a.tickers.length, T = a.dates.length;
  const written: string[] = [];
  const B: Block[] = [];
  B.push({ h: 1, text: "Firm similarity from daily growth rates" });
  B.push({ p: `Does the similarity of two firms' daily growth-rate histories go with their business sector and their market capitalisation? ${N} firms, ${T} common trading days from ${a.dates[0]} to ${a.dates[T - 1]} (window ${a.start} to ${a.end}), growth rate μ = (1/Δt)·ln(S_t/S_{t−1}) with Δt = 1/252. Every p-value comes from ${opt.permutations.toLocaleString("en-US")} seeded permutations (seed ${opt.seed}).` });
  B.push({ h: 2, text: "The answer" });
  B.push({ list: results.map((r) => verdict(r)) });

  B.push({ h: 2, text: "All measures at a glance" });
  B.push({ table: {
    head: ["measure", "within", "between", "effect d", "p (sector)", `kNN acc. (k=${opt.k})`, "chance", "ARI", "Mantel r", "p (size)"],
    rows: results.map((r) => [r.measure, f(r.sector.within_mean), f(r.sector.between_mean), f(r.sector.effect_size, 2), pvShort(r.sector.p_value, r.sector.permutations), pct(r.sector.knn_accuracy), pct(r.sector.chance_accuracy), f(r.sector.ari, 3), f(r.market_cap.mantel_r, 4), pvShort(r.market_cap.p_value, r.market_cap.permutations)]),
  } });
  B.push({ p: `within/between: mean similarity over the ${results[0].sector.within_pairs.toLocaleString("en-US")} same-sector and ${results[0].sector.between_pairs.toLocaleString("en-US")} cross-sector pairs; effect d: Cohen's d between those two groups of pairs; p (sector): one-sided permutation test of (within − between) with sector labels shuffled; kNN: leave-one-out majority vote of the k most similar firms, chance = mean accuracy with shuffled labels (majority class ${pct(results[0].knn.majority_rate)}); ARI: adjusted Rand index of average-linkage clusters (as many as sectors) against sectors; Mantel r: correlation over pairs between similarity and |Δ log market cap|, two-sided permutation p.` });

  // Rolling windows: one chart for all measures, plus market volatility.
  const rows: RollingRow[] = [];
  for (const r of results) for (const p of r.rolling) {
    rows.push({ panel: r.measure, series: "all pairs", end: p.end, value: p.mean });
    rows.push({ panel: r.measure, series: "within sector", end: p.end, value: p.within });
    rows.push({ panel: r.measure, series: "between sectors", end: p.end, value: p.between });
  }
  // Progress: the rolling chart, then each measure's heatmap and dendrogram.
  const charts = 1 + results.length;
  opt.progress?.("writing the report", 0, charts);
  const vol = marketVolatility(a.growth, a.dates, N, opt.window, opt.step);
  for (const v of vol) rows.push({ panel: "market volatility", series: "market factor", end: v.end, value: v.value });
  if (vol.length) {
    await writeChart(dir, "rolling", rollingSpec(`Similarity on rolling ${opt.window}-day windows (step ${opt.step} days); shaded: windows that include Sep 2008 – Mar 2009`, rows, [...results.map((r) => r.measure), "market volatility"]));
    written.push("rolling.svg", "rolling.png");
    B.push({ h: 2, text: "How similarity moves over time" });
    B.push({ img: { src: "rolling.png", alt: "rolling-window similarity" } });
    const peakVol = vol.reduce((x, y) => (y.value > x.value ? y : x));
    const lines = results.filter((r) => r.rolling.length).map((r) => {
      const top = (key: (p: (typeof r.rolling)[number]) => number) => r.rolling.reduce((x, y) => (key(y) > key(x) ? y : x));
      const gap = (p: (typeof r.rolling)[number]) => p.within - p.between;
      const pk = top((p) => p.mean), lo = top((p) => -p.mean), gk = top(gap);
      const crisis = r.rolling.filter((p) => p.end >= "2008-09-15" && p.end <= "2010-03-09");
      const c = crisis.length ? crisis.reduce((x, y) => (y.mean > x.mean ? y : x)) : null;
      // Residual and RNN similarities are centred, so their all-pairs mean is ~0 by construction: only the gap speaks.
      const centred = r.measure === "residual" || r.measure === "rnn";
      return centred
        ? `${r.measure}: centred by construction (all-pairs mean ${f(lo.mean)} to ${f(pk.mean)}); the within − between sector gap ranges ${f(gap(top((p) => -gap(p))))}–${f(gap(gk))}, widest in the window ending ${gk.end}.`
        : `${r.measure}: mean similarity over all pairs peaks at ${f(pk.mean)} (window ending ${pk.end}) and is lowest at ${f(lo.mean)} (ending ${lo.end})${c ? `; windows that include the 2008–09 crash reach ${f(c.mean)} (ending ${c.end})` : ""}; the within − between gap is widest (${f(gap(gk))}) in the window ending ${gk.end}.`;
    });
    lines.unshift(`Market-factor volatility (annualised) peaks at ${pct(peakVol.value)} in the window ending ${peakVol.end}.`);
    B.push({ list: lines });
  }

  B.push({ h: 2, text: "Data: what was kept and what was dropped" });
  B.push({ list: [
    `prices: \`${input.prices}\`; firms: \`${input.firms}\``,
    `${a.calendarDays} trading days in the window; ${T} days on which every kept firm has a one-day growth rate; ${a.droppedDays.length} days dropped because some kept firm lacks that day or the day before (no filling).`,
    `${N} firms kept; ${a.droppedFirms.length} dropped${a.droppedPriceRows ? `; ${a.droppedPriceRows} price rows of unknown tickers dropped` : ""}.`,
  ] });
  if (a.droppedFirms.length) B.push({ table: { head: ["dropped firm", "reason"], rows: a.droppedFirms.map((d) => [d.ticker, d.reason]), align: ["l", "l"] } });
  if (a.droppedDays.length) {
    const top = [...a.droppedDays].sort((x, y) => y.missing - x.missing).slice(0, 12);
    B.push({ table: { head: ["dropped day", "kept firms without a growth rate", "e.g."], rows: top.map((d) => [d.date, String(d.missing), d.example]) } });
  }
  const counts = new Map<string, number>();
  for (const s of a.sectors) counts.set(s, (counts.get(s) ?? 0) + 1);
  B.push({ table: { head: ["sector", "firms kept"], rows: [...counts].sort((x, y) => x[0].localeCompare(y[0])).map(([s, n]) => [s, String(n)]) } });

  opt.progress?.("writing the report", 1, charts);
  for (const [done, r] of results.entries()) {
    const { order, blocks } = sectorOrder(r, N);
    let lim = 0;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (i !== j) lim = Math.max(lim, Math.abs(r.S[i * N + j]));
    // The heatmap PNG at scale 1: its pixels are noise-like and would not compress at scale 2.
    const svg = await renderSvg(heatmapSpec(`${r.measure}: similarity ordered by sector`, N, heatmapPng(r.S, N, order, lim || 1, (await loadVega()).vega.scheme("redblue") as (t: number) => string), blocks, Number((lim || 1).toPrecision(3))));
    writeFileAtomic(join(dir, `heatmap-${r.measure}.svg`), svg);
    writeFileAtomic(join(dir, `heatmap-${r.measure}.png`), svgToPng(svg, 1));
    await writeChart(dir, `dendrogram-${r.measure}`, dendrogramSpec(`${r.measure}: average-linkage dendrogram (leaves coloured by sector)`, r.merges, N, a.sectors));
    written.push(`heatmap-${r.measure}.svg`, `heatmap-${r.measure}.png`, `dendrogram-${r.measure}.svg`, `dendrogram-${r.measure}.png`);
    opt.progress?.("writing the report", 2 + done, charts);
    B.push({ h: 2, text: `Measure: ${r.measure}` });
    const info = Object.entries(r.info).map(([k, v]) => `${k} = ${typeof v === "number" ? Number(v.toPrecision(4)) : v}`).join(", ");
    const what = DESCRIPTION[r.measure] ?? r.measure;
    B.push({ p: `${what[0].toUpperCase()}${what.slice(1)}.${info ? ` (${info})` : ""} ${verdict(r)}` });
    B.push({ img: { src: `heatmap-${r.measure}.png`, alt: `${r.measure} heatmap` } });
    B.push({ img: { src: `dendrogram-${r.measure}.png`, alt: `${r.measure} dendrogram` } });
    const K = r.sectorNames.length;
    B.push({ table: {
      head: ["sector", "firms", "mean within", "mean to other sectors", "most similar other sector"],
      rows: r.sectorNames.map((s, k) => {
        let other = 0, on = 0, best = -1;
        for (let l = 0; l < K; l++) if (l !== k && Number.isFinite(r.blocks[k * K + l])) { other += r.blocks[k * K + l]; on++; if (best < 0 || r.blocks[k * K + l] > r.blocks[k * K + best]) best = l; }
        return [s, String(counts.get(s) ?? 0), f(r.blocks[k * K + k]), f(on ? other / on : NaN), best >= 0 ? `${r.sectorNames[best]} (${f(r.blocks[k * K + best])})` : ""];
      }),
    } });
    const q = r.market_cap.quintiles;
    B.push({ table: {
      head: ["size quintile", "market cap range", "firms", ...q.mean.map((_, j) => `with Q${j + 1}`)],
      rows: q.mean.map((row, i) => [`Q${i + 1}${i === 0 ? " (smallest)" : i === 4 ? " (largest)" : ""}`, `${usd(q.range[i][0])}–${usd(q.range[i][1])}`, String(q.count[i]), ...row.map((v) => f(v))]),
    } });
    B.push({ p: `Wall-clock seconds in this run: ${Object.entries(r.seconds).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ")}.` });
  }

  B.push({ h: 2, text: "Caveats" });
  B.push({ list: [
    "Survivorship: the firms are those in the S&P 500 in February 2018; firms that failed or left during the window are absent, which understates 2008's dispersion.",
    "Sectors and market caps are end-of-period snapshots (2018 GICS, pre-September-2018 structure); a firm's sector and size in 2007 may differ.",
    "Pairs are not independent, so only permutation p-values are quoted; Cohen's d describes the size of the gap, not its significance.",
    "The RBF similarity is a monotone function of Pearson correlation on standardised data; its neighbour ranks, and so kNN and clustering, can only differ through ties and averaging.",
  ] });
  B.push({ h: 2, text: "Reproduce" });
  B.push({ code: input.command });

  writeFileAtomic(join(dir, "report.md"), toMarkdown(B));
  writeFileAtomic(join(dir, "report.html"), toHtml("Firm similarity from daily growth rates", B));
  writeFileAtomic(join(dir, "summary.json"), JSON.stringify(summaryJson(a, results, opt), null, 1) + "\n");
  written.push("report.md", "report.html", "summary.json");
  return written.map((w) => join(dir, w));
}
