// Schedules against torch.optim.lr_scheduler (golden values from test/fixtures/schedule-clip-torch.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { lrAt, type Schedule } from "../../src/train/schedule.ts";

const golden = JSON.parse(readFileSync(new URL("../fixtures/schedule-clip-torch.json", import.meta.url), "utf8")) as { torch: string; schedules: Array<{ schedule: Schedule; lrs: number[] }> };

for (const { schedule, lrs } of golden.schedules) {
  test(`${schedule.kind} schedule equals torch ${golden.torch}'s scheduler for ${lrs.length} steps (1e-12 relative)`, () => {
    lrs.forEach((want, t) => assert.ok(Math.abs(lrAt(schedule, t) - want) <= 1e-12 * want, `t = ${t}: ${lrAt(schedule, t)} vs torch ${want}`));
  });
}
