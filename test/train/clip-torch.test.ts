// Clipping against torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (golden values from
// test/fixtures/schedule-clip-torch.py, float64).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { clipByGlobalNorm, clipByValue } from "../../src/train/clip.ts";

const golden = JSON.parse(readFileSync(new URL("../fixtures/schedule-clip-torch.json", import.meta.url), "utf8")) as {
  torch: string;
  clipNorm: Array<{ grads: number[]; maxNorm: number; norm: number; clipped: number[] }>;
  clipValue: { grads: number[]; clipValue: number; clipped: number[] };
};

test(`clip by global norm returns torch ${golden.torch}'s norm and leaves the same gradients (1e-14 relative)`, () => {
  for (const c of golden.clipNorm) {
    const g = Float64Array.from(c.grads);
    const r = clipByGlobalNorm(g, c.maxNorm);
    assert.ok(Math.abs(r.norm - c.norm) <= 1e-14 * c.norm, `norm ${r.norm} vs ${c.norm}`);
    assert.equal(r.clipped, c.norm > c.maxNorm);
    c.clipped.forEach((want, i) => assert.ok(Math.abs(g[i] - want) <= 1e-14 * Math.max(1, Math.abs(want)), `g${i}: ${g[i]} vs ${want}`));
  }
});

test(`clip by value equals torch ${golden.torch}'s clip_grad_value_`, () => {
  const g = Float64Array.from(golden.clipValue.grads);
  clipByValue(g, golden.clipValue.clipValue);
  assert.deepEqual(Array.from(g), golden.clipValue.clipped);
});
