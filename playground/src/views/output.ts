// The task's output view: prediction against target (a scatter for the adding problem, class
// probabilities for temporal order, every step of one sequence for XOR, Reber and copy), a
// forecast against the series, or text sampled from the character model.
import { LineChart } from "../charts/line.ts";
import { Heatmap } from "../charts/heatmap.ts";
import { css, fmt, sequential } from "../charts/colors.ts";
import type { OutputView as Out } from "../protocol.ts";

export class OutputPanel {
  private kind: Out["kind"] | null = null;
  private body: HTMLDivElement;
  private info: HTMLParagraphElement;
  private chart: LineChart | null = null;
  private map: Heatmap | null = null;
  private extra: HTMLDivElement | null = null;

  constructor(parent: HTMLElement) {
    this.info = document.createElement("p");
    this.info.className = "out-info";
    this.body = document.createElement("div");
    parent.append(this.info, this.body);
  }

  clear(): void { this.kind = null; this.body.textContent = ""; this.info.textContent = ""; this.chart = null; this.map = null; this.extra = null; }

  draw(o: Out): void {
    if (o.kind !== this.kind) { this.clear(); this.kind = o.kind; }
    this.info.textContent = o.title;
    switch (o.kind) {
      case "scatter": {
        this.chart ??= new LineChart(this.body, { xLabel: "target", yLabel: "prediction", height: 240, diagonal: true });
        const pts = o.target.map((t, i) => [t, o.prediction[i]] as [number, number]);
        const all = [...o.target, ...o.prediction].filter(Number.isFinite);
        const lo0 = Math.min(...all), hi0 = Math.max(...all), pad = (hi0 - lo0) * 0.08 || 0.1;
        const lo = lo0 - pad, hi = hi0 + pad;
        this.chart.update([{ name: `probe sequences (|error| < ${o.tolerance}: ${pct(o.accuracy)} of them)`, points: pts, dots: true, color: "#0072B2" }], { xDomain: [lo, hi], yDomain: [lo, hi] });
        return;
      }
      case "classes": {
        this.extra ??= el(this.body, "div");
        const t = document.createElement("table");
        t.className = "probs";
        const head = t.insertRow();
        head.append(th("seq"), ...o.probs[0].map((_, k) => th(`class ${k}`)));
        o.probs.forEach((p, i) => {
          const r = t.insertRow();
          r.append(th(String(i)));
          p.forEach((v, k) => {
            const c = r.insertCell();
            c.textContent = v.toFixed(2);
            c.style.background = css(sequential(v));
            c.style.color = v > 0.6 ? "#111" : "#fff";
            if (k === o.target[i]) { c.classList.add("target"); c.title = "the right class"; }
          });
        });
        this.extra.replaceChildren(t, note(`Outlined: the right class. Validation accuracy is on the loss chart's evaluations; here ${pct(o.accuracy)} of the probe sequences are right.`));
        return;
      }
      case "steps": {
        const T = o.steps.length, O = o.outputs;
        this.map ??= new Heatmap(this.body, {
          title: o.classes ? "predicted probability of each symbol (dots: the target)" : "predicted probability of each output (dots: target 1)",
          scale: "sequential", range: [0, 1], rowLabel: (r) => String(r), colLabel: (c) => String(c), rowName: o.classes ? "symbol" : "output", colName: "t", valueName: "probability", flipY: true, height: Math.max(90, Math.min(200, 24 * O)),
        });
        const values = new Array<number>(O * T), marks: Array<[number, number]> = [];
        o.steps.forEach((s, t) => {
          for (let k = 0; k < O; k++) values[k * T + t] = s.prediction[k];
          if (!s.scored) return;
          if (o.classes) marks.push([s.target[0], t]);
          else s.target.forEach((v, k) => { if (v > 0.5) marks.push([k, t]); });
        });
        this.map.update({ rows: O, cols: T, values, marks });
        this.extra ??= el(this.body, "div");
        const lines: HTMLElement[] = [];
        if (o.classes) {
          type Step = { target: number[]; prediction: number[]; scored: boolean };
          const row = (label: string, f: (s: Step) => string, bad: (s: Step) => boolean) => {
            const d = document.createElement("div"); d.className = "symbols";
            d.append(document.createTextNode(label));
            for (const s of o.steps) { const sp = document.createElement("span"); sp.textContent = f(s) + " "; if (bad(s)) sp.className = "bad"; d.append(sp); }
            return d;
          };
          const arg = (p: number[]) => p.indexOf(Math.max(...p));
          lines.push(row("target    ", (s) => (s.scored ? String(s.target[0]) : "·"), () => false));
          lines.push(row("predicted ", (s) => String(arg(s.prediction)), (s) => s.scored && arg(s.prediction) !== s.target[0]));
        }
        this.extra.replaceChildren(...lines, note(`Sequences right by the task's criterion: ${pct(o.accuracy)} of the probe batch${o.stepAccuracy !== null ? `; scored steps right: ${pct(o.stepAccuracy)}` : ""}.`));
        return;
      }
      case "forecast": {
        this.chart ??= new LineChart(this.body, { xLabel: o.dates ? "month" : "step", yLabel: "value", height: 250 });
        const dates = o.dates;
        const fmtX = (x: number) => (dates ? dates[Math.max(0, Math.min(dates.length - 1, Math.round(x)))] ?? String(x) : String(Math.round(x)));
        this.chart.update([
          { name: "series", points: o.actual.map((v, i) => [i, v] as [number, number]), color: "#555", width: 1.2 },
          { name: "one step ahead (each validation window)", points: o.oneStep, color: "#0072B2", width: 1.8 },
          { name: `the whole horizon from the last window`, points: o.horizon, color: "#D55E00", width: 2.2 },
        ], { xFormat: fmtX, bands: [{ from: o.trainEnd, to: o.valEnd, label: "validation" }], xDomain: [Math.max(0, o.trainEnd - 3 * (o.valEnd - o.trainEnd)), o.valEnd + 1] });
        this.extra ??= el(this.body, "div");
        this.extra.replaceChildren(note(`Validation MAE ${fmt(o.mae)} against the naive forecast's ${fmt(o.naiveMae)}${o.seasonalMae !== null ? ` and the seasonal naive's ${fmt(o.seasonalMae)}` : ""} (the series' units).`));
        return;
      }
      case "text": {
        this.extra ??= el(this.body, "div");
        const pre = document.createElement("div");
        pre.className = "sample";
        pre.dataset.sample = "";
        const p = document.createElement("span"); p.className = "prompt"; p.textContent = o.prompt;
        pre.append(p, document.createTextNode(o.text));
        this.extra.replaceChildren(pre, note(`300 characters drawn from softmax(logits / ${o.temperature}) after the highlighted prompt (temperature 0: always the likeliest).`));
        return;
      }
    }
  }
}

function el(parent: HTMLElement, tag: string): HTMLDivElement { const e = document.createElement(tag) as HTMLDivElement; parent.append(e); return e; }
function th(s: string): HTMLTableCellElement { const e = document.createElement("th"); e.textContent = s; return e; }
function note(s: string): HTMLParagraphElement { const p = document.createElement("p"); p.className = "out-info"; p.textContent = s; return p; }
function pct(x: number): string { return `${Math.round(100 * x)} %`; }
