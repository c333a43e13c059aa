// The one parser of the command line's flag values: each returns the value or throws one line
// naming the flag, what was expected and what was given. commander calls them per flag
// (`.option("--hidden <H>", "...", int("--hidden", 1))`); every command uses these.
// Not here: the meaning of the training options together (./train-options.ts), --lr-schedule's
// small language (./schedule-flag.ts).
import { RecurrentError } from "../../errors.ts";

/** A whole number >= min, digits only (no sign: no flag takes a negative count). */
export function int(flag: string, min = 0) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < min) throw new RecurrentError(`${flag}: expected an integer >= ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
}

/** A finite number >= min. */
export function num(flag: string, min = 0) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n) || n < min) throw new RecurrentError(`${flag}: expected a number >= ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
}

/** One of `choices`. */
export function choice<T extends string>(flag: string, choices: readonly T[]) {
  return (v: string): T => {
    if (!(choices as readonly string[]).includes(v)) throw new RecurrentError(`${flag}: expected one of ${choices.join("|")}, got ${JSON.stringify(v)}`);
    return v as T;
  };
}

/** A comma-separated list, blanks dropped. */
export function list(v: string): string[] { return v.split(",").map((s) => s.trim()).filter((s) => s.length > 0); }

/** JSON with NaN and infinities as null, for --json output. */
export function jsonLine(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? null : x)) + "\n";
}
