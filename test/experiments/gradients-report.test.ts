// The gradients report is written from its committed rows: regenerating it from
// docs/experiments/gradients/results.json must give docs/experiments/gradients.md byte for
// byte (so no figure in it was typed by hand or left from an older run), and its verdicts
// must follow the rows when they change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeReport, type Results } from "../../scripts/experiments/gradients/report.ts";
import { ablationVerdict, budgetVerdict } from "../../scripts/experiments/gradients/verdicts.ts";
import type { Row } from "../../scripts/experiments/gradients/run.ts";

const rows = (): Results => JSON.parse(readFileSync("docs/experiments/gradients/results.json", "utf8"));

test("gradients report: regenerated from the committed rows, it equals the committed docs/experiments/gradients.md", async () => {
  const out = mkdtempSync(join(tmpdir(), "gradients-report-"));
  try {
    await writeReport(rows(), out, { charts: false });
    assert.equal(readFileSync(join(out, "gradients.md"), "utf8"), readFileSync("docs/experiments/gradients.md", "utf8"));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("gradients report: it names the command, the wall time and every ablation arm it ran", () => {
  const res = rows(), md = readFileSync("docs/experiments/gradients.md", "utf8");
  assert.ok(md.includes(`\`${res.command}\``));
  assert.ok(md.includes(`${(res.wallSeconds / 60).toFixed(1)} min wall clock`));
  const arms = new Set(res.rows.filter((r) => r.kind === "ablation").map((r) => `${r.forgetBias ?? "PyTorch (≈ 0)"} | ${r.orthogonalRecurrent ? "orthogonal" : "PyTorch"}`));
  assert.ok(arms.size >= 4, "the 2×2 at least");
  for (const a of arms) assert.ok(md.includes(`| ${a} |`), a);
});

/** Ablation rows: `solved` per arm as given. */
function armRows(solved: Record<string, boolean[]>): Row[] {
  return Object.entries(solved).flatMap(([key, v]) => v.map((ok, seed) => {
    const [fb, orth] = key.split("/");
    return { kind: "ablation", cell: "lstm", task: "adding-1997", T: 100, clip: true, seed, record: false, solved: ok,
      ...(fb === "-" ? {} : { forgetBias: Number(fb) }), orthogonalRecurrent: orth === "1" } as unknown as Row;
  }));
}

test("gradients report: the forget-gate verdict credits whichever change the rows show working", () => {
  const no = [false, false, false], yes = [true, true, false];
  assert.match(ablationVerdict(armRows({ "-/0": no, "1/0": yes, "-/1": no, "1/1": yes })).verdict, /forget-gate bias of 1 alone is enough and the orthogonal matrix alone is not/);
  assert.match(ablationVerdict(armRows({ "-/0": no, "1/0": no, "-/1": yes, "1/1": yes })).verdict, /belongs to the orthogonal initialisation, not to the forget gate/);
  assert.match(ablationVerdict(armRows({ "-/0": no, "1/0": no, "-/1": no, "1/1": yes })).verdict, /only the two together/);
  const v = ablationVerdict(armRows({ "-/0": no, "1/0": no, "-/1": no, "1/1": no, "5/0": yes }));
  assert.match(v.verdict, /none of these four arms .*; a forget-gate bias of 5 alone is/);
  const once = ablationVerdict(armRows({ "-/0": no, "1/0": no, "-/1": no, "1/1": no, "5/0": [true, false, false] }));
  assert.match(once.verdict, /not reliably either, but it is the only arm that solved any run$/);
  assert.match(v.counts, /neither 0\/3, forget bias 1 alone 0\/3, orthogonal U alone 0\/3, both 0\/3; forget bias 5 alone 2\/3/);
});

test("gradients report: the budget verdict says whether more updates changed an LSTM outcome", () => {
  const row = (solved: boolean, kind: string) => ({ kind, cell: "lstm", task: "adding", T: 40, clip: true, seed: 0, solved }) as unknown as Row;
  assert.match(budgetVerdict([row(true, "budget")], [row(false, "success")]).verdict, /solved 1 more run of LSTM \(pytorch init\): the budget was at least part/);
  assert.match(budgetVerdict([row(false, "budget")], [row(false, "success")]).verdict, /"a budget limit" is not supported/);
});
