import { test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { Progress } from "../../src/cli/session/progress.ts";
import { formatDuration } from "../../src/node/progress-task.ts";

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  const s = new Writable({ write(c, _e, cb) { chunks.push(String(c)); cb(); } }) as Writable & { isTTY?: boolean; columns?: number };
  s.isTTY = isTTY; s.columns = 120;
  return { stream: s, text: () => chunks.join("") };
}

test("progress without a terminal: plain lines at most every interval, plus log lines and a final line", () => {
  let now = 0;
  const out = sink(false);
  const p = new Progress({ total: 100, epochs: 2, stream: out.stream, interval: 10, now: () => now });
  for (let step = 1; step <= 100; step++) {
    now = step * 1000; // one step per second
    p.update(step, { epoch: step > 50 ? 2 : 1, loss: 3 - step / 100, rate: 1234.4 });
    if (step === 50) p.log("epoch 1: val 2.5000");
  }
  p.stop(); p.stop();
  const lines = out.text().trim().split("\n");
  assert.ok(!out.text().includes("\x1b"), "no terminal control codes in plain mode");
  assert.equal(lines.filter((l) => l.startsWith("[")).length, 11); // every 10 s over 100 s, plus the final line
  assert.ok(lines.includes("epoch 1: val 2.5000"));
  const last = lines[lines.length - 1];
  assert.match(last, /step 100\/100 \| epoch 2\/2 \| loss 2\.0000 \| val - \| 1,234 tok\/s \| ETA 0s/);
});

test("progress ETA: from the rate of work, capped by the time limit", () => {
  let now = 0;
  const p = new Progress({ total: 100, timeLimit: 30, stream: sink(false).stream, now: () => now });
  now = 10_000; p.update(10);
  assert.equal(p.eta(), 20); // 90 s of work left, but only 20 s of the limit
  const q = new Progress({ total: 100, stream: sink(false).stream, now: () => now - 10_000 });
  now = 20_000; q.update(50);
  assert.equal(q.eta(), 10);
  assert.equal(formatDuration(75), "1m15s");
  assert.equal(formatDuration(3725), "1h02m");
  assert.equal(formatDuration(NaN), "?");
});

test("progress on a terminal draws a cli-progress bar with the figures", () => {
  const out = sink(true);
  const p = new Progress({ total: 10, stream: out.stream, unit: "win" });
  p.update(5, { loss: 0.5, valLoss: 0.75, rate: 99 });
  p.stop();
  assert.match(out.text(), /50% \| loss 0\.5000 \| val 0\.7500 \| 99 win\/s \| ETA/);
});

test("progress on a terminal with only a time limit fills the bar with the time used", () => {
  let now = 0;
  const out = sink(true);
  const p = new Progress({ timeLimit: 20, stream: out.stream, now: () => now });
  now = 5000; p.update(7, { loss: 1 });
  p.stop();
  assert.match(out.text(), /25% \| loss 1\.0000/);
  assert.match(out.text(), /ETA 15s/);
});

test("progress phase: validation inside training shows its own progress, then the training figures come back", () => {
  let now = 0;
  const out = sink(false);
  const p = new Progress({ total: 10, epochs: 1, stream: out.stream, interval: 5, now: () => now });
  p.update(10, { epoch: 1, loss: 1.5 });
  now = 6000; p.phase("validating 40% (4/10)");
  assert.equal(p.status(), "epoch 1/1 | validating 40% (4/10)");
  now = 7000; p.phase("validating 50% (5/10)");                  // within the interval: no new line
  now = 12000; p.phase("validating 90% (9/10)");
  p.phase(null);
  assert.match(p.status(), /^epoch 1\/1 \| loss 1\.5000/);
  p.stop();
  const lines = out.text().trim().split("\n");
  assert.ok(lines.some((l) => l.includes("validating 40% (4/10)")) && lines.some((l) => l.includes("validating 90% (9/10)")));
  assert.ok(!lines.some((l) => l.includes("validating 50%")), "plain lines at most every interval");
});
