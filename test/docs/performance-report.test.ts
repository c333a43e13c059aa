// docs/performance.md's measured figures follow from the raw rows it cites: regenerating its
// sections from those rows changes nothing (so no figure in them was typed or edited by hand).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
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
