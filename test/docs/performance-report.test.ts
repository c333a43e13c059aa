// docs/performance.md's measured figures follow from the raw rows it cites: regenerating its
// sections from those rows changes nothing (so no figure in them was typed or edited by hand).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { citedRows } from "../../bench/report-doc.ts";

test("docs/performance.md's generated sections are what scripts/performance-report.ts makes of the rows they cite", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/performance-report.ts", "--check"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr + r.stdout);
});

test("docs/performance.md cites one rows file for the speed run, one for time-to-quality and one for the profiles", () => {
  const doc = readFileSync("docs/performance.md", "utf8");
  assert.match(citedRows(doc, "bench-run") ?? "", /^performance\/(smoke-)?bench-.*\.jsonl$/);
  assert.match(citedRows(doc, "quality-run") ?? "", /^performance\/(smoke-)?quality-.*\.jsonl$/);
  assert.match(citedRows(doc, "profile") ?? "", /^performance\/profile-.*\.jsonl$/);
});

test("every speed target the speed run missed has a profile row in docs/performance.md", () => {
  const doc = readFileSync("docs/performance.md", "utf8");
  const section = (name: string) => doc.slice(doc.indexOf(`<!-- BEGIN generated: ${name} -->`), doc.indexOf(`<!-- END generated: ${name} -->`));
  const missed = [...section("targets").matchAll(/^\| (C\d \w+ \w+) ≥ ([\d.]+) × best PyTorch +\| [^|]+\| \*\*no\*\* +\|$/gm)].map((m) => `${m[1]} ≥ ${m[2]}×`);
  assert.ok(missed.length > 0);
  const rows = section("profile").split("\n").filter((l) => l.startsWith("| C"));
  assert.deepEqual(rows.map((l) => l.split("|")[1].trim()), missed);
  for (const l of rows) assert.doesNotMatch(l, /no profile rows/);
});

test("docs/performance.md's generation section cites a full (not smoke) generate-*.jsonl, or says there is none yet", () => {
  const doc = readFileSync("docs/performance.md", "utf8");
  const cited = citedRows(doc, "generate-run");
  if (cited) assert.match(cited, /^performance\/generate-.*\.jsonl$/);
  else assert.match(doc, /No generation run yet/);
  const section = doc.slice(doc.indexOf("<!-- BEGIN generated: other-targets -->"), doc.indexOf("<!-- END generated: other-targets -->"));
  assert.match(section, /\*\*C3 training peak RSS ≤ 1\.5 × need\.\*\* The need is [\d.]+ MB/);
  assert.match(section, /\*\*Time-to-quality at 60 s and 90 s\.\*\*/);
});

test("the report fills and checks the document with generation rows and without them", () => {
  const dir = mkdtempSync(join(tmpdir(), "perf-report-"));
  try {
    const doc = join(dir, "performance.md");
    writeFileSync(doc, readFileSync("docs/performance.md", "utf8"));
    const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "scripts/performance-report.ts", "--doc", doc, ...args], { encoding: "utf8" });
    const gens = readdirSync("docs/performance").filter((f) => /^(smoke-)?generate-.*\.jsonl$/.test(f)).sort();
    for (const generate of ["none", ...gens.slice(-1).map((f) => join("docs/performance", f))]) {
      const made = run("--generate", generate);
      assert.equal(made.status, 0, made.stderr);
      const checked = run("--check");
      assert.equal(checked.status, 0, checked.stderr + checked.stdout);
      const text = readFileSync(doc, "utf8");
      if (generate === "none") assert.match(text, /No generation run yet[\s\S]*No generation rows yet/);
      else assert.match(text, /\| C1 +\| (elman|lstm|gru) +\| [\d.]+ \(×\d\)/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
