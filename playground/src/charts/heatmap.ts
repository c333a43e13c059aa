// A heatmap on a canvas: rows × columns of values (units × time steps, time steps × training
// updates), a colour scale with its range written beside it, optional marks on cells, and a
// hover read-out of the cell under the pointer. Row 0 is drawn at the bottom when `flipY`.
import { css, diverging, fmt, sequential } from "./colors.ts";
import { hideTip, showTip } from "./tooltip.ts";

export interface HeatmapData {
  rows: number;
  cols: number;
  /** rows × cols, row-major. */
  values: ArrayLike<number>;
  /** Cells to mark with a dot: [row, col]. */
  marks?: Array<[number, number]>;
}

export interface HeatmapOptions {
  title: string;
  /** "diverging": centred on 0 (signed values); "sequential": low to high. */
  scale: "diverging" | "sequential";
  /** Values shown as log10 (gradient norms); the read-out shows the value itself. */
  log?: boolean;
  /** Fixed range of the colours (default: from the data, symmetric for diverging). */
  range?: [number, number];
  rowLabel: (r: number) => string;
  colLabel: (c: number) => string;
  /** Axis names for the caption, e.g. "unit" and "t". */
  rowName: string;
  colName: string;
  valueName: string;
  flipY?: boolean;
  height?: number;
}

export class Heatmap {
  readonly el: HTMLElement;
  private canvas: HTMLCanvasElement;
  private caption: HTMLDivElement;
  private data: HeatmapData | null = null;
  private geom = { x: 0, y: 0, w: 0, h: 0 };
  private width = 0;
  private img: ImageData | null = null;
  private off: HTMLCanvasElement | null = null;

  constructor(parent: HTMLElement, private opts: HeatmapOptions) {
    this.el = document.createElement("figure");
    this.el.className = "heatmap";
    const title = document.createElement("figcaption");
    title.textContent = opts.title;
    this.canvas = document.createElement("canvas");
    this.caption = document.createElement("div");
    this.caption.className = "scale";
    this.el.append(title, this.canvas, this.caption);
    parent.append(this.el);
    this.canvas.addEventListener("pointermove", (e) => this.hover(e));
    this.canvas.addEventListener("pointerleave", hideTip);
    new ResizeObserver((entries) => {
      const w = Math.round(entries[0].contentRect.width);
      if (w > 0 && w !== this.width) { this.width = w; this.draw(); }
    }).observe(this.el);
  }

  update(d: HeatmapData, opts?: Partial<HeatmapOptions>): void {
    this.data = d;
    if (opts) this.opts = { ...this.opts, ...opts };
    this.draw();
  }

  private range(): [number, number] {
    const d = this.data!;
    if (this.opts.range) return this.opts.log ? [Math.log10(this.opts.range[0]), Math.log10(this.opts.range[1])] : this.opts.range;
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < d.values.length; i++) {
      const v = this.opts.log ? Math.log10(d.values[i]) : d.values[i];
      if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    if (!Number.isFinite(lo)) return [0, 1];
    if (this.opts.scale === "diverging") { const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1; return [-m, m]; }
    return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
  }

  private draw(): void {
    const d = this.data;
    if (!this.width) return;   // not laid out yet: the observer draws once it is
    const width = Math.max(200, this.width);
    const height = this.opts.height ?? 150;
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    this.canvas.width = Math.round(width * dpr); this.canvas.height = Math.round(height * dpr);
    this.canvas.style.width = `${width}px`; this.canvas.style.height = `${height}px`;
    const ctx = this.canvas.getContext("2d")!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    if (!d || d.rows === 0 || d.cols === 0) return;
    const left = 44, bottom = 18, top = 2, right = 4;
    const w = width - left - right, h = height - top - bottom;
    this.geom = { x: left, y: top, w, h };
    const [lo, hi] = this.range();
    const color = this.opts.scale === "diverging" ? diverging : sequential;
    // One pixel per cell, then scaled up without smoothing.
    if (!this.img || this.img.width !== d.cols || this.img.height !== d.rows) {
      this.img = new ImageData(d.cols, d.rows);
      this.off = document.createElement("canvas");
      this.off.width = d.cols; this.off.height = d.rows;
    }
    const img = this.img, off = this.off!;
    for (let r = 0; r < d.rows; r++) {
      const yy = this.opts.flipY ? d.rows - 1 - r : r;
      for (let c = 0; c < d.cols; c++) {
        const raw = d.values[r * d.cols + c];
        const v = this.opts.log ? Math.log10(raw) : raw;
        const rgb = color((v - lo) / (hi - lo));
        const k = (yy * d.cols + c) * 4;
        img.data[k] = rgb[0]; img.data[k + 1] = rgb[1]; img.data[k + 2] = rgb[2]; img.data[k + 3] = 255;
      }
    }
    off.getContext("2d")!.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(off, left, top, w, h);
    if (d.marks) {
      ctx.fillStyle = "#fff"; ctx.strokeStyle = "#000"; ctx.lineWidth = 0.8;
      for (const [r, c] of d.marks) {
        const yy = this.opts.flipY ? d.rows - 1 - r : r;
        const cx = left + ((c + 0.5) / d.cols) * w, cy = top + ((yy + 0.5) / d.rows) * h;
        ctx.beginPath(); ctx.arc(cx, cy, Math.max(1.5, Math.min(4, (0.3 * w) / d.cols)), 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      }
    }
    // Axis labels: first and last row and column.
    ctx.fillStyle = "#333"; ctx.font = "11px system-ui, sans-serif"; ctx.textAlign = "right";
    const rowTop = this.opts.flipY ? d.rows - 1 : 0, rowBottom = this.opts.flipY ? 0 : d.rows - 1;
    ctx.fillText(this.opts.rowLabel(rowTop), left - 4, top + 10);
    ctx.fillText(this.opts.rowLabel(rowBottom), left - 4, top + h);
    ctx.save(); ctx.translate(10, top + h / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = "center"; ctx.fillText(this.opts.rowName, 0, 0); ctx.restore();
    ctx.textAlign = "left"; ctx.fillText(this.opts.colLabel(0), left, height - 4);
    ctx.textAlign = "right"; ctx.fillText(this.opts.colLabel(d.cols - 1), left + w, height - 4);
    ctx.textAlign = "center"; ctx.fillText(this.opts.colName, left + w / 2, height - 4);
    // The colour scale.
    const show = (v: number) => fmt(this.opts.log ? 10 ** v : v, 3);
    this.caption.textContent = "";
    const bar = document.createElement("span");
    bar.className = "scale-bar";
    const stops = Array.from({ length: 7 }, (_, i) => css(color(i / 6)));
    bar.style.background = `linear-gradient(to right, ${stops.join(",")})`;
    const a = document.createElement("span"), b = document.createElement("span");
    a.textContent = show(lo); b.textContent = show(hi);
    this.caption.append(document.createTextNode(`${this.opts.valueName}${this.opts.log ? " (log scale)" : ""}: `), a, bar, b);
  }

  private hover(e: PointerEvent): void {
    const d = this.data;
    if (!d) return;
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left - this.geom.x, y = e.clientY - r.top - this.geom.y;
    if (x < 0 || y < 0 || x >= this.geom.w || y >= this.geom.h) { hideTip(); return; }
    const c = Math.floor((x / this.geom.w) * d.cols);
    let row = Math.floor((y / this.geom.h) * d.rows);
    if (this.opts.flipY) row = d.rows - 1 - row;
    const v = d.values[row * d.cols + c];
    showTip(e.pageX, e.pageY, [`${this.opts.colName} ${this.opts.colLabel(c)}, ${this.opts.rowName} ${this.opts.rowLabel(row)}`, `${this.opts.valueName}: ${fmt(v)}`]);
  }
}
