// The generation rows → docs/performance.md's "Generation (batch 1, streaming)" (bench/report-generate.ts),
// and the lines on the memory and time-to-quality targets (bench/report-missed.ts): bookkeeping,
// not speed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateComparisons, generateSection, generateThreadsSentence, type GenerateRow, type MemoryRow } from "../../bench/report-generate.ts";
import { logFit, memoryLine, qualityLine } from "../../bench/report-missed.ts";
import type { QualityRow, SpeedRow } from "../../bench/report-tables.ts";

const gen = (tool: string, cell: string, threads: number, tokensPerS: number, variant?: string, workerChunks?: number): GenerateRow => ({
  kind: "generate", tool, variant, config: "C1", cell, mode: "generate", threads, tokens: 128, tokens_per_s: tokensPerS, min: tokensPerS * 0.9, max: tokensPerS * 1.1,
  reps: 10, cpu_tokens_per_s: tokensPerS, peak_rss_mb: 100, ms_per_token: 1000 / tokensPerS, ms_min: 1000 / (tokensPerS * 1.1), ms_max: 1000 / (tokensPerS * 0.9),
  ...(workerChunks === undefined ? {} : { worker_chunks: workerChunks }),
});

test("generation compares ours at its best thread count with the fastest PyTorch kernel set, per cell", () => {
  const rows = [gen("recurrent", "lstm", 1, 10e3), gen("recurrent", "lstm", 2, 9e3, undefined, 0),
    gen("pytorch", "lstm", 1, 8e3, "avx2"), gen("pytorch", "lstm", 1, 16e3, "avx512"), gen("recurrent", "gru", 1, 12e3)];
  const [lstm, gru] = generateComparisons(rows);
  assert.equal(lstm.ours.threads, 1);
  assert.equal(lstm.torch?.variant, "avx512");
  assert.equal(lstm.ratio, 10e3 / 16e3);
  assert.equal(gru.torch, null);
  const section = generateSection(rows);
  assert.match(section, /\| C1 +\| lstm +\| 0\.100 \(×1\) +\| 10\.0k +\| 0\.0625 \(AVX-512 ×1\) +\| 16\.0k +\| 0\.63× +\|/);
  assert.match(section, /lstm: ours 0\.100 ms\/token, the best PyTorch \(AVX-512 ×1\) 0\.0625 \(ours ÷ PyTorch 0\.63×\)/);
  assert.match(section, /pytorch \(best\)/);
  assert.equal(generateSection([]), "No generation rows yet: run `npm run bench -- --generate`.");
});

test("the threads sentence says when the worker never took a GEMM chunk", () => {
  const idle = generateThreadsSentence([gen("recurrent", "lstm", 1, 10e3), gen("recurrent", "lstm", 2, 10.2e3, undefined, 0)]);
  assert.match(idle, /2 threads ÷ 1 thread: 1\.02× \(lstm\)/);
  assert.match(idle, /computed no GEMM chunk/);
  assert.match(generateThreadsSentence([gen("recurrent", "lstm", 1, 10e3), gen("recurrent", "lstm", 2, 15e3, undefined, 40)]), /computed 40 GEMM chunks/);
  assert.equal(generateThreadsSentence([gen("recurrent", "lstm", 1, 10e3)]), "");
});

const c3 = (threads: number, rss: number): SpeedRow => ({
  kind: "speed", tool: "recurrent", threads, config: "C3", cell: "lstm", mode: "train", tokens_per_s: 1, min: 1, max: 1, cpu_tokens_per_s: 1, peak_rss_mb: rss,
});
const probe = (threads: number, idle: number, hwm: number, alive = true): MemoryRow => ({
  kind: "memory", tool: "recurrent", config: "C3", cell: "lstm", mode: "train", threads, backend: "wasm-relaxed-simd", need_mb: 264.125, idle_rss_mb: idle,
  built: { hwm_mb: 160, wasm_high_water_mb: 70, wasm_used_mb: 70, js_batch_mb: 26 },
  steps: [1, 2].map((step) => ({ step, hwm_mb: hwm, rss_mb: hwm, wasm_capacity_mb: 305, wasm_high_water_mb: 265, wasm_used_mb: 265, v8_heap_mb: 12, js_batch_alive: alive })),
});

test("the memory line splits the peak into the idle process, the heap, the bench's batch and the rest, and names what closes it", () => {
  // C3 lstm needs 264.125 MB (configs.ts), so the limit is 396.2 MB.
  const line = memoryLine([c3(1, 385), c3(2, 406)], [probe(1, 89, 390), probe(2, 100, 407)]);
  assert.match(line, /The need is 264\.1 MB .* the limit is 396\.2 MB/);
  assert.match(line, /406\.0 MB with 2 threads \(1\.54×\): 9\.8 MB over at 2/);
  assert.match(line, /at 2 threads, peak 407\.0 MB = the process before anything is built .* 100\.0 MB \+ the wasm heap's high-water mark 265\.0 MB \(the need \+ 0\.9 MB; no growth after the first step\) \+ the bench's JavaScript batch, copied into the heap and not yet collected, 26\.0 MB \+ 16\.0 MB else/);
  assert.match(line, /What would close it: the bench making its batch in the wasm heap .* \(26\.0 MB off, more than the 9\.8 MB over at 2 threads\)/);
  // A batch V8 had collected is not counted, and then the rule looks elsewhere.
  assert.doesNotMatch(memoryLine([c3(1, 385), c3(2, 406)], [probe(2, 100, 407, false)]), /JavaScript batch/);
  assert.match(memoryLine([c3(1, 385)], []), /No memory probe rows/);
  assert.match(memoryLine([c3(1, 380), c3(2, 390)], [probe(2, 100, 391)]), /Both thread counts are within the limit/);
});

const q = (tool: string, variant: string, threads: number, budget: number, updates: number, nats: number): QualityRow => ({
  kind: "quality", tool, variant, threads, budget_s: budget, updates, train_seconds: budget, tokens_per_s: updates * 2048 / budget, val_nats: nats, peak_rss_mb: 300,
});

test("logFit fits a + b·ln(updates) and reports the largest distance from it", () => {
  const f = logFit([{ updates: 100, nats: 2 }, { updates: 1000, nats: 2 - Math.log(10) * 0.1 }])!;
  assert.ok(Math.abs(f.b + 0.1) < 1e-12 && f.spread < 1e-12);
  assert.equal(logFit([{ updates: 100, nats: 2 }]), null);
});

test("the time-to-quality line splits the gap into fewer updates and what is left at equal updates", () => {
  // Ours on the curve 3 − 0.16·ln u; PyTorch on 2.8 − 0.138·ln u, off by ±0.01.
  const ours = (u: number) => 3 - 0.16 * Math.log(u), torch = (u: number) => 2.8 - 0.138 * Math.log(u);
  const rows = [q("recurrent", "defaults", 2, 60, 3000, ours(3000)), q("recurrent", "defaults", 2, 90, 4500, ours(4500)),
    q("pytorch", "avx512", 1, 60, 3600, torch(3600) - 0.01), q("pytorch", "avx512", 1, 90, 5400, torch(5400) + 0.01),
    q("pytorch", "avx2", 1, 60, 3000, torch(3000) + 0.01), q("pytorch", "avx2", 1, 90, 4500, torch(4500) - 0.01)];
  const line = qualityLine(rows);
  const fewer = 0.16 * Math.log(3600 / 3000);
  assert.match(line, /At 60 s ours reached .* in 3000 updates \(50\.0 a second\), the best PyTorch run \(AVX-512, 1 thread\) .* in 3600 \(60\.0 a second\): 0\.83× the updates/);
  assert.match(line, new RegExp(`fewer updates account for \\+${fewer.toFixed(3)}`));
  assert.match(line, /our updates a second × 1\.20 at 60 s and × 1\.20 at 90 s/);
  assert.match(qualityLine([]), /No time-to-quality rows/);
});
