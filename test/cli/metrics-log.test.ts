import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { MetricsLog, parseMetrics } from "../../src/cli/session/metrics-log.ts";

test("metrics log: one JSON line per record, read back in order; NaN/Infinity become null", () => {
  const dir = mkdtempSync(join(tmpdir(), "metrics-"));
  try {
    const log = new MetricsLog(join(dir, "run", "metrics.jsonl"));
    assert.deepEqual(log.read(), []);
    log.append({ step: 10, epoch: 1, seconds: 0.5, train_loss: 2.5, val_loss: 2.6 });
    log.append({ step: 20, epoch: 2, seconds: 1.0, train_loss: NaN, val_loss: Infinity });
    const lines = readFileSync(log.path, "utf8").trim().split("\n");
    assert.equal(lines.length, 2);
    const r = log.read();
    assert.deepEqual(r.map((x) => x.step), [10, 20]);
    assert.equal(r[1].train_loss, null);
    assert.equal(r[1].val_loss, null);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test("metrics log: a torn last line is skipped, and truncateAfter cuts back to a checkpoint's step", () => {
  const dir = mkdtempSync(join(tmpdir(), "metrics-"));
  try {
    const log = new MetricsLog(join(dir, "metrics.jsonl"));
    for (let k = 1; k <= 4; k++) log.append({ step: k * 100, epoch: k, seconds: k, val_loss: 3 - k / 10 });
    appendFileSync(log.path, '{"step": 500, "epoch"'); // killed mid-write
    assert.equal(log.read().length, 4);
    const kept = log.truncateAfter(200);
    assert.deepEqual(kept.map((x) => x.step), [100, 200]);
    assert.deepEqual(parseMetrics(readFileSync(log.path, "utf8")).map((x) => x.step), [100, 200]);
    log.append({ step: 300, epoch: 3, seconds: 9 });
    assert.deepEqual(log.read().map((x) => x.step), [100, 200, 300]);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
