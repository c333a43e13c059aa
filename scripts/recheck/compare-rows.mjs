// Compares the rows of two runs of an experiment (the JSON an experiment script writes: an
// array of rows, or an object with `rows`), ignoring wall-clock fields, and prints one JSON
// line: how many rows each has, how many are identical, how many rows' `solved` verdict changed
// (null when the rows have none), and the largest relative change of a loss or accuracy.
//   node scripts/recheck/compare-rows.mjs LABEL committed.json rerun.json
import { readFileSync } from "node:fs";

const [label, a, b] = process.argv.slice(2);
const rows = (p) => { const j = JSON.parse(readFileSync(p, "utf8")); return Array.isArray(j) ? j : j.rows ?? j.results; };
const WALL = new Set(["seconds", "wallSeconds"]);
const canon = (r) => JSON.stringify(Object.keys(r).filter((k) => !WALL.has(k)).sort().map((k) => [k, r[k]]));
const id = (r) => JSON.stringify(["kind", "cell", "task", "T", "clip", "seed", "radius", "optimizer", "scheme", "method", "model"].map((k) => r[k]));
const ra = rows(a), rb = rows(b);
const byId = new Map(rb.map((r) => [id(r), r]));
let identical = 0, matched = 0, solvedChanged = ra.some((r) => "solved" in r) ? 0 : null, maxRel = 0;
for (const r of ra) {
  const s = byId.get(id(r));
  if (!s) continue;
  matched++;
  if (canon(r) === canon(s)) identical++;
  if (solvedChanged !== null && r.solved !== s.solved) solvedChanged++;
  for (const k of ["testLoss", "testMse", "trainLoss", "testAccuracy", "testStepAccuracy", "accuracy"]) {
    if (typeof r[k] === "number" && typeof s[k] === "number" && r[k] !== 0) maxRel = Math.max(maxRel, Math.abs(r[k] - s[k]) / Math.abs(r[k]));
  }
}
console.log(JSON.stringify({ experiment: label, rows_committed: ra.length, rows_rerun: rb.length, matched, identical_ignoring_wall_time: identical, solved_changed: solvedChanged, max_relative_change: Number(maxRel.toPrecision(3)) }));
