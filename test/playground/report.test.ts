// docs/playground/README.md is what scripts/playground-report.ts makes from the committed rows
// (speed.jsonl, lessons.jsonl): no figure in it is typed by hand or left behind by a new run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { report } from "../../scripts/playground-report.ts";

test("docs/playground/README.md is regenerated from its rows (node --import tsx scripts/playground-report.ts)", () => {
  assert.ok(existsSync("docs/playground/speed.jsonl") && existsSync("docs/playground/lessons.jsonl"), "the rows are committed");
  assert.equal(readFileSync("docs/playground/README.md", "utf8"), report());
  for (const m of report().matchAll(/\]\(([^)#]+\.png)\)/g)) assert.ok(existsSync(`docs/playground/${m[1]}`), `${m[1]} is committed`);
});
