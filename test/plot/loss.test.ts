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

/** The text of every label in an SVG (ticks, titles, legend). */
const svgTexts = (svg: string) => (svg.match(/<text[^>]*>[^<]*<\/text>/g) ?? []).map((t) => t.replace(/<[^>]+>/g, ""));

test("loss curve of a short run: one evaluation at step 246 draws its points on integer step ticks from 0, never \"246.000000\"", async () => {
  const svg = await renderSvg(lossCurveSpec([{ step: 246, epoch: 1, seconds: 20, train_loss: 2.1, val_loss: 2.3 }], { yTitle: "nats" }));
  const texts = svgTexts(svg);
  assert.ok(!texts.some((t) => /\.\d{3,}/.test(t)), `no long decimals: ${texts.join(" | ")}`);
  const xTicks = texts.slice(0, texts.indexOf("step")).map((t) => Number(t.replace(/,/g, "")));
  assert.ok(xTicks.length >= 3, `several x ticks: ${texts.join(" | ")}`);
  assert.ok(xTicks.every(Number.isInteger) && xTicks[0] === 0 && Math.max(...xTicks) >= 200 && Math.max(...xTicks) <= 260, xTicks.join(","));
  // Both points drawn inside the 480 × 280 frame, not on its edge.
  const points = [...svg.matchAll(/translate\(([\d.]+),([\d.]+)\)"[^>]*aria-roledescription="point"|aria-roledescription="point"[^>]*translate\(([\d.]+),([\d.]+)\)/g)]
    .map((m) => [Number(m[1] ?? m[3]), Number(m[2] ?? m[4])]);
  assert.equal(points.length, 2, "a point per series");
  for (const [px, py] of points) assert.ok(px > 0 && px < 480 && py > 0 && py < 280, `point at ${px},${py}`);
  // A single loss value: a range around it, so the y axis has ticks too.
  const one = lossCurveSpec([{ step: 5, val_loss: 0.5 }]) as unknown as { encoding: { y: { scale: { domain: number[] } } } };
  assert.deepEqual(one.encoding.y.scale.domain, [0.45, 0.55]);
  const yTexts = svgTexts(await renderSvg(lossCurveSpec([{ step: 5, val_loss: 0.5 }])));
  assert.ok(yTexts.includes("0.5") && yTexts.length > 6, yTexts.join(" | "));
});

test("loss curve axes: thousands of steps grouped, fractional epochs as short decimals", async () => {
  const long = svgTexts(await renderSvg(lossCurveSpec(Array.from({ length: 30 }, (_, i) => ({ step: 1000 * (i + 1), val_loss: 3 - i / 20 })))));
  assert.ok(long.includes("10,000") && long.includes("30,000"), long.join(" | "));
  const epochs = svgTexts(await renderSvg(lossCurveSpec([{ step: 3, epoch: 0.5, val_loss: 2.3 }, { step: 6, epoch: 1, val_loss: 2.1 }], { x: "epoch" })));
  assert.ok(epochs.includes("0.5") && epochs.includes("1"), epochs.join(" | "));
  assert.ok(!epochs.some((t) => /\.\d{3,}/.test(t)), epochs.join(" | "));
});
