// The gradient-free trainers by name. Each minimises f over one flat parameter vector
// within a budget of loss evaluations: (f, x0, options, rng) → {best, bestLoss, evaluations, history}.
import type { Minimiser } from "./types.ts";
import { fail } from "../errors.ts";
import { ga } from "./ga.ts";
import { anneal } from "./anneal.ts";
import { pso } from "./pso.ts";
import { cmaes } from "./cmaes.ts";

export type { Objective, CommonOptions, MinimiseResult, Minimiser, HistoryPoint } from "./types.ts";
export type { GaOptions } from "./ga.ts";
export type { AnnealOptions } from "./anneal.ts";
export type { PsoOptions } from "./pso.ts";
export type { CmaesOptions } from "./cmaes.ts";
export { ga, anneal, pso, cmaes };

export const MINIMISERS: Readonly<Record<string, Minimiser>> = { ga, anneal, pso, cmaes };

export function getMinimiser(name: string): Minimiser {
  const m = Object.prototype.hasOwnProperty.call(MINIMISERS, name) ? MINIMISERS[name] : undefined;
  if (!m) fail("gradient-free method", `one of ${Object.keys(MINIMISERS).join("|")}`, name);
  return m;
}
