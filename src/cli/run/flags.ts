// Parsers for the training commands' flag values: each returns the value or throws one
// line naming the flag, what was expected and what was given.
import { RecurrentError } from "../../errors.ts";

export function int(flag: string, min = 0) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < min) throw new RecurrentError(`${flag}: expected an integer >= ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
}

export function num(flag: string, min = 0) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n) || n < min) throw new RecurrentError(`${flag}: expected a number >= ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
}

export function list(v: string): string[] { return v.split(",").map((s) => s.trim()).filter((s) => s.length > 0); }

/** JSON with NaN and infinities as null, for --json output. */
export function jsonLine(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === "number" && !Number.isFinite(x) ? null : x)) + "\n";
}
