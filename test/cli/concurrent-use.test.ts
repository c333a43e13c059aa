// Concurrent use of a model directory: a second training run pointed at the same --out refuses
// with one line while the first runs, a lock left by a killed run is taken over, and import and
// export never overwrite a trained model or an existing file without --force.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { cli, tempDir } from "./helpers.ts";
import { loadModel } from "../../src/node/model-dir.ts";
import { exportTorchStateDict } from "../../src/formats/pytorch.ts";
import { writeSafetensors } from "../../src/formats/safetensors.ts";
import { Sequence } from "../../src/train/sequence.ts";

const dir = tempDir("concurrent");
test.after(() => rmSync(dir, { recursive: true, force: true }));
const train = ["train", "--task", "adding", "--length", "10", "--hidden", "8", "--batch", "8", "--threads", "1"];

test("a second run on the same --out refuses while the first runs; the lock goes when the first ends", async () => {
  const out = join(dir, "shared");
  const first = spawn(process.execPath, ["bin/recurrent.mjs", ...train, "--steps-per-epoch", "50", "--epochs", "400", "--out", out]);
  const done = new Promise<number | null>((resolve) => first.on("close", (code) => resolve(code)));
  while (!existsSync(join(out, ".lock")) || !existsSync(join(out, "checkpoint.json"))) await new Promise((r) => setTimeout(r, 20));
  // A fresh run is refused by the directory's model; a resume (the clash that would write every
  // metrics line twice) by the lock.
  const fresh = await cli([...train, "--epochs", "1", "--out", out]);
  assert.match(fresh.stderr, /^error: --out .*: expected a new directory, got one that holds a model/);
  const second = await cli(["train", "--resume", out, "--epochs", "500"]);
  assert.equal(second.code, 1);
  assert.match(second.stderr, new RegExp(`^error: ${out}: expected a model directory no other run is using, got one locked by process ${first.pid} \\(running since .*\\)\\n$`));
  first.kill("SIGTERM");
  assert.equal(await done, 1, "the first run stops with a checkpoint on SIGTERM");
  assert.ok(!existsSync(join(out, ".lock")), "the lock is released");
  const resumed = await cli(["train", "--resume", out, "--epochs", "1"]);
  assert.match(resumed.stderr, /--epochs: expected more than|stopped/, "the directory is free again");
});

test("a lock whose process is gone is taken over, with a line saying so", async () => {
  const out = join(dir, "stale");
  const gone = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
  const deadPid = Number(gone.stdout.trim());
  const r0 = await cli([...train, "--epochs", "1", "--out", out]);
  assert.equal(r0.code, 0, r0.stderr);
  writeFileSync(join(out, ".lock"), JSON.stringify({ pid: deadPid, host: hostname(), started: "2026-01-01T00:00:00.000Z" }));
  const r = await cli(["train", "--resume", out, "--epochs", "2"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`taking over the lock of process ${deadPid}, which is no longer running`));
  assert.ok(!existsSync(join(out, ".lock")));
});

test("import --out and export refuse to overwrite without --force; with it the replaced run's leftovers go", async () => {
  const trained = join(dir, "trained");
  assert.equal((await cli([...train, "--epochs", "1", "--out", trained])).code, 0);
  const m = new Sequence({ cell: "lstm", input: 1, hidden: 8, output: 1 });
  const weights = join(dir, "w.safetensors");
  writeFileSync(weights, writeSafetensors(exportTorchStateDict(m)));
  const args = ["import", "--from", "pytorch", "--cell", "lstm", "--weights", weights, "--out", trained];
  const refused = await cli(args);
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, `error: import --out ${trained}: expected a new directory, got one that holds a model (add --force to replace it)\n`);
  assert.ok(existsSync(join(trained, "metrics.jsonl")), "nothing was touched");
  const forced = await cli([...args, "--force"]);
  assert.equal(forced.code, 0, forced.stderr);
  for (const f of ["metrics.jsonl", "loss.svg", "best.safetensors", "optimizer.safetensors"]) assert.ok(!existsSync(join(trained, f)), `${f} of the replaced run is gone`);
  assert.deepEqual(Array.from(loadModel(trained).model.params), Array.from(m.params), "the directory holds the imported model");

  const onnx = join(dir, "m.onnx");
  writeFileSync(onnx, "keep me");
  const ex = await cli(["export", "--model", trained, "--onnx", onnx]);
  assert.equal(ex.code, 1);
  assert.equal(ex.stderr, `error: export --onnx ${onnx}: expected a new file, got one that exists (add --force to replace it)\n`);
  assert.equal(readFileSync(onnx, "utf8"), "keep me");
  assert.equal((await cli(["export", "--model", trained, "--onnx", onnx, "--force"])).code, 0);
  assert.notEqual(readFileSync(onnx, "utf8"), "keep me");
});
