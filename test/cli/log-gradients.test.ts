// `recurrent train --log-gradients`: gradient records in metrics.jsonl (one norm per time
// step, clipping figures per evaluation interval), the gradients.svg/png plot, and that
// logging changes no bit of training, also across a resume.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "./helpers.ts";
import { parseMetrics, type MetricsRecord } from "../../src/cli/session/metrics-log.ts";
import { TrainingGradients } from "../../src/cli/session/gradient-log.ts";

const dir = tempDir("log-gradients");
const T = 10;
// 4 batches per epoch, evaluations at steps 2 (mid-epoch) and 4 (epoch end) of every epoch; a
// tight clip so that clipping fires.
const base = ["train", "--task", "adding", "--length", String(T), "--hidden", "6", "--batch", "8", "--steps-per-epoch", "4",
  "--eval-every", "2", "--clip", "0.05", "--threads", "1", "--seed", "3"];

interface Grads {
  updates: number; clip_events?: number; clip_rate?: number; T?: number; norms?: number[];
  norm_before?: { mean: number; median: number; max: number }; norm_after?: { mean: number; median: number; max: number };
}
const metricsOf = (d: string): MetricsRecord[] => parseMetrics(readFileSync(join(d, "metrics.jsonl"), "utf8"));
const gradsOf = (r: MetricsRecord) => r.gradients as Grads | undefined;

test("train --log-gradients: a record per evaluation, one norm per step every N-th, and the plot", async () => {
  const a = join(dir, "a");
  const r = await cli([...base, "--epochs", "4", "--log-gradients-every", "3", "--out", a, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).steps, 16);
  const records = metricsOf(a);
  // The record before the first update, then 8 evaluations.
  assert.deepEqual(records.map((x) => x.step), [0, 2, 4, 6, 8, 10, 12, 14, 16]);
  assert.equal(records[0].val_loss, undefined);
  const first = gradsOf(records[0])!;
  assert.equal(first.updates, 0);
  assert.equal(first.norms?.length, T);
  records.slice(1).forEach((x, k) => {
    const g = gradsOf(x);
    assert.ok(g, `evaluation ${k} has a gradients object`);
    assert.equal(g.updates, 2, "the updates since the previous evaluation");
    assert.ok(g.norm_before!.max >= g.norm_before!.median && g.norm_before!.median > 0);
    assert.ok(g.norm_after!.max <= 0.05 + 1e-9, `after clipping ${g.norm_after!.max} > the clip 0.05`);
    assert.equal(g.clip_rate, g.clip_events! / g.updates);
    // --log-gradients-every 3: the per-step norms at evaluations 0, 3, 6.
    if (k % 3 === 0) {
      assert.equal(g.T, T);
      assert.equal(g.norms?.length, T, `one norm per time step at step ${x.step}`);
      assert.ok(g.norms!.every((v) => Number.isFinite(v) && v > 0), `norms ${g.norms}`);
    } else assert.equal(g.norms, undefined, `no per-step norms at evaluation ${k}`);
  });
  assert.ok(records.slice(1).some((x) => gradsOf(x)!.clip_events! > 0), "clipping at 0.05 fires");
  assert.ok(readFileSync(join(a, "gradients.svg"), "utf8").includes("∂L/∂h"));
  assert.deepEqual([...readFileSync(join(a, "gradients.png")).subarray(1, 4)].map((c) => String.fromCharCode(c)).join(""), "PNG");
});

test("--log-gradients changes no bit of training, and a resumed run logs as an uninterrupted one", async () => {
  const a = join(dir, "a2"), plain = join(dir, "plain"), b = join(dir, "b");
  assert.equal((await cli([...base, "--epochs", "4", "--log-gradients-every", "3", "--out", a])).code, 0);
  assert.equal((await cli([...base, "--epochs", "4", "--out", plain])).code, 0);
  assert.ok(readFileSync(join(a, "model.safetensors")).equals(readFileSync(join(plain, "model.safetensors"))), "logging changed the weights");
  assert.ok(!existsSync(join(plain, "gradients.svg")));
  assert.ok(metricsOf(plain).every((x) => x.gradients === undefined));

  assert.equal((await cli([...base, "--epochs", "2", "--log-gradients-every", "3", "--out", b])).code, 0);
  const resumed = await cli(["train", "--resume", b, "--epochs", "4"]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.ok(readFileSync(join(a, "model.safetensors")).equals(readFileSync(join(b, "model.safetensors"))));
  const strip = (rs: MetricsRecord[]) => rs.map(({ seconds: _s, ...rest }) => rest);
  assert.deepEqual(strip(metricsOf(b)), strip(metricsOf(a)));
});

test("the clipping figures of updates before a checkpoint carry over to the resumed session", () => {
  const probe = { x: new Float32Array(2), T: 1, B: 1, targets: [0] };
  const steps = [{ gradNorm: 3, clipped: true }, { gradNorm: 0.5, clipped: false }, { gradNorm: 2, clipped: true }];
  const one = new TrainingGradients(probe, { clip: 1, every: 1 });
  steps.forEach((s) => one.add({ ...s, loss: 0, updates: 1, state: [] }));
  const two = new TrainingGradients(probe, { clip: 1, every: 1 }, { records: [], pending: JSON.parse(JSON.stringify(one.pending())) });
  const summary = (g: TrainingGradients) => (g as unknown as { summary(): Grads }).summary();
  assert.deepEqual(summary(two), summary(one));
  assert.equal(summary(two).clip_events, 2);
  assert.equal(summary(two).norm_before!.max, 3);
});

test("--log-gradients-every 0 is one clear error", async () => {
  const r = await cli([...base, "--epochs", "1", "--log-gradients-every", "0", "--out", join(dir, "bad")]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--log-gradients-every: expected an integer >= 1, got "0"/);
  assert.ok(!existsSync(join(dir, "bad")));
});
