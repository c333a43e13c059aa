// Raw rows of the reports under docs/: one JSON object per line, written atomically (temp file +
// rename), read back by the report scripts. The reports compute every figure from these files, so
// a report can be rewritten (and tested byte-identical) without rerunning its experiment.
import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../src/node/files.ts";

export function writeRows(path: string, rows: readonly object[]): void {
  writeFileAtomic(path, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
}

export function readRows<T = Record<string, any>>(path: string): T[] {
  return readFileSync(path, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
}

// Small helpers the report templates share.
export const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b), n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
export const mean = (v: readonly number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
export const fix = (v: number, d = 4): string => (Number.isFinite(v) ? v.toFixed(d) : "–");
export const int = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "–");
/** "a", "a and b", "a, b and c". */
export const list = (xs: readonly string[]): string => (xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);
/** The range of values as "lo–hi" (one value when they agree at the printed precision). */
export const range = (v: readonly number[], d = 4): string => {
  const lo = fix(Math.min(...v), d), hi = fix(Math.max(...v), d);
  return lo === hi ? lo : `${lo}–${hi}`;
};
