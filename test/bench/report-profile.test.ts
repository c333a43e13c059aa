// The rules that say what would close a missed speed target (bench/report-profile.ts diagnose),
// on made-up profiles whose answer is known.
import { test } from "node:test";
import assert from "node:assert/strict";
import { diagnose, missedTargetsTable, SIMD_CEILING, type ProfileRow } from "../../bench/report-profile.ts";
import type { SpeedRow } from "../../bench/report-tables.ts";

const meta = { run: "r", date: "d", commit: "c", dirty: false, argv: [], smoke: false, loadavg: [1, 1, 1] };
function profile(over: Partial<ProfileRow> & { gemmMs: number; restMs: number }): ProfileRow {
  const { gemmMs, restMs, ...rest } = over;
  return {
    ...meta, kind: "profile", config: "C3", cell: "lstm", mode: "infer", threads: 1, steps: 5, backend: "b",
    ms: { forward_gemm: gemmMs, forward_rest: restMs, loss: 0, backward_gemm: 0, backward_rest: 0, optimiser: 0 },
    total_ms: gemmMs + restMs, tokens_per_cpu_s: 1, gemm_gflops: SIMD_CEILING, gemm: [], bench_path: { total_ms: gemmMs + restMs }, ...rest,
  };
}

test("GEMMs at the ceiling that alone cannot reach the target call for wider SIMD", () => {
  const d = diagnose(0.4, 1.0, 1.8, profile({ gemmMs: 90, restMs: 10 }));
  assert.ok(Math.abs(d.bound - 0.4 / 0.9) < 1e-9);
  assert.match(d.close, /^GEMM-bound: GEMMs alone at the ceiling give 0\.44× < 1\.00×; needs wider SIMD/);
});

test("a small gap and much time outside the GEMMs call for fusion; a weak second core is named", () => {
  const d = diagnose(0.9, 1.0, 1.2, profile({ gemmMs: 60, restMs: 40 }));
  assert.match(d.close, /^overhead: 10 % of the step must go, of the 40 % outside the GEMMs/);
  assert.match(d.close, /second core adds only 1\.20×; 1\.33× would close it alone/);
});

test("slow GEMMs at small shapes call for a kernel for them; a profiled loop slower than the bench path is flagged", () => {
  const d = diagnose(1.85, 2.0, null, profile({ gemmMs: 50, restMs: 50, gemm_gflops: 30, bench_path: { total_ms: 80 } }));
  assert.match(d.close, /^GEMMs at 30\.0 of 55 GFLOP\/s/);
  assert.match(d.close, /profiled loop takes 25 % more than the bench path/);
});

test("only missed targets get a row, and a missed target without a profile says so", () => {
  const row = (tool: string, config: string, mode: "train" | "infer", rate: number): SpeedRow =>
    ({ kind: "speed", tool, threads: 1, config, cell: "lstm", mode, tokens_per_s: rate, min: rate, max: rate, cpu_tokens_per_s: rate, peak_rss_mb: 1 });
  const speed = [row("recurrent", "C3", "infer", 4), row("pytorch", "C3", "infer", 10), row("recurrent", "C3", "train", 11), row("pytorch", "C3", "train", 10),
    row("recurrent", "C2", "train", 1), row("pytorch", "C2", "train", 1)];
  const lines = missedTargetsTable(speed, [profile({ gemmMs: 90, restMs: 10 })]).split("\n").slice(2);
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^\| C3 lstm infer ≥ 1\.0× \| 0\.40× .*GEMM-bound/);
  assert.match(lines[1], /^\| C2 lstm train ≥ 2\.0× \| 1\.00× .*no profile rows/);
});
