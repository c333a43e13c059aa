// The vanishing gradient made visible: ‖∂L/∂state_t‖ over t (log scale) for the current weights
// (with the first measurement, before training, dashed beside it), a heatmap of it over
// (time step × training update), the global gradient norm of every update with the clipping
// threshold and each clipping event, and the spectral radius of each recurrent block over training.
import { LineChart, type LineSeries } from "../charts/line.ts";
import { Heatmap } from "../charts/heatmap.ts";
import { fmt } from "../charts/colors.ts";
import type { Column, Views } from "../protocol.ts";
import { GrowingSeries, buckets } from "./series.ts";

const MAX_COLUMNS = 240;

export class GradientsView {
  private norms: LineChart;
  private map: Heatmap;
  private clipChart: LineChart;
  private radiusChart: LineChart;
  /** Columns of the heatmap: the update and ‖∂L/∂h_t‖ for t = 0..T−1. */
  private columns: Array<{ step: number; norms: number[] }> = [];
  private first: Views["gradients"] | null = null;
  private radius = new Map<string, Array<[number, number]>>();
  readonly gradNorms = new GrowingSeries(20000);
  readonly clipSteps: number[] = [];
  references: Array<{ label: string; norms: number[] }> = [];
  /** Earlier runs' gradient norms per update (lessons), beside this run's. */
  normReferences: Array<{ label: string; points: Array<[number, number]> }> = [];
  private clip = 0;
  private state = "h";

  constructor(normsEl: HTMLElement, mapEl: HTMLElement, clipEl: HTMLElement, radiusEl: HTMLElement) {
    this.norms = new LineChart(normsEl, { logY: true, xLabel: "time step t", yLabel: "‖∂L/∂h_t‖", height: 230 });
    this.map = new Heatmap(mapEl, {
      title: "‖∂L/∂h_t‖ over training (columns: updates; rows: t, 0 at the bottom)", scale: "sequential", log: true,
      rowLabel: (r) => `${r}`, colLabel: (c) => String(this.columns[c]?.step ?? c), rowName: "t", colName: "update", valueName: "‖∂L/∂h_t‖", flipY: true, height: 230,
    });
    this.clipChart = new LineChart(clipEl, { logY: true, xLabel: "update", yLabel: "‖g‖ before clipping", height: 200 });
    this.radiusChart = new LineChart(radiusEl, { xLabel: "update", yLabel: "spectral radius ρ", height: 200 });
  }

  reset(clip: number, state: string, unit = "update"): void {
    this.columns = []; this.first = null; this.radius.clear(); this.gradNorms.clear(); this.clipSteps.length = 0;
    this.clip = clip; this.state = state;
    this.map.update({ rows: 0, cols: 0, values: [] }, { colName: unit });
    this.radiusChart.update([], { xLabel: unit });
  }
  setClip(clip: number): void { this.clip = clip; }

  keep(label: string, run: string): void {
    const c = this.columns[this.columns.length - 1];
    if (c) this.references.push({ label, norms: c.norms });
    this.keepNorms(run);
  }
  keepNorms(run: string): void {
    if (this.gradNorms.points.length) this.normReferences.push({ label: `${run}: ‖g‖`, points: buckets(this.gradNorms.points, 300) });
  }

  add(v: Views | Column, layer: number): void {
    const s = v.gradients.find((g) => g.layer === layer && g.state === this.state) ?? v.gradients.find((g) => g.layer === layer);
    if (!s) return;
    if ("states" in v) this.first ??= v.gradients;
    const last = this.columns[this.columns.length - 1];
    if (last && last.step === v.step) last.norms = s.norms;
    else this.columns.push({ step: v.step, norms: s.norms });
    if (this.columns.length > MAX_COLUMNS) this.columns = this.columns.filter((_, i) => i % 2 === 0 || i === this.columns.length - 1);
    for (const sp of v.spectra) {
      const key = sp.block === "U" || sp.block === "ss" ? sp.tensor : `${sp.tensor} ${sp.block}`;
      const arr = this.radius.get(key) ?? [];
      if (!arr.length || arr[arr.length - 1][0] !== v.step) arr.push([v.step, sp.spectralRadius]);
      this.radius.set(key, arr);
    }
  }

  draw(v: Views | null, layer: number): void {
    if (v) {
      const series: LineSeries[] = [];
      this.references.forEach((r, i) => series.push({ name: r.label, points: r.norms.map((y, t) => [t, y] as [number, number]), color: ["#7a7a7a", "#b07aa1", "#9c755f"][i % 3], dash: "5 3" }));
      const firstOfLayer = this.first?.filter((g) => g.layer === layer) ?? [];
      for (const g of firstOfLayer) series.push({ name: `${g.state}: before training`, points: g.norms.map((y, t) => [t, y] as [number, number]), color: g.state === "h" || g.state === "s" ? "#56B4E9" : "#E69F00", dash: "2 3", width: 1.3 });
      for (const g of v.gradients.filter((x) => x.layer === layer)) {
        series.push({ name: `${g.state} at update ${v.step}`, points: g.norms.map((y, t) => [t, y] as [number, number]), color: g.state === "h" || g.state === "s" ? "#0072B2" : "#D55E00", width: 2.2 });
      }
      const cur = v.gradients.find((x) => x.layer === layer);
      const ratio = cur && cur.norms.length > 1 ? cur.norms[0] / cur.norms[cur.norms.length - 1] : NaN;
      this.norms.update(series, { xLabel: `time step t (layer ${layer}; ‖∂L/∂h_0‖ / ‖∂L/∂h_T−1‖ = ${fmt(ratio, 2)})` });
    }
    if (this.columns.length) {
      const T = this.columns[0].norms.length, C = this.columns.length;
      const values = new Array<number>(T * C);
      for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) values[t * C + c] = this.columns[c].norms[t] ?? NaN;
      this.map.update({ rows: T, cols: C, values });
    }
    const pts = buckets(this.gradNorms.points, 500);
    const n = this.gradNorms.points.length;
    const refs: LineSeries[] = this.normReferences.map((r, i) => ({ name: r.label, points: r.points, color: ["#7a7a7a", "#b07aa1", "#9c755f"][i % 3], dash: "5 3", width: 1.2 }));
    this.clipChart.update([...refs, { name: "‖g‖ of each update, before clipping", points: pts, color: "#0072B2" }], {
      hLines: this.clip > 0 ? [{ y: this.clip, label: `clip at ${this.clip}` }] : [],
      marks: { xs: this.clipSteps.slice(-2000), label: `clipping fired (${this.clipSteps.length} of ${n} updates)`, color: "#c62828" },
    });
    const rs: LineSeries[] = [...this.radius.entries()].map(([name, p]) => ({ name: `ρ(${name})`, points: p }));
    this.radiusChart.update(rs, { hLines: [{ y: 1, label: "ρ = 1" }] });
  }
}
