// A real-coded genetic algorithm (Holland 1975; real coding after Eshelman & Schaffer 1993):
// a population around x0, tournament selection, BLX-α blend crossover, Gaussian mutation
// whose scale decays geometrically over the budget, and elitism (the best individuals pass
// unchanged). Not a neuroevolution of topologies (NEAT): the network's shape is fixed, only
// the flat weight vector evolves.
import type { CommonOptions, Minimiser } from "./types.ts";
import { Tracker, perturb } from "./types.ts";

export interface GaOptions extends CommonOptions {
  population?: number;         // default 50
  elite?: number;              // individuals copied unchanged, default 2
  tournament?: number;         // tournament size, default 3
  crossover?: number;          // probability of crossover (else a copy of parent 1), default 0.9
  alpha?: number;              // BLX-α range extension, default 0.3
  mutationRate?: number;       // per-gene probability, default max(1/N, 0.1)
  finalMutationRatio?: number; // mutation scale at the end / at the start (sigma), default 1e-3
}

export const ga: Minimiser<GaOptions> = (f, x0, options, rng) => {
  const tr = new Tracker("ga", f, x0, options);
  const n = tr.n, P = Math.max(2, options.population ?? 50);
  const elite = Math.min(P - 1, options.elite ?? 2), k = options.tournament ?? 3;
  const pc = options.crossover ?? 0.9, alpha = options.alpha ?? 0.3;
  const pm = options.mutationRate ?? Math.max(1 / n, 0.1), ratio = options.finalMutationRatio ?? 1e-3;

  let pop: Float64Array[] = [Float64Array.from(x0)];
  while (pop.length < P) pop.push(perturb(x0, tr.sigma, rng));
  let loss = new Float64Array(P).fill(Infinity);
  for (let i = 0; i < P && !tr.done(); i++) loss[i] = tr.eval(pop[i]);
  tr.record();

  const pick = (): number => {
    let best = rng.int(P);
    for (let j = 1; j < k; j++) { const c = rng.int(P); if (loss[c] < loss[best]) best = c; }
    return best;
  };
  while (!tr.done()) {
    const scale = tr.sigma * Math.pow(ratio, tr.evaluations / tr.budget);
    const order = Array.from({ length: P }, (_, i) => i).sort((a, b) => loss[a] - loss[b]);
    const next: Float64Array[] = [], nextLoss = new Float64Array(P).fill(Infinity);
    for (let e = 0; e < elite; e++) { next.push(Float64Array.from(pop[order[e]])); nextLoss[e] = loss[order[e]]; }
    while (next.length < P && !tr.done()) {
      const a = pop[pick()], b = pop[pick()];
      const child = Float64Array.from(a);
      if (rng.uniform() < pc) {
        for (let i = 0; i < n; i++) {
          const u = -alpha + (1 + 2 * alpha) * rng.uniform();
          child[i] = a[i] + u * (b[i] - a[i]);
        }
      }
      for (let i = 0; i < n; i++) if (rng.uniform() < pm) child[i] += scale * rng.normal();
      nextLoss[next.length] = tr.eval(child);
      next.push(child);
    }
    while (next.length < P) next.push(Float64Array.from(pop[order[0]])); // budget ran out mid-generation
    pop = next; loss = nextLoss;
    tr.record();
  }
  return tr.result();
};
