// Simulated annealing (Kirkpatrick, Gelatt & Vecchi 1983) on a continuous parameter vector:
// Gaussian proposals x' = x + step · N(0, I), accepted with probability min(1, exp(-Δ/temp)).
// The temperature falls geometrically from temp0 to temp0 · finalTemperatureRatio (1e-9) over the
// budget; temp0, unless given, is set so that an average uphill move of the first proposals is
// accepted with probability 0.5. The step size adapts (every 50 proposals) towards an
// acceptance rate of 0.25, so that one setting works across problem scales.
import type { CommonOptions, Minimiser } from "./types.ts";
import { Tracker } from "./types.ts";

export interface AnnealOptions extends CommonOptions {
  temperature?: number;            // temp0; default: measured from the first proposals
  finalTemperatureRatio?: number;  // temp_end / temp0, default 1e-9
  adapt?: boolean;                 // adapt the step size (default true)
}

export const anneal: Minimiser<AnnealOptions> = (f, x0, options, rng) => {
  const tr = new Tracker("anneal", f, x0, options);
  const n = tr.n;
  let x = Float64Array.from(x0), fx = tr.eval(x);
  let step = tr.sigma;
  const y = new Float64Array(n);
  const propose = () => { for (let i = 0; i < n; i++) y[i] = x[i] + step * rng.normal(); };

  // temp0: mean uphill Δ of up to 20 probe proposals, accepted with probability 1/2.
  let temp0 = options.temperature ?? 0;
  if (!(temp0 > 0)) {
    let up = 0, k = 0;
    for (let i = 0; i < 20 && !tr.done(); i++) {
      propose();
      const d = tr.eval(y) - fx;
      if (d > 0 && Number.isFinite(d)) { up += d; k++; }
    }
    temp0 = k > 0 ? up / k / Math.LN2 : Math.max(Math.abs(fx), 1e-3);
  }
  const ratio = options.finalTemperatureRatio ?? 1e-9;
  const start = tr.evaluations, span = Math.max(1, tr.budget - start);
  let accepted = 0, window = 0;
  while (!tr.done()) {
    const temp = temp0 * Math.pow(ratio, (tr.evaluations - start) / span);
    propose();
    const fy = tr.eval(y);
    const d = fy - fx;
    if (d <= 0 || rng.uniform() < Math.exp(-d / temp)) { x.set(y); fx = fy; accepted++; }
    if (++window === 50) {
      if (options.adapt !== false) step *= Math.exp(2 * (accepted / window - 0.25));
      accepted = 0; window = 0;
    }
    tr.record();
  }
  return tr.result();
};
