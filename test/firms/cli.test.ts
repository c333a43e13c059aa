import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runFirms } from "../../src/cli/commands/firms.ts";
import { syntheticCsv, syntheticMarket } from "../../src/analysis/firms/synthetic.ts";

const FIX = "test/firms/fixtures";
const base = {
  prices: `${FIX}/prices-2015-2016.csv.gz`, firms: `${FIX}/firms.csv`, measure: "pearson", minCoverage: "0.99",
  permutations: "10000", seed: "1", k: "3", window: "126", step: "21", rolling: true,
  rnnHidden: "4", rnnSteps: "20", rnnWindow: "10", rnnEmbedding: "trajectory", rnnCell: "gru",
};

test("on two years of 15 real firms, same-sector firms are more alike (residual and pearson), with the issue's JSON fields", async () => {
  const out = JSON.parse(await runFirms({ ...base, measure: "residual,pearson", json: true }));
  for (const f of ["firms", "days", "start", "end", "measure"]) assert.ok(f in out, f);
  for (const f of ["within_mean", "between_mean", "effect_size", "p_value", "knn_accuracy", "chance_accuracy", "ari"]) assert.equal(typeof out.sector[f], "number", f);
  for (const f of ["mantel_r", "p_value"]) assert.equal(typeof out.market_cap[f], "number", f);
  assert.equal(out.firms, 15);
  assert.equal(out.start, "2015-01-02");
  assert.equal(out.measure, "residual,pearson");
  assert.ok(out.days > 480 && out.days < 504, String(out.days));
  for (const m of out.by_measure) {
    assert.ok(m.sector.within_mean > m.sector.between_mean, m.measure);
    assert.ok(m.sector.p_value < 0.001, `${m.measure}: p = ${m.sector.p_value}`);
    assert.ok(m.sector.knn_accuracy > m.sector.chance_accuracy + 0.3, m.measure);
  }
  assert.ok(out.by_measure[0].sector.ari > 0.5);
});

test("the report directory gets Markdown, HTML, summary.json and SVG/PNG charts", async () => {
  const dir = mkdtempSync(join(tmpdir(), "firms-report-"));
  try {
    const text = await runFirms({ ...base, measure: "residual", permutations: "200", out: dir });
    assert.match(text, /residual: firms in the same sector are more alike/);
    for (const f of ["report.md", "report.html", "summary.json", "heatmap-residual.svg", "heatmap-residual.png", "dendrogram-residual.png", "rolling.svg", "rolling.png"]) {
      assert.ok(existsSync(join(dir, f)), f);
    }
    const md = readFileSync(join(dir, "report.md"), "utf8");
    assert.match(md, /## The answer/);
    assert.match(md, /!\[residual heatmap\]\(heatmap-residual\.png\)/);
    assert.match(readFileSync(join(dir, "report.html"), "utf8"), /<table>/);
    assert.ok(readFileSync(join(dir, "rolling.svg"), "utf8").includes("<path"), "rolling chart has lines");
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("bad input through the real CLI: one `error:` line naming file, row and value, exit 1", () => {
  const dir = mkdtempSync(join(tmpdir(), "firms-bad-"));
  try {
    const m = syntheticMarket({ firms: 4, days: 40, sectors: 2, sectorLoading: 0.5, seed: 1 });
    const { prices, firms } = syntheticCsv(m);
    const lines = prices.split("\n");
    lines[7] = lines[7].replace(/,[^,]+$/, ",-1.5");
    writeFileSync(join(dir, "p.csv"), lines.join("\n"));
    writeFileSync(join(dir, "f.csv"), firms);
    const r = spawnSync(process.execPath, ["bin/recurrent.mjs", "firms", "--prices", join(dir, "p.csv"), "--firms", join(dir, "f.csv")], { encoding: "utf8" });
    assert.equal(r.status, 1);
    const err = r.stderr.trim();
    assert.equal(err.split("\n").length, 1, err);
    assert.match(err, /^error: .*p\.csv row 8, column close: expected a positive number, got "-1\.5"$/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("bad options are one clear line each", async () => {
  await assert.rejects(runFirms({ ...base, measure: "spearman" }), /--measure: expected one of pearson\|cosine\|rbf\|residual\|rnn\|all .*got "spearman"/);
  await assert.rejects(runFirms({ ...base, permutations: "many" }), /--permutations: expected a number, got "many"/);
  await assert.rejects(runFirms({ ...base, start: "2016-12-01", end: "2016-12-20" }), /expected at least 21 trading days .*got 14/);
  await assert.rejects(runFirms({ ...base, tickers: "XOM" }), /expected at least 2 firms/);
});
