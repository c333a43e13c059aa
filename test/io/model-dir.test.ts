import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { saveModel, loadModel } from "../../src/node/model-dir.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { Rng } from "../../src/rand.ts";
import { writeSafetensors } from "../../src/formats/safetensors.ts";

const tmp = () => mkdtempSync(join(tmpdir(), "recurrent-test-"));

function data(rng: Rng, n: number) {
  return Array.from({ length: n }, () => ({
    x: new Float32Array(6 * 3 * 2).map(() => rng.normal()),
    y: new Float32Array(6 * 3 * 2).map(() => rng.normal()),
  }));
}

test("save, load and continue training equals never having stopped (weights and Adam state, bit for bit)", () => {
  for (const cell of ["elman", "jordan", "lstm", "gru"] as const) {
    const cfg = { cell, input: 2, hidden: 5, output: 2, ...(cell === "jordan" ? { state: 3 } : {}) };
    const batches = data(new Rng(3), 10);
    const make = () => { const m = new Sequence(cfg); initialize(m, new Rng(1)); return m; };
    const a = make();
    const ta = new Trainer(a, { loss: "mse", optimizer: makeOptimizer("adam", { lr: 0.01 }) });
    for (const b of batches) ta.trainStep({ x: b.x, T: 6, B: 3, targets: b.y });

    const b = make();
    const tb = new Trainer(b, { loss: "mse", optimizer: makeOptimizer("adam", { lr: 0.01 }) });
    for (const d of batches.slice(0, 4)) tb.trainStep({ x: d.x, T: 6, B: 3, targets: d.y });
    const dir = tmp();
    saveModel(dir, b, { optimizer: tb.opts.optimizer, task: { kind: "test" } });
    const loaded = loadModel(dir);
    assert.ok(loaded.optimizer, "optimizer restored");
    const tc = new Trainer(loaded.model, { loss: "mse", optimizer: loaded.optimizer! });
    for (const d of batches.slice(4)) tc.trainStep({ x: d.x, T: 6, B: 3, targets: d.y });
    assert.deepEqual(Array.from(loaded.model.params), Array.from(a.params), cell);
    assert.deepEqual(loaded.task, { kind: "test" });
    rmSync(dir, { recursive: true });
  }
});

test("loading refuses a missing tensor, a wrong shape, an extra tensor and non-finite values, naming file and tensor", () => {
  const m = new Sequence({ cell: "gru", input: 2, hidden: 3, output: 1 });
  const dir = tmp();
  saveModel(dir, m);
  // The older layout (top-level files only), which loadModel still reads: the checks apply to it.
  rmSync(join(dir, "checkpoint.json")); rmSync(join(dir, "checkpoints"), { recursive: true });
  const path = join(dir, "model.safetensors");
  const good = Object.fromEntries(m.tensors.map((t) => [t.name, { shape: t.shape, data: m.get(t.name).slice() }]));
  const cases: Array<[Record<string, { shape: number[]; data: Float32Array | Float64Array }>, RegExp]> = [
    [Object.fromEntries(Object.entries(good).filter(([k]) => k !== "bias_hh_l0")), /model\.safetensors: missing tensor "bias_hh_l0"/],
    [{ ...good, "head.bias": { shape: [2], data: new Float32Array(2) } }, /tensor "head\.bias": expected shape \[1\], got \[2\]/],
    [{ ...good, extra: { shape: [1], data: new Float32Array(1) } }, /unexpected tensor "extra"/],
    [{ ...good, "head.bias": { shape: [1], data: new Float32Array([NaN]) } }, /tensor "head\.bias": expected finite values, got NaN/],
  ];
  for (const [tensors, re] of cases) {
    writeFileSync(path, writeSafetensors(tensors));
    assert.throws(() => loadModel(dir), re);
  }
  writeFileSync(path, new Uint8Array([1, 2, 3]));
  assert.throws(() => loadModel(dir), /model\.safetensors: file: expected at least 8 bytes/);
  writeFileSync(join(dir, "config.json"), "{not json");
  assert.throws(() => loadModel(dir), /config\.json: expected JSON/);
  assert.throws(() => loadModel(join(dir, "nope")), /not a model directory/);
  rmSync(dir, { recursive: true });
});

test("saving commits one generation with a manifest, keeps top-level copies, and leaves no temp files or old generations", () => {
  const m = new Sequence({ cell: "lstm", input: 2, hidden: 3 });
  const dir = tmp();
  saveModel(dir, m, { optimizer: makeOptimizer("sgd", { lr: 0.1 }) });
  saveModel(dir, m, { optimizer: makeOptimizer("sgd", { lr: 0.1 }), step: 5 });
  assert.deepEqual(readdirSync(dir).sort(), ["checkpoint.json", "checkpoints", "config.json", "model.safetensors", "optimizer.safetensors"]);
  const manifest = JSON.parse(readFileSync(join(dir, "checkpoint.json"), "utf8"));
  assert.equal(manifest.step, 5);
  assert.deepEqual(readdirSync(join(dir, "checkpoints")), [manifest.generation.split("/")[1]], "only the current generation is kept");
  assert.deepEqual(readdirSync(join(dir, manifest.generation)).sort(), ["config.json", "model.safetensors", "optimizer.safetensors"]);
  for (const f of ["config.json", "model.safetensors"]) assert.ok(readFileSync(join(dir, f)).equals(readFileSync(join(dir, manifest.generation, f))), `${f}: the copy is the checkpoint's`);
  assert.equal(JSON.parse(readFileSync(join(dir, "config.json"), "utf8")).model.cell, "lstm");
  rmSync(dir, { recursive: true });
});

test("a checkpoint whose files do not match its manifest is refused with one line naming the file", () => {
  const m = new Sequence({ cell: "gru", input: 2, hidden: 3, output: 1 });
  const dir = tmp();
  saveModel(dir, m, { optimizer: makeOptimizer("adam"), step: 3 });
  const { generation } = JSON.parse(readFileSync(join(dir, "checkpoint.json"), "utf8"));
  const weights = join(dir, generation, "model.safetensors");
  const bytes = readFileSync(weights);
  bytes[bytes.length - 1] ^= 1;                      // one bit of one weight
  writeFileSync(weights, bytes);
  assert.throws(() => loadModel(dir), /model\.safetensors: expected \d+ bytes with SHA-256 [0-9a-f]{12}… as checkpoint\.json says, got \d+ bytes with [0-9a-f]{12}… \(a mixed or damaged checkpoint\)$/);
  rmSync(join(dir, generation, "optimizer.safetensors"));
  writeFileSync(weights, readFileSync(join(dir, "model.safetensors")));
  assert.throws(() => loadModel(dir), /optimizer\.safetensors: expected the file the checkpoint of step 3 names, got none/);
  rmSync(dir, { recursive: true });
});

test("a directory of the older layout whose optimiser is of another step than config.json is refused (a mixed checkpoint)", () => {
  const m = new Sequence({ cell: "elman", input: 2, hidden: 3, output: 1 });
  const dir = tmp();
  const opt = makeOptimizer("sgd", { lr: 0.1 });
  opt.step(m.params, new Float32Array(m.params.length));            // the optimiser at step 1
  saveModel(dir, m, { optimizer: opt, training: { step: 4 } });
  rmSync(join(dir, "checkpoint.json")); rmSync(join(dir, "checkpoints"), { recursive: true });
  assert.throws(() => loadModel(dir), /optimizer\.safetensors: expected the optimiser state of step 4 \(config\.json's\), got step 1 \(a mixed checkpoint/);
  rmSync(dir, { recursive: true });
});

test("an Elman model directory stores nn.RNN's names (bias_ih = b_h, bias_hh = 0) and loads them back", async () => {
  const { readSafetensors } = await import("../../src/formats/safetensors.ts");
  const m = new Sequence({ cell: "elman", input: 2, hidden: 3, layers: 2, output: 1 });
  initialize(m, new Rng(2));
  const dir = tmp();
  saveModel(dir, m);
  const { tensors } = readSafetensors(readFileSync(join(dir, "model.safetensors")), "model.safetensors");
  assert.deepEqual(Object.keys(tensors).sort(), ["bias_hh_l0", "bias_hh_l1", "bias_ih_l0", "bias_ih_l1", "head.bias", "head.weight",
    "weight_hh_l0", "weight_hh_l1", "weight_ih_l0", "weight_ih_l1"]);
  assert.deepEqual(Array.from(tensors.bias_ih_l1.data as Float32Array), Array.from(m.get("bias_l1")));
  assert.deepEqual(Array.from(tensors.bias_hh_l1.data as Float32Array), [0, 0, 0]);
  assert.deepEqual(Array.from(loadModel(dir).model.params), Array.from(m.params));
  rmSync(dir, { recursive: true });
});

test("a config.json that is not JSON is refused in one line, whatever bytes it holds", () => {
  const m = new Sequence({ cell: "gru", input: 2, hidden: 3, output: 1 });
  const dir = tmp();
  saveModel(dir, m);
  rmSync(join(dir, "checkpoint.json")); rmSync(join(dir, "checkpoints"), { recursive: true });
  writeFileSync(join(dir, "config.json"), "\u0000\n{\"format");
  assert.throws(() => loadModel(dir), (e: Error) => /config\.json: expected JSON, got a parse error/.test(e.message) && !e.message.includes("\n"));
  rmSync(dir, { recursive: true });
});
