// Checkpoints survive any crash: a training run killed with SIGKILL again and again — at chosen
// file operations of its checkpoints (RECURRENT_TEST_CRASH_AT: between any two writes, fsyncs
// and the final rename) and at random times — and resumed each time, ends with the bytes of a
// run never stopped, and its directory is readable after every kill. A disk that fills up
// during a checkpoint (RECURRENT_TEST_ENOSPC_AT) leaves the previous checkpoint intact, with
// one error line and no temp files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cliProcess, tempDir } from "./helpers.ts";
import { loadModel } from "../../src/node/model-dir.ts";
import { Rng } from "../../src/rand.ts";

const dir = tempDir("crash");
test.after(() => rmSync(dir, { recursive: true, force: true }));
const base = ["train", "--task", "forecast", "--csv", "test/fixtures/airline_passengers.csv", "--hidden", "4", "--batch", "16", "--epochs", "400", "--patience", "0", "--threads", "1", "--seed", "3"];

/** Runs the CLI; kills it at file operation `crashAt`, or after `killAfterMs`. */
function session(args: string[], o: { crashAt?: number; killAfterMs?: number } = {}): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, ...(o.crashAt ? { RECURRENT_TEST_CRASH_AT: String(o.crashAt) } : {}) };
    const p = spawn(process.execPath, ["bin/recurrent.mjs", ...args], { env });
    let stderr = "";
    p.stderr.on("data", (d) => { stderr += d; });
    const timer = o.killAfterMs ? setTimeout(() => p.kill("SIGKILL"), o.killAfterMs) : null;
    p.on("close", (code, signal) => { if (timer) clearTimeout(timer); resolve({ code, signal, stderr }); });
  });
}

const files = ["model.safetensors", "optimizer.safetensors", "best.safetensors"];

test("killed 30+ times (mid-checkpoint and at random times) and resumed each time, a run ends bit-identical to one never stopped", async () => {
  const full = join(dir, "full");
  const uninterrupted = session([...base, "--out", full]);      // runs beside the killed sessions

  const out = join(dir, "killed");
  const rng = new Rng(2026);
  let kills = 0, midCheckpoint = 0, sessions = 0;
  for (let attempt = 0; attempt < 60 && kills < 32; attempt++) {
    const started = existsSync(join(out, "checkpoint.json"));
    const args = started ? ["train", "--resume", out] : [...base, "--out", out];
    // Mostly at a file operation of the first checkpoints (each takes about 11), some by the clock.
    const byOp = attempt % 8 !== 7;
    const s = await session(args, byOp ? { crashAt: 1 + rng.int(24) } : { killAfterMs: 300 + rng.int(700) });
    sessions++;
    if (s.signal === "SIGKILL") { kills++; if (byOp) midCheckpoint++; }
    else assert.equal(s.code, 0, `session ${sessions} ended by itself with an error: ${s.stderr}`);
    if (s.code === 0) break;                                  // the run finished before its kill
    if (existsSync(join(out, "checkpoint.json"))) {
      assert.doesNotThrow(() => loadModel(out), `after kill ${kills} the checkpoint must be readable`);
    }
  }
  assert.ok(kills >= 30, `${kills} kills`);
  assert.ok(midCheckpoint >= 24, `${midCheckpoint} kills inside checkpoint writes`);
  const last = existsSync(join(out, "checkpoint.json")) ? cliProcess(["train", "--resume", out]) : cliProcess([...base, "--out", out]);
  assert.equal(last.code, 0, last.stderr);
  const r = await uninterrupted;
  assert.equal(r.code, 0, r.stderr);
  for (const f of files) assert.ok(readFileSync(join(full, f)).equals(readFileSync(join(out, f))), `${f} differs from the run never stopped (after ${kills} kills)`);
  assert.deepEqual(readdirSync(out).filter((n) => n.endsWith(".tmp")), [], "no temp files left");
  assert.equal(readdirSync(join(out, "checkpoints")).length, 1, "one generation");
});

test("a disk that fills up during a checkpoint leaves the previous checkpoint intact, with one error line", async () => {
  const out = join(dir, "enospc");
  assert.equal(cliProcess([...base, "--epochs", "2", "--out", out]).code, 0);
  const before = JSON.parse(readFileSync(join(out, "checkpoint.json"), "utf8"));
  const weights = readFileSync(join(out, before.generation, "model.safetensors"));
  for (const at of [2, 4, 8]) {                 // during the files, the fsyncs, the manifest
    const s = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, ["bin/recurrent.mjs", "train", "--resume", out, "--epochs", "4"], { env: { ...process.env, RECURRENT_TEST_ENOSPC_AT: String(at) } });
      let stderr = "";
      p.stderr.on("data", (d) => { stderr += d; });
      p.on("close", (code) => resolve({ code, stderr }));
    });
    assert.equal(s.code, 1);
    assert.match(s.stderr, /\nerror: .*: checkpoint of step \d+ not written \(disk full: ENOSPC: no space left on device, .*\); the previous checkpoint is intact\n$/);
    const now = JSON.parse(readFileSync(join(out, "checkpoint.json"), "utf8"));
    assert.deepEqual(now, before, "the manifest is the previous one");
    assert.ok(readFileSync(join(out, now.generation, "model.safetensors")).equals(weights));
    assert.deepEqual(readdirSync(join(out, "checkpoints")), [before.generation.split("/")[1]], "no partial generation left");
    assert.deepEqual(readdirSync(out).filter((n) => n.endsWith(".tmp")), []);
    assert.doesNotThrow(() => loadModel(out));
  }
});
