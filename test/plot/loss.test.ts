import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { forecastSpec, lossCurveSpec } from "../../src/plot/loss.ts";
import { renderSvg, writeChart } from "../../src/plot/chart.ts";

test("loss curve: train and validation series from metrics records, non-finite losses left out", async () => {
  const records = [
    { step: 1, epoch: 1, train_loss: 4.1, val_loss: 4.2 },
    { step: 2, epoch: 2, train_loss: 3.0, val_loss: null },
    { step: 3, epoch: 3, train_loss: 2.5, val_loss: 2.9 },
  ];
  const spec = lossCurveSpec(records, { x: "epoch", yTitle: "nats/char" }) as { data: { values: { series: string }[] } };
  const vals = spec.data.values;
  assert.equal(vals.filter((v) => v.series === "train").length, 3);
  assert.equal(vals.filter((v) => v.series === "validation").length, 2);
  const svg = await renderSvg(lossCurveSpec(records, { yTitle: "nats/char" }));
  assert.match(svg, /^<svg/);
  assert.match(svg, /nats\/char/);
  assert.match(svg, /validation/);
});

test("forecast chart: history, forecast and actuals render to SVG and PNG with dates on the x axis", async () => {
  const history = Array.from({ length: 24 }, (_, i) => ({ x: `19${49 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`, y: 100 + i }));
  const forecast = Array.from({ length: 6 }, (_, i) => ({ x: `1951-${String(i + 1).padStart(2, "0")}`, y: 124 + i }));
  const actual = forecast.map((p) => ({ x: p.x, y: p.y + 3 }));
  const spec = forecastSpec({ history, forecast, actual }, { yTitle: "passengers (thousands)" }) as { encoding: { x: { type: string } } };
  assert.equal(spec.encoding.x.type, "temporal");
  assert.equal((forecastSpec({ history: [{ x: 1, y: 1 }], forecast: [{ x: 2, y: 2 }] }) as { encoding: { x: { type: string } } }).encoding.x.type, "quantitative");
  const dir = mkdtempSync(join(tmpdir(), "chart-"));
  try {
    const out = await writeChart(dir, "forecast", forecastSpec({ history, forecast, actual }));
    const svg = readFileSync(out.svg, "utf8");
    for (const name of ["history", "forecast", "actual", "1950"]) assert.ok(svg.includes(name), name);
    assert.ok(statSync(out.png).size > 1000);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
