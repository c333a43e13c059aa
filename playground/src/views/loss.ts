// The loss view: training loss per update (bucket means) and validation loss per evaluation,
// on a log scale, with the trivial predictor's loss as a line and, in a lesson, the curves of
// its earlier runs (dashed) to compare with.
import { LineChart, type LineSeries } from "../charts/line.ts";
import { GrowingSeries, buckets } from "./series.ts";

export interface Reference { label: string; train: Array<[number, number]>; val: Array<[number, number]> }

export class LossView {
  readonly train = new GrowingSeries();
  readonly val = new GrowingSeries(100000);
  references: Reference[] = [];
  private chart: LineChart;
  private baseline: { loss: number; what: string } | null = null;
  private unit = "updates";
  private lossName = "loss";
  private gradientFree = false;

  constructor(parent: HTMLElement) {
    this.chart = new LineChart(parent, { logY: true, xLabel: "update", yLabel: "loss", height: 240 });
  }

  reset(info: { baseline: { loss: number; what: string } | null; lossName: string }, unit: string, gradientFree: boolean): void {
    this.train.clear(); this.val.clear();
    this.baseline = info.baseline; this.lossName = info.lossName; this.unit = unit; this.gradientFree = gradientFree;
  }

  /** Keeps the current curves as a reference for the next run (lessons). */
  keep(label: string): void {
    this.references.push({ label, train: buckets(this.train.points, 300), val: this.val.points.slice() });
  }

  draw(): void {
    const series: LineSeries[] = [];
    const colors = ["#7a7a7a", "#b07aa1", "#9c755f"];
    this.references.forEach((r, i) => {
      series.push({ name: `${r.label}: training`, points: r.train, color: colors[i % colors.length], dash: "5 3", width: 1.2 });
      if (r.val.length) series.push({ name: `${r.label}: validation`, points: r.val, color: colors[i % colors.length], dash: "1 3", width: 2, quiet: false });
    });
    series.push({ name: this.gradientFree ? "best training loss so far" : "training", points: buckets(this.train.points, 600), color: "#0072B2" });
    series.push({ name: "validation", points: this.val.points, color: "#D55E00", width: 2, markers: this.val.points.length <= 60 });
    this.chart.update(series, {
      xLabel: this.unit === "evaluations" ? "loss evaluations" : "update", yLabel: this.lossName,
      hLines: this.baseline ? [{ y: this.baseline.loss, label: `trivial predictor (${this.baseline.what})` }] : [],
    });
  }
}
