// The global gradient norm over training, before and after clipping, and how often clipping
// fired: fed with each Trainer.trainStep result (gradNorm is the norm before clipping).
// Pascanu et al. (2013) clip by global norm; how often that fires is the measure of how
// often an update met an exploding gradient. Not here: the clipping itself (src/train/clip.ts).
import { check } from "../../errors.ts";

export interface GradNormEntry { update: number; before: number; after: number; clipped: boolean }

export interface GradNormSummary {
  updates: number;
  clipEvents: number;
  /** clipEvents / updates (0 when there were none). */
  clipRate: number;
  before: { mean: number; median: number; max: number };
  after: { mean: number; median: number; max: number };
}

export class GradientLog {
  readonly entries: GradNormEntry[] = [];
  /** clipNorm: the Trainer's clipNorm (0 = no norm clipping); eps as in clipByGlobalNorm. */
  constructor(readonly clipNorm = 0, readonly eps = 1e-6) {
    check(Number.isFinite(clipNorm) && clipNorm >= 0, "GradientLog: clipNorm", "a finite number >= 0", clipNorm);
  }

  /** Records one step's { gradNorm, clipped } (a Trainer StepResult fits); returns the entry. */
  add(r: { gradNorm: number; clipped: boolean }): GradNormEntry {
    // clipByGlobalNorm scales by c / (‖g‖ + ε), so the norm after is ‖g‖ · c / (‖g‖ + ε).
    const after = r.clipped ? (r.gradNorm * this.clipNorm) / (r.gradNorm + this.eps) : r.gradNorm;
    const e = { update: this.entries.length, before: r.gradNorm, after, clipped: r.clipped };
    this.entries.push(e);
    return e;
  }

  summary(): GradNormSummary {
    const n = this.entries.length, clipEvents = this.entries.filter((e) => e.clipped).length;
    return {
      updates: n, clipEvents, clipRate: n ? clipEvents / n : 0,
      before: stats(this.entries.map((e) => e.before)),
      after: stats(this.entries.map((e) => e.after)),
    };
  }
}

function stats(v: number[]): { mean: number; median: number; max: number } {
  if (!v.length) return { mean: NaN, median: NaN, max: NaN };
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return {
    mean: v.reduce((a, b) => a + b, 0) / v.length,
    median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2,
    max: s[s.length - 1],
  };
}
