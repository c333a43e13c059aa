// CMA-ES, the covariance matrix adaptation evolution strategy, (μ/μ_w, λ) with rank-one and
// rank-μ updates and cumulative step-size adaptation, following Hansen (2016), "The CMA
// Evolution Strategy: A Tutorial" (the defaults of its table 1 and the purecma algorithm).
// Full covariance for small N (eigen-decomposition every few generations, lazily); for large
// N, sep-CMA-ES (Ros & Hansen 2008): a diagonal covariance with learning rates × (N + 2)/3.
// Not IPOP/BIPOP restarts: one run from x0 with step size sigma.
import type { CommonOptions, Minimiser } from "./types.ts";
import { Tracker } from "./types.ts";
import { symmetricEigen } from "./eigen.ts";

export interface CmaesOptions extends CommonOptions {
  population?: number;                 // λ, default 4 + ⌊3 ln N⌋
  diagonal?: boolean | "auto";         // sep-CMA; "auto" (default) uses it when N > 200
}

export const cmaes: Minimiser<CmaesOptions> = (f, x0, options, rng) => {
  const tr = new Tracker("cmaes", f, x0, options);
  const n = tr.n;
  const diagonal = options.diagonal === true || ((options.diagonal ?? "auto") === "auto" && n > 200);
  const lambda = Math.max(2, options.population ?? 4 + Math.floor(3 * Math.log(n)));
  const mu = Math.floor(lambda / 2);
  const w = new Float64Array(mu);
  for (let i = 0; i < mu; i++) w[i] = Math.log(mu + 0.5) - Math.log(i + 1);
  const wsum = w.reduce((s, v) => s + v, 0);
  for (let i = 0; i < mu; i++) w[i] /= wsum;
  const mueff = 1 / w.reduce((s, v) => s + v * v, 0);

  const cs = (mueff + 2) / (n + mueff + 5);
  const ds = 1 + 2 * Math.max(0, Math.sqrt((mueff - 1) / (n + 1)) - 1) + cs;
  const cc = (4 + mueff / n) / (n + 4 + (2 * mueff) / n);
  let c1 = 2 / ((n + 1.3) ** 2 + mueff);
  let cmu = Math.min(1 - c1, (2 * (mueff - 2 + 1 / mueff)) / ((n + 2) ** 2 + mueff));
  if (diagonal) { c1 *= (n + 2) / 3; cmu = Math.min(1 - c1, cmu * (n + 2) / 3); }
  const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));

  const m = Float64Array.from(x0);
  let sigma = tr.sigma;
  const pc = new Float64Array(n), ps = new Float64Array(n);
  // C = B·diag(D²)·Bᵀ (full) or diag(D²) (diagonal; B unused).
  const C = new Float64Array(diagonal ? n : n * n), B = new Float64Array(diagonal ? 0 : n * n), D = new Float64Array(n).fill(1);
  if (diagonal) C.fill(1); else for (let i = 0; i < n; i++) { C[i * n + i] = 1; B[i * n + i] = 1; }
  let eigenAt = 0;

  const z = new Float64Array(n), bdz = new Float64Array(n);
  const ys: Float64Array[] = Array.from({ length: lambda }, () => new Float64Array(n)); // (λ, N) y = B·D·z
  const xs = new Float64Array(n), fit = new Float64Array(lambda), idx = new Int32Array(lambda);
  const yw = new Float64Array(n), tmp = new Float64Array(n);
  let gen = 0;

  while (!tr.done()) {
    let count = 0;
    for (let k = 0; k < lambda && !tr.done(); k++, count++) {
      for (let i = 0; i < n; i++) z[i] = rng.normal();
      if (diagonal) for (let i = 0; i < n; i++) bdz[i] = D[i] * z[i];
      else for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += B[i * n + j] * D[j] * z[j]; bdz[i] = s; }
      ys[k].set(bdz);
      for (let i = 0; i < n; i++) xs[i] = m[i] + sigma * bdz[i];
      fit[k] = tr.eval(xs);
    }
    if (count < lambda) break; // the budget ended mid-generation: no update from a partial one
    gen++;
    for (let k = 0; k < lambda; k++) idx[k] = k;
    idx.sort((a, b) => fit[a] - fit[b] || a - b);

    yw.fill(0);
    for (let r = 0; r < mu; r++) { const y = ys[idx[r]]; for (let i = 0; i < n; i++) yw[i] += w[r] * y[i]; }
    for (let i = 0; i < n; i++) m[i] += sigma * yw[i];

    // C^{-1/2}·yw = B·D⁻¹·Bᵀ·yw
    if (diagonal) for (let i = 0; i < n; i++) tmp[i] = yw[i] / D[i];
    else {
      for (let j = 0; j < n; j++) { let s = 0; for (let i = 0; i < n; i++) s += B[i * n + j] * yw[i]; z[j] = s / D[j]; }
      for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += B[i * n + j] * z[j]; tmp[i] = s; }
    }
    const csn = Math.sqrt(cs * (2 - cs) * mueff);
    let psNorm = 0;
    for (let i = 0; i < n; i++) { ps[i] = (1 - cs) * ps[i] + csn * tmp[i]; psNorm += ps[i] * ps[i]; }
    psNorm = Math.sqrt(psNorm);
    const hsig = psNorm / Math.sqrt(1 - Math.pow(1 - cs, 2 * gen)) < (1.4 + 2 / (n + 1)) * chiN ? 1 : 0;
    const ccn = Math.sqrt(cc * (2 - cc) * mueff);
    for (let i = 0; i < n; i++) pc[i] = (1 - cc) * pc[i] + hsig * ccn * yw[i];

    const keep = 1 - c1 - cmu + (1 - hsig) * c1 * cc * (2 - cc);
    if (diagonal) {
      for (let i = 0; i < n; i++) {
        let rmu = 0;
        for (let r = 0; r < mu; r++) { const y = ys[idx[r]][i]; rmu += w[r] * y * y; }
        C[i] = keep * C[i] + c1 * pc[i] * pc[i] + cmu * rmu;
        D[i] = Math.sqrt(Math.max(C[i], 1e-300));
      }
    } else {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          let rmu = 0;
          for (let r = 0; r < mu; r++) { const y = ys[idx[r]]; rmu += w[r] * y[i] * y[j]; }
          const c = keep * C[i * n + j] + c1 * pc[i] * pc[j] + cmu * rmu;
          C[i * n + j] = c; C[j * n + i] = c;
        }
      }
      // Decompose again only every few generations: O(N³), amortised (Hansen's lazy update).
      if (tr.evaluations - eigenAt > lambda / (c1 + cmu) / n / 10) {
        eigenAt = tr.evaluations;
        const { values, vectors } = symmetricEigen(C, n);
        B.set(vectors);
        for (let i = 0; i < n; i++) D[i] = Math.sqrt(Math.max(values[i], 1e-300));
      }
    }
    sigma *= Math.exp((cs / ds) * (psNorm / chiN - 1));
    if (!Number.isFinite(sigma) || sigma === 0) break;
    tr.record();
  }
  return tr.result();
};
