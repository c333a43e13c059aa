// TF.js import from disk with hostile manifests and files (src/node/tfjs-files.ts, ./tfjs.ts):
// paths that leave the model's folder (.., absolute, a symlink out), FIFOs, devices,
// directories and files longer than their weights declare are refused in one line naming
// model.json, before anything outside is read; a symlink that stays inside is followed.
// Not here: the conversion's numbers (test/interop/tfjs-import.test.ts), random manifests
// (test/fuzz/tfjs.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { importTfjsFile, readRegularFile } from "../../src/node/tfjs-files.ts";
import { RecurrentError } from "../../src/errors.ts";
import { cli, tempDir } from "../cli/helpers.ts";

const root = tempDir("tfjs-paths");
test.after(() => rmSync(root, { recursive: true, force: true }));
const FIXTURE = join("test", "fixtures", "tfjs", "simple_rnn");
let n = 0;

/** A copy of the simple_rnn fixture under root/a/b/model-N, with its manifest's first path set to `path`. */
function model(path?: string): { dir: string; json: string } {
  const dir = join(root, "a", "b", `model-${n++}`);
  mkdirSync(dir, { recursive: true });
  const mj = JSON.parse(readFileSync(join(FIXTURE, "model.json"), "utf8"));
  copyFileSync(join(FIXTURE, "weights.bin"), join(dir, "weights.bin"));
  if (path !== undefined) mj.weightsManifest[0].paths[0] = path;
  writeFileSync(join(dir, "model.json"), JSON.stringify(mj));
  return { dir, json: join(dir, "model.json") };
}

function refused(json: string, pattern: RegExp): string {
  let msg = "";
  assert.throws(() => importTfjsFile(json), (e: unknown) => {
    assert.ok(e instanceof RecurrentError, String(e));
    msg = e.message;
    assert.ok(msg.startsWith(json), `names model.json: ${msg}`);
    assert.match(msg, pattern);
    assert.ok(!msg.includes("\n"));
    return true;
  });
  return msg;
}

const SECRET = "0123456789abcdef".repeat(4);   // 64 bytes: the size a leak would show
writeFileSync(join(root, "secrets.bin"), SECRET);

test("an untouched model imports, and a symlink that stays inside the folder is followed", () => {
  assert.equal(importTfjsFile(model().json).layers[0], "SimpleRNN(4)");
  const m = model("inner/w.bin");
  mkdirSync(join(m.dir, "inner"));
  symlinkSync(join(m.dir, "weights.bin"), join(m.dir, "inner", "w.bin"));
  assert.equal(importTfjsFile(m.json).layers[0], "SimpleRNN(4)");
});

test("manifest paths that leave the folder are refused before anything is read, sizes unsaid", () => {
  for (const p of ["../../secrets.bin", "../../../../../../etc/passwd", "/etc/passwd", "sub/../../secrets.bin", "file:///etc/passwd", "..\\secrets.bin", ""]) {
    const msg = refused(model(p).json, /: weightsManifest\[0\]\.paths\[0\]: expected a relative path to a file inside the model's folder, got /);
    assert.ok(!msg.includes(String(SECRET.length)) && !/\d+ bytes/.test(msg), `no size leaks: ${msg}`);
  }
});

test("a symlink inside the folder that leads out of it (a secrets file, /etc/passwd, /dev/zero) is refused", () => {
  for (const target of [join(root, "secrets.bin"), "/etc/passwd", "/dev/zero"]) {
    const m = model("weights.bin");
    rmSync(join(m.dir, "weights.bin"));
    symlinkSync(target, join(m.dir, "weights.bin"));
    refused(m.json, /weights file "weights\.bin": expected a file inside the model's folder .*, got a path that leads to \//);
  }
});

test("a FIFO, a directory, a missing file and a file longer than its weights declare are refused without blocking or reading it", () => {
  const fifo = model();
  rmSync(join(fifo.dir, "weights.bin"));
  execFileSync("mkfifo", [join(fifo.dir, "weights.bin")]);   // no writer: a blocking read would hang
  refused(fifo.json, /weights file "weights\.bin": expected a regular file, got a FIFO \(named pipe\)$/);
  const d = model();
  rmSync(join(d.dir, "weights.bin"));
  mkdirSync(join(d.dir, "weights.bin"));
  refused(d.json, /weights file "weights\.bin": expected a regular file, got a directory$/);
  refused(model("nope.bin").json, /weights file "nope\.bin": expected an existing file inside the model's folder, got no such file$/);
  const big = model();
  writeFileSync(join(big.dir, "weights.bin"), new Uint8Array(1 << 20));
  refused(big.json, /weights file "weights\.bin": expected at most \d+ bytes \(what the manifest's weights still declare\), got 1048576 bytes$/);
});

test("readRegularFile refuses a character device (/dev/zero grows no memory)", () => {
  assert.throws(() => readRegularFile("/dev/zero", 100, "z", "a test"), /^RecurrentError: z: expected a regular file, got a character device$|z: expected a regular file, got a character device/);
});

test("model.json itself: a FIFO, invalid UTF-8 and non-JSON are one line each", () => {
  const f = join(root, "fifo-model.json");
  execFileSync("mkfifo", [f]);
  assert.throws(() => importTfjsFile(f), /fifo-model\.json: expected a regular file, got a FIFO \(named pipe\)$/);
  const b = join(root, "binary-model.json");
  writeFileSync(b, Uint8Array.of(0x7b, 0xff, 0xfe, 0x00));
  assert.throws(() => importTfjsFile(b), /binary-model\.json: expected UTF-8 JSON, got invalid UTF-8 bytes/);
  const t = join(root, "text-model.json");
  writeFileSync(t, "{ not json");
  assert.throws(() => importTfjsFile(t), /text-model\.json: expected JSON, got a parse error/);
});

test("recurrent import --from tfjs with a manifest pointing two folders up: one line, exit 1, nothing written", async () => {
  const m = model("../../secrets.bin");
  const out = join(root, "imported");
  const r = await cli(["import", "--from", "tfjs", "--model", m.json, "--out", out]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /^error: .*model\.json: weightsManifest\[0\]\.paths\[0\]: expected a relative path to a file inside the model's folder, got "\.\.\/\.\.\/secrets\.bin"\n$/);
  assert.ok(!existsSync(out));
});
