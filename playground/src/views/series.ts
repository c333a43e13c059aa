// A growing series of [x, y] points with bounded memory: past `cap` points, neighbours are
// averaged in pairs (the early part keeps a coarser resolution, nothing is dropped), and what is
// drawn is at most `max` bucket means.
export class GrowingSeries {
  points: Array<[number, number]> = [];
  constructor(private cap = 8000) {}

  push(p: [number, number]): void {
    this.points.push(p);
    if (this.points.length > this.cap) {
      const half: Array<[number, number]> = [];
      for (let i = 0; i + 1 < this.points.length; i += 2) {
        const a = this.points[i], b = this.points[i + 1];
        half.push([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
      }
      if (this.points.length % 2) half.push(this.points[this.points.length - 1]);
      this.points = half;
    }
  }

  clear(): void { this.points = []; }
  get last(): [number, number] | undefined { return this.points[this.points.length - 1]; }
}

/** At most `max` points: means of equal runs of consecutive points (finite values only). */
export function buckets(points: Array<[number, number]>, max: number): Array<[number, number]> {
  const pts = points.filter((p) => Number.isFinite(p[1]));
  if (pts.length <= max) return pts;
  const size = pts.length / max, out: Array<[number, number]> = [];
  for (let k = 0; k < max; k++) {
    const a = Math.floor(k * size), b = Math.max(a + 1, Math.floor((k + 1) * size));
    let sx = 0, sy = 0;
    for (let i = a; i < b; i++) { sx += pts[i][0]; sy += pts[i][1]; }
    out.push([sx / (b - a), sy / (b - a)]);
  }
  return out;
}
