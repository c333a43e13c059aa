// Smoke run of `npm run bench` (the smallest configuration, one repetition, no
// comparisons): the harness runs and prints one JSON line per measurement with the fields
// other tools read. It asserts no speed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

test("npm run bench --json prints one result line per measurement with tool, config, cell, mode, threads, tokens_per_s", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "bench/run.ts", "--config", "C2", "--cell", "elman", "--mode", "infer",
    "--compare", "none", "--threads", "1", "--reps", "1", "--min-seconds", "0", "--warmup-seconds", "0", "--json"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n").filter((l) => l.startsWith("{"));
  assert.equal(lines.length, 1, r.stdout);
  const j = JSON.parse(lines[0]);
  assert.deepEqual([j.tool, j.config, j.cell, j.mode, j.threads], ["recurrent", "C2", "elman", "infer", 1]);
  assert.ok(Number.isFinite(j.tokens_per_s) && j.tokens_per_s > 0, `tokens_per_s ${j.tokens_per_s}`);
  assert.ok(j.peak_rss_mb > 0);
  assert.match(j.backend, /^wasm-(relaxed-)?simd$/);
});
