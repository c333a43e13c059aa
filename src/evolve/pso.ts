// Particle swarm optimisation (Kennedy & Eberhart 1995) with the constriction coefficients
// of Clerc & Kennedy (2002): inertia 0.7298, c1 = c2 = 1.49618, global-best topology.
// Particles start at x0 + sigma · N(0, I) (the first exactly at x0) with velocities
// sigma · N(0, I) / 2; velocities are clamped to ±2 · sigma per coordinate, so that a bad
// start cannot fling particles to infinity. Evaluations are asynchronous (each particle sees
// the global best as updated by the particles before it).
import type { CommonOptions, Minimiser } from "./types.ts";
import { Tracker, perturb } from "./types.ts";

export interface PsoOptions extends CommonOptions {
  particles?: number;   // swarm size, default 30
  inertia?: number;     // default 0.7298
  cognitive?: number;   // c1, default 1.49618
  social?: number;      // c2, default 1.49618
}

export const pso: Minimiser<PsoOptions> = (f, x0, options, rng) => {
  const tr = new Tracker("pso", f, x0, options);
  const n = tr.n, P = options.particles ?? 30, s = tr.sigma;
  const w = options.inertia ?? 0.7298, c1 = options.cognitive ?? 1.49618, c2 = options.social ?? 1.49618;
  const vmax = 2 * s;
  const pos: Float64Array[] = [], vel: Float64Array[] = [], pbest: Float64Array[] = [];
  const pbestLoss = new Float64Array(P).fill(Infinity);
  for (let p = 0; p < P; p++) {
    pos.push(p === 0 ? Float64Array.from(x0) : perturb(x0, s, rng));
    vel.push(perturb(new Float64Array(n), s / 2, rng));
    pbest.push(Float64Array.from(pos[p]));
  }
  let gbest = Float64Array.from(x0), gbestLoss = Infinity;
  let first = true;
  while (!tr.done()) {
    for (let p = 0; p < P && !tr.done(); p++) {
      const x = pos[p], v = vel[p], pb = pbest[p];
      if (!first) {
        for (let i = 0; i < n; i++) {
          let vi = w * v[i] + c1 * rng.uniform() * (pb[i] - x[i]) + c2 * rng.uniform() * (gbest[i] - x[i]);
          vi = vi > vmax ? vmax : vi < -vmax ? -vmax : vi;
          v[i] = vi; x[i] += vi;
        }
      }
      const y = tr.eval(x);
      if (y < pbestLoss[p]) { pbestLoss[p] = y; pb.set(x); }
      if (y < gbestLoss) { gbestLoss = y; gbest.set(x); }
    }
    first = false;
    tr.record();
  }
  return tr.result();
};
