// The benchmark's bookkeeping, not its speed: rows → ratios and tables (bench/report-tables.ts),
// the generated sections of docs/performance.md (bench/report-doc.ts), PyTorch's child
// environments (bench/torch-variants.ts) and the text cut of the time-to-quality run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { best, groups, oursOver, pytorchVariantsTable, qualityComparisons, summaryTable, targets, type QualityRow, type SpeedRow } from "../../bench/report-tables.ts";
import { fillSections, parseRows, unfilled } from "../../bench/report-doc.ts";
import { torchEnv } from "../../bench/torch-variants.ts";
import { cutText } from "../../bench/quality.ts";

const speed = (tool: string, threads: number, tokens: number, variant?: string, mode: "train" | "infer" = "train"): SpeedRow => ({
  kind: "speed", tool, threads, variant, config: "C1", cell: "lstm", mode, tokens_per_s: tokens, min: tokens, max: tokens,
  cpu_tokens_per_s: tokens, peak_rss_mb: 100,
});

test("ours ÷ best PyTorch divides by the fastest of every kernel set and thread count", () => {
  const rows = [speed("recurrent", 1, 20e3), speed("recurrent", 2, 30e3),
    speed("pytorch", 1, 20e3, "avx2"), speed("pytorch", 2, 24e3, "avx2"), speed("pytorch", 1, 26e3, "avx512"), speed("pytorch", 2, 25e3, "avx512")];
  const [g] = groups(rows);
  assert.equal(best(g, "pytorch")?.variant, "avx512");
  assert.equal(best(g, "pytorch")?.threads, 1);
  assert.equal(oursOver(g, "pytorch"), 30e3 / 26e3);
  assert.equal(oursOver(g, "onnxruntime"), null);
  assert.match(summaryTable(rows), /26\.0k \(AVX-512 ×1\) +\| 1\.15×/);
});

test("the PyTorch table shows every variant and marks the best one only", () => {
  const table = pytorchVariantsTable([speed("pytorch", 1, 20e3, "avx2"), speed("pytorch", 1, 26e3, "avx512")]);
  assert.match(table, /AVX2 ×1 \| AVX-512 ×1/);
  assert.equal(table.match(/\*\*best\*\*/g)?.length, 1);
  assert.match(table, /26\.0k \*\*best\*\*/);
});

test("targets compare training with the floor of its configuration and inference with 1.0", () => {
  const rows = [speed("recurrent", 1, 25e3), speed("pytorch", 1, 20e3, "avx512"),
    speed("recurrent", 1, 90e3, undefined, "infer"), speed("pytorch", 1, 100e3, "avx512", "infer")];
  const t = targets(rows, []);
  assert.deepEqual(t.filter((x) => x.what.includes("PyTorch")).map((x) => [x.what, x.met]),
    [["C1 lstm train ≥ 1.2 × best PyTorch", true], ["C1 lstm infer ≥ 1.0 × best PyTorch", false]]);
  assert.ok(!t.some((x) => x.what.includes("RSS")), "memory is held to the need on C3 only");
});

const quality = (tool: string, budget: number, val: number, variant?: string, threads = 1): QualityRow => ({
  kind: "quality", tool, variant, threads, budget_s: budget, updates: 1, train_seconds: budget, tokens_per_s: 1, val_nats: val, peak_rss_mb: 1,
});

test("time-to-quality compares ours with the lowest PyTorch validation loss at each budget", () => {
  const q = qualityComparisons([quality("recurrent", 60, 2.0), quality("pytorch", 60, 2.1, "avx2"), quality("pytorch", 60, 1.95, "avx512", 2),
    quality("recurrent", 90, 1.8), quality("pytorch", 90, 1.9, "avx2")]);
  assert.deepEqual(q.map((x) => [x.budget, x.ours, x.torch, x.torchRow.variant]), [[60, 2.0, 1.95, "avx512"], [90, 1.8, 1.9, "avx2"]]);
});

test("fillSections replaces what is between its markers and nothing else, and names a missing marker", () => {
  const doc = "intro 1\n<!-- BEGIN generated: a -->\nold\n<!-- END generated: a -->\noutro\n<!-- BEGIN generated: b -->\n<!-- END generated: b -->\n";
  const out = fillSections(doc, { a: "new table" });
  assert.equal(out, "intro 1\n<!-- BEGIN generated: a -->\nnew table\n<!-- END generated: a -->\noutro\n<!-- BEGIN generated: b -->\n<!-- END generated: b -->\n");
  assert.equal(fillSections(out, { a: "new table" }), out);
  assert.deepEqual(unfilled(out, { a: "" }), ["b"]);
  assert.throws(() => fillSections(doc, { c: "x" }), /expected the markers "<!-- BEGIN generated: c -->"/);
});

test("parseRows reads JSON lines and names the line that is not JSON", () => {
  assert.deepEqual(parseRows('{"a":1}\n\n{"a":2}\n', "f"), [{ a: 1 }, { a: 2 }]);
  assert.throws(() => parseRows('{"a":1}\nnot json\n', "rows.jsonl"), /rows\.jsonl line 2/);
});

test("the AVX-512 variant removes OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE from the child's environment only", () => {
  const base = { OPENBLAS_CORETYPE: "Haswell", OPENBLAS_L2_SIZE: "512", PATH: "/bin" };
  const env = torchEnv("avx512", 2, base);
  assert.equal(env.OPENBLAS_CORETYPE, undefined);
  assert.equal(env.OPENBLAS_L2_SIZE, undefined);
  assert.equal(env.OMP_NUM_THREADS, "2");
  assert.equal(env.OMP_WAIT_POLICY, "PASSIVE");
  assert.equal(base.OPENBLAS_CORETYPE, "Haswell");
  assert.equal(torchEnv("avx2", 1, base).OPENBLAS_CORETYPE, "Haswell");
});

test("the time-to-quality text is cut back to a whole line", () => {
  const t = Buffer.from("ab\ncd\nef");
  assert.equal(cutText(t, 5).toString(), "ab\n");
  assert.equal(cutText(t, 6).toString(), "ab\ncd\n");
  assert.equal(cutText(t, 0).toString(), "ab\ncd\nef");
});
