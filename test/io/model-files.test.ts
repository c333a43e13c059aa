// The model directory as bytes (src/formats/model-files.ts) and the tar archive that carries it
// (src/formats/tar.ts): the same files saveModel writes, read back by loadModel and by the bytes
// reader, a tar that the system's tar unpacks and whose archives we read, and one clear line
// for every kind of bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { Sequence } from "../../src/train/sequence.ts";
import { initialize } from "../../src/model/initialize.ts";
import { saveModel, loadModel } from "../../src/node/model-dir.ts";
import { modelDirFiles, modelFromFiles, modelConfigText } from "../../src/formats/model-files.ts";
import { readTar, writeTar } from "../../src/formats/tar.ts";
import { weightsToBytes } from "../../src/formats/model-bytes.ts";
import { makeOptimizer } from "../../src/train/optim/index.ts";
import { Trainer } from "../../src/train/trainer.ts";
import { Rng } from "../../src/rand.ts";

function trained(cell: "elman" | "jordan" | "lstm" | "gru") {
  const m = new Sequence({ cell, input: 3, hidden: 4, output: 2, ...(cell === "jordan" ? { state: 3 } : {}) });
  initialize(m, new Rng(2));
  const opt = makeOptimizer("adam", { lr: 0.01 });
  const tr = new Trainer(m, { loss: "mse", optimizer: opt });
  const rng = new Rng(5);
  for (let i = 0; i < 3; i++) tr.trainStep({ x: new Float32Array(5 * 2 * 3).map(() => rng.normal()), T: 5, B: 2, targets: new Float32Array(5 * 2 * 2).map(() => rng.normal()) });
  return { m, opt };
}

function withDir<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "recurrent-files-"));
  try { return f(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

test("modelDirFiles writes config.json and model.safetensors byte for byte as saveModel does, and loadModel reads them", () => {
  for (const cell of ["elman", "jordan", "lstm", "gru"] as const) {
    const { m, opt } = trained(cell);
    const task = { kind: "synthetic", name: "adding", length: 20 }, training = { step: 3, source: "test" };
    withDir((dir) => {
      saveModel(dir, m, { task, training, optimizer: opt });
      const files = modelDirFiles(m, { task, training, optimizer: opt });
      assert.deepEqual(Object.keys(files).sort(), ["config.json", "model.safetensors", "optimizer.safetensors"]);
      assert.equal(new TextDecoder().decode(files["config.json"]), readFileSync(join(dir, "config.json"), "utf8"), `${cell}: config.json`);
      assert.deepEqual(files["model.safetensors"], new Uint8Array(readFileSync(join(dir, "model.safetensors"))), `${cell}: weights`);
      assert.equal(modelConfigText(m, { task, training }), readFileSync(join(dir, "config.json"), "utf8"));
    });
    withDir((dir) => {
      for (const [name, bytes] of Object.entries(modelDirFiles(m, { task, training, optimizer: opt }))) writeFileSync(join(dir, name), bytes);
      const back = loadModel(dir);
      assert.deepEqual(back.model.config, m.config);
      assert.deepEqual(back.model.params, m.params, `${cell}: weights bit for bit`);
      assert.deepEqual(back.task, task);
      assert.deepEqual(back.optimizer!.state().scalars, opt.state().scalars);
    });
  }
});

test("modelFromFiles opens a directory saveModel wrote (best weights first, as eval does; --last style on request)", () => {
  const { m, opt } = trained("lstm");
  const other = new Sequence(m.config);
  initialize(other, new Rng(9));
  withDir((dir) => {
    saveModel(dir, m, { task: { kind: "charlm" }, optimizer: opt });
    writeFileSync(join(dir, "best.safetensors"), weightsToBytes(other));
    const files: Record<string, Uint8Array> = {};
    for (const n of readdirSync(dir)) if (n.endsWith(".json") || n.endsWith(".safetensors")) files[`run/${n}`] = new Uint8Array(readFileSync(join(dir, n)));
    const best = modelFromFiles(files, "upload");
    assert.equal(best.weights, "best");
    assert.deepEqual(best.model.params, other.params);
    assert.deepEqual(best.task, { kind: "charlm" });
    const last = modelFromFiles(files, "upload", { last: true });
    assert.equal(last.weights, "last");
    assert.deepEqual(last.model.params, m.params);
    assert.ok(last.optimizer);
  });
});

test("modelFromFiles: a file that is not a model gets one line naming it", () => {
  const { m } = trained("gru");
  const good = modelDirFiles(m, {});
  const enc = (s: string) => new TextEncoder().encode(s);
  const cases: Array<[Record<string, Uint8Array>, RegExp]> = [
    [{}, /upload: expected a model directory \(config\.json and model\.safetensors\), got no files/],
    [{ "photo.png": enc("PNG") }, /expected a model directory .*got "photo\.png"/],
    [{ "config.json": enc("{not json") }, /upload: config\.json: expected JSON, got a parse error/],
    [{ "config.json": enc(JSON.stringify({ format: "keras" })) }, /config\.json: expected "format": "recurrent-model", got "keras"/],
    [{ "config.json": enc(JSON.stringify({ format: "recurrent-model", model: { cell: "lstm", input: 0, hidden: 4 } })) }, /config\.json: model\.input: expected an integer >= 1, got 0/],
    [{ "config.json": good["config.json"] }, /upload: expected model\.safetensors beside config\.json, got none/],
    [{ "config.json": good["config.json"], "model.safetensors": enc("hello, world") }, /upload: model\.safetensors/],
  ];
  for (const [files, re] of cases) assert.throws(() => modelFromFiles(files, "upload"), (e: Error) => e.name === "RecurrentError" && re.test(e.message) && !e.message.includes("\n"), `expected ${re}`);
});

test("writeTar makes an archive the system's tar unpacks, and readTar reads what the system's tar writes", (t) => {
  if (spawnSync("tar", ["--version"]).status !== 0) { t.skip("no tar command"); return; }
  const { m } = trained("elman");
  const files = modelDirFiles(m, { task: { kind: "synthetic" } });
  withDir((dir) => {
    const archive = writeTar(Object.entries(files).map(([n, bytes]) => ({ path: `elman-run/${n}`, bytes })));
    assert.equal(archive.length % 512, 0);
    writeFileSync(join(dir, "m.tar"), archive);
    const r = spawnSync("tar", ["xf", "m.tar"], { cwd: dir, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    for (const [n, bytes] of Object.entries(files)) assert.deepEqual(new Uint8Array(readFileSync(join(dir, "elman-run", n))), bytes, n);
    assert.deepEqual(loadModel(join(dir, "elman-run")).model.params, m.params);
    // The other way: an archive made by tar (GNU format), with a long path.
    const deep = join(dir, "src", "a".repeat(60), "b".repeat(60));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, "config.json"), files["config.json"]);
    writeFileSync(join(dir, "src", "model.safetensors"), files["model.safetensors"]);
    assert.equal(spawnSync("tar", ["cf", "../sys.tar", "."], { cwd: join(dir, "src") }).status, 0);
    const entries = readTar(new Uint8Array(readFileSync(join(dir, "sys.tar"))), "sys.tar");
    const byName = Object.fromEntries(entries.map((e) => [e.path.replace(/^\.\//, ""), e.bytes]));
    assert.deepEqual(byName["model.safetensors"], files["model.safetensors"]);
    assert.deepEqual(byName[`${"a".repeat(60)}/${"b".repeat(60)}/config.json`], files["config.json"]);
  });
});

test("readTar round-trips writeTar, and refuses what is not a tar archive with one line", () => {
  const entries = [{ path: "d/x.bin", bytes: new Uint8Array(700).map((_, i) => i & 255) }, { path: "d/empty", bytes: new Uint8Array(0) }, { path: `${"p".repeat(60)}/${"q".repeat(60)}/n`, bytes: new Uint8Array([1]) }];
  const tar = writeTar(entries);
  assert.deepEqual(readTar(tar), entries);
  assert.deepEqual(writeTar(entries), tar, "the same files give the same bytes");
  const bad = (b: Uint8Array, re: RegExp) => assert.throws(() => readTar(b, "up.tar"), (e: Error) => e.name === "RecurrentError" && re.test(e.message), `expected ${re}`);
  bad(new TextEncoder().encode("just some text"), /up\.tar: expected a tar archive \(a multiple of 512 bytes\), got 14 bytes/);
  bad(new Uint8Array(1024).fill(65), /up\.tar: expected a tar archive \(ustar header\), got a file that is not one/);
  const damaged = tar.slice(); damaged[600] ^= 0xff; damaged[0] ^= 1;
  bad(damaged, /checksum: expected \d+, got \d+ \(a damaged archive\)/);
  bad(tar.slice(0, 1024), /expected 700 bytes of data, got 0 \(a truncated archive\)|truncated/);
  assert.throws(() => writeTar([{ path: "../evil", bytes: new Uint8Array(1) }]), /relative path without "\.\."/);
  assert.throws(() => writeTar([{ path: "n".repeat(101), bytes: new Uint8Array(1) }]), /a name of at most 100 bytes/);
});
