// The generated reports stay recomputable: each page under docs/ that a script writes from raw
// rows is byte-identical to what the script writes from the committed rows now (so no figure in
// it was edited by hand, and none depends on files outside the repository), and the rows are
// small JSON lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

const REPORTS = [
  { page: "docs/experiments/gradient-free.md", script: ["scripts/experiments/gradient-free/report.ts", "--stdout"], rows: "docs/experiments/gradient-free" },
  { page: "docs/experiments/hmm.md", script: ["scripts/experiments/hmm/report.ts", "--stdout"], rows: "docs/experiments/hmm" },
  { page: "docs/results.md", script: ["scripts/results.ts", "--report-only", "--stdout"], rows: "docs/results" },
];

for (const r of REPORTS) {
  test(`${r.page} is what ${r.script[0]} writes from the committed rows`, () => {
    const p = spawnSync(process.execPath, ["--import", "tsx", ...r.script], { encoding: "utf8" });
    assert.equal(p.status, 0, p.stderr);
    assert.equal(p.stdout, readFileSync(r.page, "utf8"), `rerun node --import tsx ${r.script.slice(0, -1).join(" ")} and commit the page`);
  });
}

test("the reports' rows are JSON lines, each file under 100 kB", () => {
  const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.jsonl?$/.test(f) ? [p] : [];
  });
  for (const r of REPORTS) {
    // docs/results holds other scripts' runs too (ptb-small): only this script's, as run.json lists them.
    const fs = r.rows === "docs/results"
      ? ["docs/results/run.json", ...(JSON.parse(readFileSync("docs/results/run.json", "utf8")).runs as string[]).flatMap((d) => files(join(r.rows, d)))]
      : files(r.rows);
    assert.ok(fs.length > 0, `${r.rows} has rows`);
    for (const f of fs) {
      const text = readFileSync(f, "utf8");
      assert.ok(text.length < 100_000, `${f}: ${text.length} characters`);
      for (const line of text.split("\n").filter(Boolean)) assert.doesNotThrow(() => JSON.parse(line), f);
    }
  }
});
