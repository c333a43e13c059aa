// Size checks before allocation (src/model/budget.ts): a model or a training run that cannot
// fit is refused in one line naming its size, from the library, from a model directory's
// config.json and from `recurrent train` / `params` flags, before anything is allocated or
// written. Not here: what happens inside a run that fits (the training tests).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Sequence } from "../../src/train/sequence.ts";
import { normaliseConfig } from "../../src/model/config.ts";
import { paramCount } from "../../src/model/count.ts";
import { checkModelMemory, DEFAULT_LIMITS, memoryLimits, setMemoryLimits } from "../../src/model/budget.ts";
import { loadModel } from "../../src/node/model-dir.ts";
import { RecurrentError } from "../../src/errors.ts";
import { cli, tempDir } from "../cli/helpers.ts";

const dir = tempDir("budget");
test.after(() => rmSync(dir, { recursive: true, force: true }));

function oneLine(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof RecurrentError, String(e));
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes("\n"));
    return true;
  });
}

test("a model bigger than the budget is refused with its parameter count and bytes; one that fits exactly is built", () => {
  const saved = memoryLimits();
  try {
    const c = normaliseConfig({ cell: "lstm", input: 3, hidden: 8, output: 2 });
    const bytes = 2 * paramCount(c) * 4;
    setMemoryLimits({ ...DEFAULT_LIMITS, bytes, source: "the test's limit" });
    assert.equal(new Sequence(c).paramCount, paramCount(c));
    setMemoryLimits({ ...DEFAULT_LIMITS, bytes: bytes - 1, source: "the test's limit" });
    oneLine(() => new Sequence({ cell: "lstm", input: 3, hidden: 8, output: 2 }),
      new RegExp(`^config: expected a model whose weights and gradients fit in 3\\.5 kB \\(the test's limit\\), got ${paramCount(c)} parameters \\(lstm, input 3, hidden 8, layers 1, output 2\\): 3\\.5 kB$`));
    // float64 doubles the bytes: the float32 check passes, the model's own refuses.
    setMemoryLimits({ ...DEFAULT_LIMITS, bytes: bytes + 8, source: "the test's limit" });
    oneLine(() => new Sequence(c, "float64"), /^config: expected a model whose weights and gradients fit in/);
  } finally { setMemoryLimits(saved); }
});

test("the core's default limits refuse hidden 1e9, hidden 1e5 and 3,000,000 layers at once, naming the sizes", () => {
  const saved = memoryLimits();
  try {
    setMemoryLimits(DEFAULT_LIMITS);
    oneLine(() => new Sequence({ cell: "lstm", input: 65, hidden: 100000 }), /got 40,026,800,000 parameters \(lstm, input 65, hidden 100000, layers 1, output 0\): 320\.2 GB$/);
    oneLine(() => new Sequence({ cell: "gru", input: 1, hidden: 1e9 }), /got 3,000,000,009,000,000,000 parameters .*: 24\.0 EB$/);
    oneLine(() => new Sequence({ cell: "elman", input: 1, hidden: 1, layers: 3_000_000 }), /^config\.layers: expected at most 262,144 stacked layers \(their objects fit in 1\.1 GB of JS heap: the toolkit's default limit\), got 3,000,000$/);
    checkModelMemory(normaliseConfig({ cell: "elman", input: 1, hidden: 1, layers: 262_144 }), "ok");   // the edge itself passes
  } finally { setMemoryLimits(saved); }
});

test("a model directory whose config.json declares a 10^12-parameter model is refused naming the file", () => {
  const m = join(dir, "huge-model");
  mkdirSync(m);
  writeFileSync(join(m, "config.json"), JSON.stringify({ format: "recurrent-model", version: 1, model: { cell: "lstm", input: 1, hidden: 500000 } }));
  writeFileSync(join(m, "model.safetensors"), new Uint8Array(16));
  oneLine(() => loadModel(m), new RegExp(`^${m.replace(/[/.]/g, "\\$&")}/config\\.json: model: expected a model whose weights and gradients fit in .*, got 1,000,006,000,000 parameters \\(lstm, input 1, hidden 500000, layers 1, output 0\\): 8\\.0 TB$`));
});

async function refused(args: string[], pattern: RegExp): Promise<void> {
  const out = join(dir, `out-${args.join("-").replace(/[^a-z0-9-]/gi, "")}`);
  const r = await cli([...args, "--out", out]);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], pattern);
  assert.ok(!existsSync(out), "nothing written");
}

test("train refuses --hidden 100000, --layers 100000, --batch 1e8, --steps-per-epoch 1e9 and a --config with layers 3000000 before reading data", async () => {
  const adding = ["train", "--task", "adding", "--threads", "1"];
  await refused([...adding, "--hidden", "100000"], /^error: train: expected a model whose weights and gradients fit in [\d.]+ GB \(3\/4 of this machine's [\d.]+ GB\), got at least 40,001,300,001 parameters \(lstm, input 1, hidden 100000, layers 1, output 1\): 320\.0 GB$/);
  await refused([...adding, "--layers", "100000"], /^error: train: expected a training run that fits in [\d.]+ GB .*, got at least [\d.]+ GB for 844,796,065 parameters .* and batches of 32 × 30 steps$/);
  await refused([...adding, "--batch", "100000000"], /^error: train: expected a training run that fits in .*, got at least [\d.]+ TB for 4,513 parameters .* and batches of 100,000,000 × 30 steps$/);
  await refused([...adding, "--steps-per-epoch", "1000000000"], /^error: --steps-per-epoch: expected at most [\d,]+ \(the seeds of an epoch's batches are kept in memory: 8 bytes each within [\d.]+ GB of JS heap: half of Node's [\d.]+ GB heap limit\), got 1,000,000,000$/);
  const cfg = join(dir, "layers.json");
  writeFileSync(cfg, JSON.stringify({ task: "charlm", text: "no-such-file.txt", layers: 3000000 }));
  await refused(["train", "--config", cfg], /^error: train(\.layers)?: expected .*, got (at least )?[\d,]+/);
  const r = await cli(["params", "--cell", "lstm", "--input", "10", "--hidden", "100000"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: params: expected a model whose weights and gradients fit in .*, got 40,004,800,000 parameters/);
});
