// docs/reliability.md stays true: every test its rows name exists (the file, and a test of that
// name in it), and the page is what scripts/reliability.mjs writes from the rows now.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";

const rows = readdirSync("docs/reliability").filter((f) => f.endsWith(".jsonl"))
  .flatMap((f) => readFileSync(`docs/reliability/${f}`, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>));

test("every row of docs/reliability names a fault, a result and a test that exists", () => {
  assert.ok(rows.length > 0);
  for (const r of rows) {
    for (const k of ["area", "fault", "test", "result"]) assert.equal(typeof r[k], "string", `${JSON.stringify(r)}: ${k}`);
    assert.match(r.result, /^(refused|handled): /, r.fault);
    const [file, ...rest] = r.test.split(" › ");
    if (file === ".ci/run") { assert.ok(readFileSync(".ci/run", "utf8").includes(rest.join(" › ")), r.test); continue; }
    assert.ok(existsSync(file), `${file} (named by "${r.fault}")`);
    // A name may stand for a family of tests: "<kind>" marks the varying part.
    const name = rest.join(" › ").split(/<[^>]+>/).map((p) => p.trim()).filter(Boolean);
    const src = readFileSync(file, "utf8");
    for (const part of name) assert.ok(src.includes(part), `${file} has no test named like "${part}"`);
  }
});

test("docs/reliability.md is what scripts/reliability.mjs writes from the rows", () => {
  const r = spawnSync(process.execPath, ["scripts/reliability.mjs", "--stdout"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, readFileSync("docs/reliability.md", "utf8"), "run node scripts/reliability.mjs and commit the page");
});
