// --resume with flags: the options that may change (learning rate, epochs, time limit,
// clipping, evaluation cadence, patience, threads) are applied and logged; the rest (cell,
// sizes, task, data, seed, optimiser) are refused with one line, and a flag repeating the
// saved value is no change at all.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, tempDir } from "./helpers.ts";
import { optimizerStateFromSafetensors } from "../../src/formats/optimizer-state.ts";

const dir = tempDir("resume-flags");
test.after(() => rmSync(dir, { recursive: true, force: true }));
const base = ["train", "--task", "adding", "--length", "8", "--hidden", "8", "--batch", "8", "--steps-per-epoch", "3", "--threads", "1", "--seed", "2"];
const config = (d: string) => JSON.parse(readFileSync(join(d, "config.json"), "utf8"));
const weights = (d: string) => readFileSync(join(d, "model.safetensors"));

test("a resume applies and logs a new learning rate and epoch count; without --lr it equals the uninterrupted run", async () => {
  const full = join(dir, "full"), plain = join(dir, "plain"), faster = join(dir, "faster");
  assert.equal((await cli([...base, "--epochs", "4", "--out", full])).code, 0);
  for (const d of [plain, faster]) assert.equal((await cli([...base, "--epochs", "2", "--out", d])).code, 0);

  const p = await cli(["train", "--resume", plain, "--epochs", "4"]);
  assert.equal(p.code, 0, p.stderr);
  assert.match(p.stderr, /changed on resume: --epochs 2 → 4\n/);
  assert.ok(weights(full).equals(weights(plain)), "more epochs on resume continue the same run");

  const f = await cli(["train", "--resume", faster, "--epochs", "4", "--lr", "0.05", "--clip", "0.5"]);
  assert.equal(f.code, 0, f.stderr);
  assert.match(f.stderr, /changed on resume: --epochs 2 → 4, --lr 0.003 → 0.05, --clip 1 → 0.5/);
  assert.ok(!weights(full).equals(weights(faster)), "the new learning rate was applied");
  const saved = optimizerStateFromSafetensors(readFileSync(join(faster, "optimizer.safetensors")), "optimizer.safetensors");
  assert.equal(saved.options.lr, 0.05, "the optimiser state saved with the new rate");
  const c = config(faster);
  assert.equal(c.training.options.lr, 0.05);
  assert.deepEqual(c.training.resumes, [{ step: 6, changes: ["--epochs 2 → 4", "--lr 0.003 → 0.05", "--clip 1 → 0.5"] }]);
});

for (const [flag, value] of [["--hidden", "64"], ["--cell", "gru"], ["--optimizer", "sgd"], ["--seed", "3"], ["--batch", "4"], ["--length", "9"], ["--dropout", "0.2"], ["--bidirectional", ""]]) {
  test(`a resume refuses ${flag}${value ? ` ${value}` : ""} with one line and leaves the run as it was`, async () => {
    const d = join(dir, `fixed${flag}`);
    assert.equal((await cli([...base, "--epochs", "1", "--out", d])).code, 0);
    const before = weights(d), cfg = readFileSync(join(d, "config.json"), "utf8");
    const r = await cli(["train", "--resume", d, "--epochs", "2", flag, ...(value ? [value] : [])]);
    assert.equal(r.code, 1);
    const name = flag === "--length" ? "--seq" : flag;
    assert.match(r.stderr, new RegExp(`^error: ${name}: cannot change on --resume \\(the saved run has .+; only --lr, .* may change\\), got .+\\n$`));
    assert.ok(weights(d).equals(before));
    assert.equal(readFileSync(join(d, "config.json"), "utf8"), cfg);
  });
}

test("a flag that repeats the saved value is accepted and changes nothing", async () => {
  const d = join(dir, "same");
  assert.equal((await cli([...base, "--epochs", "1", "--out", d])).code, 0);
  const r = await cli(["train", "--resume", d, "--epochs", "2", "--hidden", "8", "--cell", "lstm"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /changed on resume: --epochs 1 → 2\n/);
});

test("a checkpoint records the backend that trained it; a resume on other kernels warns in one line, saying which used FMA", async () => {
  const d = join(dir, "kernels");
  assert.equal((await cli([...base, "--epochs", "1", "--backend", "fma", "--out", d])).code, 0);
  assert.equal(config(d).training.backend, "wasm-relaxed-simd");
  const r = await cli(["train", "--resume", d, "--epochs", "2", "--backend", "simd"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /changed on resume: --backend "fma" → "simd", --epochs 1 → 2\n/);
  const warnings = r.stderr.split("\n").filter((l) => l.includes("warning"));
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0], /^ {2}warning: trained on the wasm-relaxed-simd kernels \(relaxed SIMD, FMA\), resumed on wasm-simd \(SIMD, no FMA\): they round differently/);
  assert.equal(config(d).training.backend, "wasm-simd");
  // A label saved with threads compares by its kernels: threads change no bits.
  const c = config(d); c.training.backend = "wasm-simd ×2 threads";
  writeFileSync(join(d, "config.json"), JSON.stringify(c));
  rmSync(join(d, "checkpoint.json")); rmSync(join(d, "checkpoints"), { recursive: true });   // the edited top-level files are the checkpoint now
  const same = await cli(["train", "--resume", d, "--epochs", "3"]);
  assert.equal(same.code, 0, same.stderr);
  assert.doesNotMatch(same.stderr, /warning/);
});

test("--backend fma: a run stopped and resumed ends with the bits of one never stopped", async () => {
  const full = join(dir, "fma-full"), part = join(dir, "fma-part");
  assert.equal((await cli([...base, "--epochs", "2", "--backend", "fma", "--out", full])).code, 0);
  assert.equal((await cli([...base, "--epochs", "1", "--backend", "fma", "--out", part])).code, 0);
  const r = await cli(["train", "--resume", part, "--epochs", "2"]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /warning/);
  assert.equal(config(part).training.backend, "wasm-relaxed-simd");
  assert.ok(weights(full).equals(weights(part)));
});
