// The common interface of the gradient-free trainers: minimise a loss f over ONE flat
// parameter vector (the model's flat parameter array copied to float64), within a budget of
// loss evaluations, seeded with the toolkit's Rng. Numeric core: no Node imports.
// Not an optimiser for gradient steps (those live in src/train).
import type { Rng } from "../rand.ts";
import { check, checkInt } from "../errors.ts";

/** The loss at a parameter vector (N). Non-finite values count as +Infinity (worst). */
export type Objective = (params: Float64Array) => number;

export interface CommonOptions {
  budget: number;        // the most loss evaluations to spend
  sigma?: number;        // initial spread around x0 (step size, mutation scale); default 0.5
  target?: number;       // stop as soon as the best loss is <= target
  historyEvery?: number; // record {evaluations, bestLoss} about this often (default: each generation)
}

export interface HistoryPoint { evaluations: number; bestLoss: number }

export interface MinimiseResult {
  method: string;
  best: Float64Array;    // (N) the best parameters seen
  bestLoss: number;
  evaluations: number;   // loss evaluations spent (<= budget)
  history: HistoryPoint[];
}

export type Minimiser<O extends CommonOptions = CommonOptions> =
  (f: Objective, x0: ArrayLike<number>, options: O, rng: Rng) => MinimiseResult;

/**
 * Counts evaluations, keeps the best point, records history and says when to stop. Every
 * trainer evaluates only through `eval`, so budgets and "best seen" mean the same for all.
 */
export class Tracker {
  evaluations = 0;
  bestLoss = Infinity;
  best: Float64Array;
  history: HistoryPoint[] = [];
  private lastRecord = 0;
  readonly budget: number;
  readonly every: number;

  constructor(readonly method: string, private f: Objective, x0: ArrayLike<number>, readonly options: CommonOptions) {
    check(x0.length > 0, `${method}: x0`, "at least one parameter", x0.length);
    this.budget = checkInt(options.budget, `${method}: budget`, 1);
    if (options.sigma !== undefined) check(options.sigma > 0 && Number.isFinite(options.sigma), `${method}: sigma`, "a positive number", options.sigma);
    this.every = options.historyEvery ?? 1;
    this.best = Float64Array.from(x0);
  }

  get n(): number { return this.best.length; }
  get sigma(): number { return this.options.sigma ?? 0.5; }

  /** True when the budget is spent or the target reached. */
  done(): boolean {
    return this.evaluations >= this.budget || (this.options.target !== undefined && this.bestLoss <= this.options.target);
  }

  /** The loss at x (non-finite → Infinity); updates the best point. */
  eval(x: Float64Array): number {
    let y = this.f(x);
    if (!Number.isFinite(y)) y = Infinity;
    this.evaluations++;
    if (y < this.bestLoss) { this.bestLoss = y; this.best.set(x); }
    return y;
  }

  /** Records a history point if `every` evaluations passed since the last (or when forced). */
  record(force = false): void {
    if (force || this.evaluations - this.lastRecord >= this.every || this.history.length === 0) {
      const last = this.history[this.history.length - 1];
      if (last && last.evaluations === this.evaluations) return;
      this.history.push({ evaluations: this.evaluations, bestLoss: this.bestLoss });
      this.lastRecord = this.evaluations;
    }
  }

  result(): MinimiseResult {
    this.record(true);
    return { method: this.method, best: this.best, bestLoss: this.bestLoss, evaluations: this.evaluations, history: this.history };
  }
}

/** x0 + sigma · N(0, I), a fresh vector. */
export function perturb(x0: ArrayLike<number>, sigma: number, rng: Rng): Float64Array {
  const x = Float64Array.from(x0);
  for (let i = 0; i < x.length; i++) x[i] += sigma * rng.normal();
  return x;
}
