// Hyperparameter checking shared by the optimisers: fills defaults, refuses unknown
// option names and out-of-range values with one line naming the optimiser and option.
// It does not know any update rule.

import { checkSafe, type OptionValues } from "./types.ts";

/** A numeric range; `hiOpen` makes the upper bound exclusive ([lo, hi)). */
export interface Range { lo?: number; hi?: number; hiOpen?: boolean }

/**
 * Returns `defaults` overridden by `given`. Numbers must be finite and inside their
 * range from `ranges`; flags must be booleans; unknown keys are refused.
 */
export function resolveOptions<T extends OptionValues>(where: string, given: unknown, defaults: T, ranges: Partial<Record<keyof T, Range>>): T {
  if (given === undefined) return { ...defaults };
  checkSafe(typeof given === "object" && given !== null && !Array.isArray(given), where, "an options object", given);
  const out: OptionValues = { ...defaults };
  for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
    if (value === undefined) continue;
    checkSafe(Object.hasOwn(defaults, key), `${where}: option`, `one of ${Object.keys(defaults).join(", ")}`, key);
    if (typeof defaults[key] === "boolean") {
      checkSafe(typeof value === "boolean", `${where}: ${key}`, "true or false", value);
    } else {
      const r: Range = ranges[key] ?? {};
      const ok = typeof value === "number" && Number.isFinite(value) &&
        (r.lo === undefined || value >= r.lo) &&
        (r.hi === undefined || (r.hiOpen ? value < r.hi : value <= r.hi));
      checkSafe(ok, `${where}: ${key}`, describe(r), value);
    }
    out[key] = value as number | boolean;
  }
  return out as T;
}

function describe(r: Range): string {
  if (r.lo !== undefined && r.hi !== undefined) return `a number in [${r.lo}, ${r.hi}${r.hiOpen ? ")" : "]"}`;
  if (r.lo !== undefined) return `a finite number >= ${r.lo}`;
  if (r.hi !== undefined) return `a finite number ${r.hiOpen ? "<" : "<="} ${r.hi}`;
  return "a finite number";
}
