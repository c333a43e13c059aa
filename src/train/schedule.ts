// Learning-rate schedules as plain data (so they go into config.json as they are) and
// one function, lrAt(schedule, t), giving the rate for optimiser step t = 0, 1, 2, ...
// (t counts the updates already made). Nothing here holds state or touches an optimiser:
// the training loop passes lrAt(s, t) to optimizer.step(params, grads, lr).

import { check, checkInt, checkOneOf } from "../errors.ts";

export type Schedule =
  /** η(t) = η₀ */
  | { kind: "constant"; lr: number }
  /** η(t) = η₀ · γ^⌊t / stepSize⌋   (torch StepLR); with `start` S, the first decay comes at
   *  update S instead of stepSize: η₀ before S, then η₀ · γ^(⌊(t − S) / stepSize⌋ + 1)
   *  (Zaremba et al.'s main.lua halves at the end of every epoch once `epoch > 4`, first after the
   *  5th: constant for 5 epochs, then halved every epoch: S = 5 epochs, stepSize = 1 epoch). */
  | { kind: "step"; lr: number; stepSize: number; gamma: number; start?: number }
  /** η(t) = η₀ · γᵗ   (torch ExponentialLR) */
  | { kind: "exponential"; lr: number; gamma: number }
  /** η(t) = η_min + (η₀ − η_min)(1 + cos(π t / T)) / 2 for t ≤ T, then η_min   (torch CosineAnnealingLR's closed form) */
  | { kind: "cosine"; lr: number; tMax: number; lrMin?: number }
  /** η(t) = η_then(0) · (t + 1) / W for t < W, then η_then(t − W)   (linear warm-up over W steps) */
  | { kind: "warmup"; steps: number; then: Schedule };

export const SCHEDULE_KINDS = ["constant", "step", "exponential", "cosine", "warmup"] as const;

/** Validates a schedule (recursively); throws one line naming the field. */
export function checkSchedule(s: unknown, where = "schedule"): Schedule {
  check(typeof s === "object" && s !== null && !Array.isArray(s), where, "an object {kind, ...}", s);
  const o = s as Record<string, unknown>;
  const kind = checkOneOf(o.kind, SCHEDULE_KINDS, `${where}.kind`);
  const rate = (k: string) => check(typeof o[k] === "number" && Number.isFinite(o[k]) && (o[k] as number) >= 0, `${where}.${k}`, "a finite number >= 0", o[k]);
  const gamma = () => check(typeof o.gamma === "number" && (o.gamma as number) > 0 && (o.gamma as number) <= 1, `${where}.gamma`, "a number in (0, 1]", o.gamma);
  switch (kind) {
    case "constant": rate("lr"); break;
    case "step":
      rate("lr"); checkInt(o.stepSize, `${where}.stepSize`); gamma();
      if (o.start !== undefined) checkInt(o.start, `${where}.start`, 0);
      break;
    case "exponential": rate("lr"); gamma(); break;
    case "cosine":
      rate("lr"); checkInt(o.tMax, `${where}.tMax`);
      if (o.lrMin !== undefined) {
        rate("lrMin");
        check((o.lrMin as number) <= (o.lr as number), `${where}.lrMin`, `a number <= lr (${o.lr})`, o.lrMin);
      }
      break;
    case "warmup": checkInt(o.steps, `${where}.steps`); checkSchedule(o.then, `${where}.then`); break;
  }
  return s as Schedule;
}

/** The learning rate for update t (0-based) under schedule s; equations on each kind of Schedule. */
export function lrAt(s: Schedule, t: number): number {
  checkSchedule(s);
  checkInt(t, "lrAt: step", 0);
  return rate(s, t);
}

function rate(s: Schedule, t: number): number {
  switch (s.kind) {
    case "constant": return s.lr;
    case "step": {
      // start = stepSize gives ⌊(t − S)/S⌋ + 1 = ⌊t/S⌋: torch's StepLR exactly.
      const start = s.start ?? s.stepSize;
      return t < start ? s.lr : s.lr * Math.pow(s.gamma, Math.floor((t - start) / s.stepSize) + 1);
    }
    case "exponential": return s.lr * Math.pow(s.gamma, t);
    case "cosine": {
      const lo = s.lrMin ?? 0;
      return t >= s.tMax ? lo : lo + (s.lr - lo) * (1 + Math.cos(Math.PI * t / s.tMax)) / 2;
    }
    case "warmup": return t < s.steps ? rate(s.then, 0) * (t + 1) / s.steps : rate(s.then, t - s.steps);
  }
}
