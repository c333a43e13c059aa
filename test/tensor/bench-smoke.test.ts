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

test("npm run bench --generate --json prints a generation line (ms per token) and a memory probe line", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "bench/run.ts", "--generate", "--cell", "elman", "--compare", "none", "--threads", "1",
    "--reps", "1", "--min-seconds", "0", "--warmup-seconds", "0", "--tokens", "8", "--memory-config", "C2", "--memory-steps", "1", "--json"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((j) => j.kind), ["generate", "memory"], r.stdout);
  const [g, m] = rows;
  assert.deepEqual([g.tool, g.config, g.cell, g.mode, g.threads, g.tokens], ["recurrent", "C1", "elman", "generate", 1, 8]);
  assert.ok(g.ms_per_token > 0 && Math.abs(g.ms_per_token * g.tokens_per_s - 1000) < 1e-6, `ms_per_token ${g.ms_per_token}`);
  assert.ok(g.ms_min <= g.ms_per_token && g.ms_per_token <= g.ms_max);
  assert.deepEqual([m.config, m.cell, m.threads, m.steps.length], ["C2", "lstm", 1, 1]);
  assert.ok(m.idle_rss_mb > 0 && m.steps[0].hwm_mb >= m.idle_rss_mb && m.steps[0].wasm_high_water_mb > 0);
});
