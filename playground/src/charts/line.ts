// A small SVG line (and scatter) chart: linear or log y, nice ticks, a legend, horizontal
// reference lines, shaded x ranges, tick marks for events, and a hover read-out of every series
// at the pointer's x. Drawn at the container's pixel width so text stays readable on a phone.
// Not a general charting library: only what the playground's views need.
import { fmt, LINE_COLORS } from "./colors.ts";
import { hideTip, showTip } from "./tooltip.ts";

export interface LineSeries {
  name: string;
  points: Array<[number, number]>;
  color?: string;
  dash?: string;
  width?: number;
  /** Draw points as dots (a scatter) instead of a line. */
  dots?: boolean;
  /** Draw a dot at each point as well as the line. */
  markers?: boolean;
  /** Leave out of the hover read-out. */
  quiet?: boolean;
}

export interface ChartOptions {
  height?: number;
  logY?: boolean;
  xLabel?: string;
  yLabel?: string;
  /** Fixed y range (else from the data). */
  yDomain?: [number, number];
  xDomain?: [number, number];
  /** Formats x in the read-out and ticks (default: numbers). */
  xFormat?: (x: number) => string;
  hLines?: Array<{ y: number; label: string; color?: string }>;
  /** Shaded x ranges, e.g. the validation part of a series. */
  bands?: Array<{ from: number; to: number; label: string }>;
  /** Event marks along the top, e.g. clipping: x positions. */
  marks?: { xs: number[]; label: string; color?: string };
  /** x = y diagonal (scatter of prediction against target). */
  diagonal?: boolean;
}

const NS = "http://www.w3.org/2000/svg";
const M = { top: 10, right: 12, bottom: 34, left: 58 };

export class LineChart {
  readonly el: HTMLDivElement;
  private series: LineSeries[] = [];
  private opts: ChartOptions;
  private svg: SVGSVGElement;
  private legend: HTMLDivElement;
  private width = 0;
  private scale: { x: (v: number) => number; y: (v: number) => number; ix: (px: number) => number; w: number; h: number } | null = null;

  constructor(parent: HTMLElement, opts: ChartOptions = {}) {
    this.opts = opts;
    this.el = document.createElement("div");
    this.el.className = "chart";
    this.svg = document.createElementNS(NS, "svg");
    this.legend = document.createElement("div");
    this.legend.className = "legend";
    this.el.append(this.svg, this.legend);
    parent.append(this.el);
    this.svg.addEventListener("pointermove", (e) => this.hover(e));
    this.svg.addEventListener("pointerleave", () => { hideTip(); this.cursor(null); });
    // The width comes from the observer (after layout), never read while drawing: reading it
    // between other charts' DOM writes would force a layout per chart.
    new ResizeObserver((entries) => {
      const w = Math.round(entries[0].contentRect.width);
      if (w > 0 && w !== this.width) { this.width = w; this.draw(); }
    }).observe(this.el);
  }

  update(series: LineSeries[], opts?: Partial<ChartOptions>): void {
    this.series = series;
    if (opts) this.opts = { ...this.opts, ...opts };
    this.draw();
  }

  private draw(): void {
    if (!this.width) return;   // not laid out yet: the observer draws once it is
    const width = Math.max(240, this.width), height = this.opts.height ?? 220;
    const svg = this.svg;
    svg.setAttribute("width", String(width)); svg.setAttribute("height", String(height));
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.textContent = "";
    const w = width - M.left - M.right, h = height - M.top - M.bottom;
    const log = Boolean(this.opts.logY);
    const all = this.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!log || y > 0));
    let [x0, x1] = this.opts.xDomain ?? extent(all.map((p) => p[0]));
    let [y0, y1] = this.opts.yDomain ?? extent(all.map((p) => p[1]).concat((this.opts.hLines ?? []).map((l) => l.y).filter((y) => !log || y > 0)));
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    if (log) { y0 = Math.log10(Math.max(y0, 1e-300)); y1 = Math.log10(Math.max(y1, 1e-300)); }
    if (y0 === y1) { y0 -= log ? 1 : Math.abs(y0) * 0.1 || 1; y1 += log ? 1 : Math.abs(y1) * 0.1 || 1; }
    if (!log && !this.opts.yDomain) { const pad = (y1 - y0) * 0.05; y0 -= pad; y1 += pad; }
    const X = (v: number) => M.left + ((v - x0) / (x1 - x0)) * w;
    const Y = (v: number) => M.top + h - (((log ? Math.log10(Math.max(v, 1e-300)) : v) - y0) / (y1 - y0)) * h;
    this.scale = { x: X, y: Y, ix: (px) => x0 + ((px - M.left) / w) * (x1 - x0), w, h };

    const g = (cls: string) => { const e = document.createElementNS(NS, "g"); e.setAttribute("class", cls); svg.append(e); return e; };
    const axes = g("axes"), data = g("data"), over = g("over");
    // Bands, then grid and ticks.
    for (const b of this.opts.bands ?? []) {
      const r = rect(X(Math.max(b.from, x0)), M.top, Math.max(0, X(Math.min(b.to, x1)) - X(Math.max(b.from, x0))), h, "band");
      axes.append(r, text(X(Math.max(b.from, x0)) + 4, M.top + 12, b.label, "band-label"));
    }
    const xf = this.opts.xFormat ?? ((v: number) => fmt(v, 3));
    for (const t of ticks(x0, x1, Math.max(2, Math.floor(w / 90)))) {
      axes.append(line(X(t), M.top, X(t), M.top + h, "grid"), text(X(t), M.top + h + 14, xf(t), "tick", "middle"));
    }
    const yt = log ? logTicks(y0, y1) : ticks(y0, y1, Math.max(2, Math.floor(h / 40)));
    for (const t of yt) {
      const v = log ? 10 ** t : t;
      axes.append(line(M.left, Y(v), M.left + w, Y(v), "grid"), text(M.left - 6, Y(v) + 4, log ? (Number.isInteger(t) ? `1e${t}` : fmt(v, 2)) : fmt(t, 3), "tick", "end"));
    }
    axes.append(line(M.left, M.top + h, M.left + w, M.top + h, "axis"), line(M.left, M.top, M.left, M.top + h, "axis"));
    if (this.opts.xLabel) axes.append(text(M.left + w / 2, height - 4, this.opts.xLabel, "label", "middle"));
    if (this.opts.yLabel) {
      const t = text(12, M.top + h / 2, this.opts.yLabel, "label", "middle");
      t.setAttribute("transform", `rotate(-90 12 ${M.top + h / 2})`);
      axes.append(t);
    }
    if (this.opts.diagonal) {
      const lo = Math.max(x0, log ? 10 ** y0 : y0), hi = Math.min(x1, log ? 10 ** y1 : y1);
      if (hi > lo) axes.append(line(X(lo), Y(lo), X(hi), Y(hi), "diagonal"));
    }
    for (const l of this.opts.hLines ?? []) {
      if (log && l.y <= 0) continue;
      const ln = line(M.left, Y(l.y), M.left + w, Y(l.y), "hline");
      if (l.color) ln.setAttribute("stroke", l.color);
      axes.append(ln, text(M.left + w - 4, Y(l.y) - 4, l.label, "hline-label", "end"));
    }
    // Series.
    const clip = `clip${Math.random().toString(36).slice(2)}`;
    const cp = document.createElementNS(NS, "clipPath"); cp.id = clip; cp.append(rect(M.left, M.top, w, h, ""));
    svg.append(cp);
    data.setAttribute("clip-path", `url(#${clip})`);
    this.series.forEach((s, i) => {
      const color = s.color ?? LINE_COLORS[i % LINE_COLORS.length];
      const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!log || y > 0));
      if (s.dots) {
        for (const [x, y] of pts) { const c = document.createElementNS(NS, "circle"); c.setAttribute("cx", X(x).toFixed(1)); c.setAttribute("cy", Y(y).toFixed(1)); c.setAttribute("r", "3"); c.setAttribute("fill", color); c.setAttribute("fill-opacity", "0.75"); data.append(c); }
        return;
      }
      let d = "";
      for (let k = 0; k < pts.length; k++) d += `${k ? "L" : "M"}${X(pts[k][0]).toFixed(1)},${Y(pts[k][1]).toFixed(1)}`;
      const p = document.createElementNS(NS, "path");
      p.setAttribute("d", d); p.setAttribute("fill", "none"); p.setAttribute("stroke", color);
      p.setAttribute("stroke-width", String(s.width ?? 1.6));
      if (s.dash) p.setAttribute("stroke-dasharray", s.dash);
      data.append(p);
      if (s.markers) for (const [x, y] of pts) { const c = document.createElementNS(NS, "circle"); c.setAttribute("cx", X(x).toFixed(1)); c.setAttribute("cy", Y(y).toFixed(1)); c.setAttribute("r", "2.6"); c.setAttribute("fill", color); data.append(c); }
    });
    if (this.opts.marks) {
      // One path for every mark: thousands of clipping events stay one element.
      let d = "";
      for (const x of this.opts.marks.xs) if (x >= x0 && x <= x1) d += `M${X(x).toFixed(1)},${M.top}v6`;
      if (d) {
        const p = document.createElementNS(NS, "path");
        p.setAttribute("d", d); p.setAttribute("class", "mark");
        if (this.opts.marks.color) p.setAttribute("stroke", this.opts.marks.color);
        over.append(p);
      }
    }
    // Legend (named series), below the plot as HTML so it wraps on a narrow screen.
    this.legend.textContent = "";
    const entries = this.series.map((s, i) => ({ name: s.name, color: s.color ?? LINE_COLORS[i % LINE_COLORS.length], dash: s.dash, dots: s.dots })).filter((e) => e.name);
    if (this.opts.marks?.xs.length) entries.push({ name: this.opts.marks.label, color: this.opts.marks.color ?? "#c62828", dash: undefined, dots: false });
    for (const e of entries) {
      const item = document.createElement("span");
      const sw = document.createElement("i");
      sw.style.borderTop = `3px ${e.dash ? "dashed" : "solid"} ${e.color}`;
      if (e.dots) { sw.style.borderTop = "none"; sw.style.background = e.color; sw.style.borderRadius = "50%"; sw.style.width = "8px"; sw.style.height = "8px"; }
      item.append(sw, document.createTextNode(e.name));
      this.legend.append(item);
    }
    const cur = line(0, M.top, 0, M.top + h, "cursor");
    cur.style.display = "none";
    over.append(cur);
  }

  private cursor(px: number | null): void {
    const c = this.svg.querySelector<SVGLineElement>("line.cursor");
    if (!c) return;
    if (px === null) { c.style.display = "none"; return; }
    c.style.display = ""; c.setAttribute("x1", String(px)); c.setAttribute("x2", String(px));
  }

  private hover(e: PointerEvent): void {
    if (!this.scale) return;
    const r = this.svg.getBoundingClientRect();
    const px = e.clientX - r.left;
    if (px < M.left || px > M.left + this.scale.w) { hideTip(); this.cursor(null); return; }
    const x = this.scale.ix(px);
    const xf = this.opts.xFormat ?? ((v: number) => fmt(v, 4));
    const lines: string[] = [];
    let nearestX = x;
    for (const s of this.series) {
      if (s.quiet || !s.points.length) continue;
      const p = nearest(s.points, x);
      if (!p) continue;
      if (s === this.series.find((q) => !q.quiet && q.points.length)) { nearestX = p[0]; lines.push(`${this.opts.xLabel ?? "x"} ${xf(p[0])}`); }
      lines.push(`${s.name || "value"}: ${fmt(p[1])}`);
    }
    if (!lines.length) return;
    this.cursor(this.scale.x(nearestX));
    showTip(e.pageX, e.pageY, lines);
  }
}

function nearest(points: Array<[number, number]>, x: number): [number, number] | null {
  let lo = 0, hi = points.length - 1;
  if (hi < 0) return null;
  // Points are in x order for lines; fall back to a scan for scatters.
  if (points.length > 2 && points[0][0] <= points[hi][0]) {
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (points[mid][0] < x) lo = mid; else hi = mid; }
    return Math.abs(points[lo][0] - x) <= Math.abs(points[hi][0] - x) ? points[lo] : points[hi];
  }
  let best = points[0];
  for (const p of points) if (Math.abs(p[0] - x) < Math.abs(best[0] - x)) best = p;
  return best;
}

function extent(v: number[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const x of v) { if (x < lo) lo = x; if (x > hi) hi = x; }
  return Number.isFinite(lo) ? [lo, hi] : [0, 1];
}

/** About n nice ticks (1, 2, 5 × 10^k) in [a, b]. */
export function ticks(a: number, b: number, n: number): number[] {
  const span = b - a;
  if (!(span > 0)) return [a];
  const raw = span / n, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= n) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(a / step) * step; t <= b + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

/** Decade ticks between log10 bounds (at most ~6). */
function logTicks(a: number, b: number): number[] {
  const lo = Math.ceil(a), hi = Math.floor(b);
  const every = Math.max(1, Math.ceil((hi - lo + 1) / 6));
  const out: number[] = [];
  for (let t = lo; t <= hi; t += every) out.push(t);
  // Less than a decade: three ticks inside the range instead.
  return out.length >= 2 ? out : [a, (a + b) / 2, b];
}

function line(x1: number, y1: number, x2: number, y2: number, cls: string, stroke?: string, dash?: string): SVGLineElement {
  const l = document.createElementNS(NS, "line");
  l.setAttribute("x1", String(x1)); l.setAttribute("y1", String(y1)); l.setAttribute("x2", String(x2)); l.setAttribute("y2", String(y2));
  l.setAttribute("class", cls);
  if (stroke) l.setAttribute("stroke", stroke);
  if (dash) l.setAttribute("stroke-dasharray", dash);
  return l;
}

function rect(x: number, y: number, w: number, h: number, cls: string): SVGRectElement {
  const r = document.createElementNS(NS, "rect");
  r.setAttribute("x", String(x)); r.setAttribute("y", String(y)); r.setAttribute("width", String(w)); r.setAttribute("height", String(h));
  if (cls) r.setAttribute("class", cls);
  return r;
}

function text(x: number, y: number, s: string, cls: string, anchor = "start"): SVGTextElement {
  const t = document.createElementNS(NS, "text");
  t.setAttribute("x", String(x)); t.setAttribute("y", String(y)); t.setAttribute("class", cls); t.setAttribute("text-anchor", anchor);
  t.textContent = s;
  return t;
}
