// Regenerates the measured parts of docs/performance.md from the raw rows that `npm run bench`
// and `npm run bench -- --quality` append under docs/performance/ (bench/rows.ts): the tables,
// the targets and every sentence that states a measured number. Prose outside the markers
// (bench/report-doc.ts) states none, so no figure in the document is typed by hand. The
// "Where the time goes" section comes from bench/profile.ts's rows (docs/performance/profile-*.jsonl)
// by the rules in bench/report-profile.ts. "Generation (batch 1, streaming)" comes from the newest
// non-smoke generate-*.jsonl (`npm run bench -- --generate`, bench/report-generate.ts), and the
// lines on the memory and time-to-quality targets from the speed, quality and generate rows
// (bench/report-missed.ts).
//
//   node --import tsx scripts/performance-report.ts                 # the newest full runs
//   node --import tsx scripts/performance-report.ts --bench docs/performance/bench-….jsonl --quality docs/performance/quality-….jsonl [--profile docs/performance/profile-….jsonl] [--generate docs/performance/generate-….jsonl]
//   node --import tsx scripts/performance-report.ts --check         # exit 1 if the document is stale
//
// Without --bench/--quality/--profile it takes the newest bench-*.jsonl, quality-*.jsonl and profile-*.jsonl, or, when
// there is no full run yet, the newest smoke-* files (the document then says SMOKE in bold);
// --check takes the files the document cites, so it asks only "do these sections follow from
// their rows?" (test/docs/performance-report.test.ts).
import { Command } from "commander";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ROOT, ROWS_DIR } from "../bench/rows.ts";
import { citedRows, fillSections, parseRows, unfilled } from "../bench/report-doc.ts";
import {
  durationSentence, fullTable, FULL_TABLE_NOTES, provenance, pytorchVariantsTable, qualitySentences, qualityTable, summaryTable, targetsTable,
  type QualityRow, type Row, type SpeedRow,
} from "../bench/report-tables.ts";
import { missedTargetsTable, onnxNote, profileProvenance, type ProfileRow } from "../bench/report-profile.ts";
import { generateSection, type GenerateRow, type MemoryRow } from "../bench/report-generate.ts";
import { memoryLine, qualityLine } from "../bench/report-missed.ts";

const o = new Command("performance-report")
  .option("--bench <file>", "rows of one `npm run bench` run")
  .option("--quality <file>", "rows of one `npm run bench -- --quality` run")
  .option("--profile <file>", "rows of `bench/profile.ts --json` for the missed targets")
  .option("--generate <file>", "rows of one `npm run bench -- --generate` run (default: the newest non-smoke generate-*.jsonl, if any; none: no generation rows)")
  .option("--doc <file>", "the document to fill", join(ROOT, "docs", "performance.md"))
  .option("--check", "write nothing; exit 1 if the document differs from what the rows give")
  .parse().opts();

function newest(kind: "bench" | "quality" | "profile" | "generate"): string | null {
  const files = readdirSync(ROWS_DIR).filter((f) => f.endsWith(".jsonl")).sort();
  const full = files.filter((f) => f.startsWith(`${kind}-`)), smoke = files.filter((f) => f.startsWith(`smoke-${kind}-`));
  // A smoke generation run never stands in for a real one (name it with --generate to see it).
  const pick = full.at(-1) ?? (kind === "generate" ? undefined : smoke.at(-1));
  return pick ? join(ROWS_DIR, pick) : null;
}

function read(file: string | null, kind: string): Row[] {
  if (!file) { console.error(`performance-report: no ${kind} rows under ${relative(ROOT, ROWS_DIR)}/ (run \`npm run bench${kind === "quality" ? " -- --quality" : ""}\` first)`); process.exit(1); }
  let rows: Row[];
  try { rows = parseRows(readFileSync(file, "utf8"), relative(ROOT, file)) as unknown as Row[]; }
  catch (e) { console.error((e as Error).message.startsWith("performance-report") ? (e as Error).message : `performance-report: ${relative(ROOT, file)}: ${(e as Error).message}`); process.exit(1); }
  const runs = new Set(rows.map((r) => r.run));
  if (runs.size !== 1) { console.error(`performance-report: ${relative(ROOT, file)}: expected the rows of one run, got ${runs.size} (${[...runs].join(", ")})`); process.exit(1); }
  return rows;
}

const before = readFileSync(o.doc, "utf8");
const cited = (section: string) => { const f = citedRows(before, section); return f ? join(dirname(o.doc), f) : null; };
const benchFile = o.bench ?? (o.check ? cited("bench-run") : null) ?? newest("bench");
const qualityFile = o.quality ?? (o.check ? cited("quality-run") : null) ?? newest("quality");
const profileFile = o.profile ?? (o.check ? cited("profile") : null) ?? newest("profile");
const generateFile = o.generate === "none" ? null : o.generate ?? (o.check ? cited("generate-run") : newest("generate"));
const bench = read(benchFile, "bench"), quality = read(qualityFile, "quality");
const generated = generateFile ? read(generateFile, "generate") : [];
const gen = generated.filter((r) => (r.kind as string) === "generate") as unknown as GenerateRow[];
const mem = generated.filter((r) => (r.kind as string) === "memory") as unknown as MemoryRow[];
// Profile rows come one process per (config, cell), so several runs to a file.
const profiles = (profileFile ? parseRows(readFileSync(profileFile, "utf8"), relative(ROOT, profileFile)) : []).filter((r) => r.kind === "profile") as unknown as ProfileRow[];
const speed = bench.filter((r) => r.kind === "speed") as unknown as SpeedRow[];
const q = quality.filter((r) => r.kind === "quality") as unknown as QualityRow[];
const text = q[0]?.text;
const from = (file: string) => `Rows: [\`${relative(dirname(o.doc), file)}\`](${relative(dirname(o.doc), file)}).`;

const sections: Record<string, string> = {
  durations: durationSentence(bench, quality, generated),
  "bench-run": `${provenance(bench)} ${from(benchFile!)}`,
  summary: summaryTable(speed),
  pytorch: pytorchVariantsTable(speed),
  targets: targetsTable(speed, q),
  profile: `${profileProvenance(profiles)}${profileFile ? ` ${from(profileFile)}` : ""}\n\n${missedTargetsTable(speed, profiles)}`,
  "onnx-note": onnxNote(speed),
  full: `${fullTable(speed)}\n\n${FULL_TABLE_NOTES.split("\n").map((l) => l.trim()).join(" ")}`,
  "quality-run": `${provenance(quality)} ${text ? `Text: the first ${text.bytes.toLocaleString("en-US")} bytes of \`${text.file}\` (md5 ${text.md5}). ` : ""}${from(qualityFile!)}`,
  quality: `${qualityTable(q)}\n\n${qualitySentences(q)}`,
  "other-targets": `${memoryLine(speed, mem)}\n\n${qualityLine(q, speed)}`,
  "generate-run": generateFile ? `${provenance(generated)} ${from(generateFile)}` : "No generation run yet: `npm run bench -- --generate`.",
  generate: generateSection(gen),
};

let after: string;
try { after = fillSections(before, sections); } catch (e) { console.error((e as Error).message); process.exit(1); }
const missing = unfilled(after, sections);
if (missing.length) { console.error(`performance-report: ${o.doc}: markers with no section: ${missing.join(", ")}`); process.exit(1); }
if (o.check) {
  if (after !== before) { console.error(`performance-report: ${relative(ROOT, o.doc)} is stale: regenerate it with node --import tsx scripts/performance-report.ts`); process.exit(1); }
  console.log(`${relative(ROOT, o.doc)} matches ${[benchFile!, qualityFile!, profileFile, generateFile].filter(Boolean).map((f) => relative(ROOT, f!)).join(", ")}`);
} else {
  writeFileSync(o.doc, after);
  console.log(`wrote ${relative(ROOT, o.doc)} from ${[benchFile!, qualityFile!, profileFile, generateFile].filter(Boolean).map((f) => relative(ROOT, f!)).join(", ")}`);
}
